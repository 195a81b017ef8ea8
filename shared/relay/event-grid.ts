// The relay in Azure: an Event Grid topic, written as CloudEvents with the connector's managed identity
// (no access key), delivered to the podEvents function by an Event Grid subscription.
import type { TokenCredential } from "@azure/core-auth";
import { EventGridPublisherClient } from "@azure/eventgrid";
import { podChangedCloudEvent, type PodEventRelay } from "./pod-changed.js";

export function createEventGridRelay(options: { topicEndpoint: string; credential: TokenCredential; source: string }): PodEventRelay {
  const client = new EventGridPublisherClient(options.topicEndpoint, "CloudEvent", options.credential);
  return {
    async publish(event, publishOptions = {}) {
      await client.send([podChangedCloudEvent(event, options.source)], { abortSignal: publishOptions.abortSignal });
    },
  };
}
