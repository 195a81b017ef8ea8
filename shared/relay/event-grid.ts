// The relay in Azure: an Event Grid topic, written as CloudEvents with the connector's managed identity
// (no access key), delivered to the podEvents function by an Event Grid subscription.
import type { TokenCredential } from "@azure/core-auth";
import { EventGridPublisherClient } from "@azure/eventgrid";
import { podChangedEventType, type PodEventRelay } from "./pod-changed.js";

export function createEventGridRelay(options: { topicEndpoint: string; credential: TokenCredential; source: string }): PodEventRelay {
  const client = new EventGridPublisherClient(options.topicEndpoint, "CloudEvent", options.credential);
  return {
    async publish(event, publishOptions = {}) {
      await client.send(
        [{ type: podChangedEventType, source: options.source, subject: `namespaces/${event.namespace}/pods/${event.name}`, data: event }],
        { abortSignal: publishOptions.abortSignal },
      );
    },
  };
}
