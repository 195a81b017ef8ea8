// The resource group's Event Grid system topic (topicType Microsoft.Resources.ResourceGroups), as the
// connector's subscription delivers it: CloudEvents 1.0 (infra/modules/aci-events.bicep).
//
// Shape: "Azure resource group as an Event Grid source", tab "Cloud event schema",
// https://learn.microsoft.com/azure/event-grid/event-schema-resource-groups (examples ResourceWriteSuccess
// and ResourceDeleteSuccess; test/support/event-grid-payloads.ts holds them and the emulator test
// compares the two). When: a write's event is raised when the write completes, for an ACI create when
// its containers have started or the create failed (../shared/FACTS.md, "Events"); a delete's when ARM
// has deleted the group. Nothing is raised when a container exits or restarts inside ACI: that is no
// ARM write. Start, stop and restart (ResourceActionSuccess) are not raised here: the connector never
// calls them and its subscription does not ask for them.
import { randomUUID } from "node:crypto";
import { provider } from "./routes.js";

export type ResourceEventType =
  | "Microsoft.Resources.ResourceWriteSuccess"
  | "Microsoft.Resources.ResourceWriteFailure"
  | "Microsoft.Resources.ResourceDeleteSuccess";

export interface ResourceCloudEvent {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly subject: string;
  readonly type: ResourceEventType;
  readonly time: string;
  readonly data: {
    readonly authorization: { readonly scope: string; readonly action: string; readonly evidence: { readonly role: string } };
    readonly claims: Readonly<Record<string, string>>;
    readonly correlationId: string;
    readonly httpRequest: { readonly clientRequestId: string; readonly clientIpAddress: string; readonly method: string; readonly url: string };
    readonly resourceProvider: string;
    readonly resourceUri: string;
    readonly operationName: string;
    readonly status: "Succeeded" | "Failed";
    readonly subscriptionId: string;
    readonly tenantId: string;
  };
}

export interface ResourceEventSource {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** ARM's endpoint, for the request URL the event quotes. */
  readonly endpoint: string;
}

/** The emulator's tenant: any fixed GUID (events carry one; nothing checks it). */
const tenantId = "72f988bf-0000-0000-0000-00000000ac1e";

/** The event ARM raises about one container group's write or delete. */
export function containerGroupEvent(source: ResourceEventSource, groupName: string, type: ResourceEventType, apiVersion: string): ResourceCloudEvent {
  const resourceUri = `/subscriptions/${source.subscriptionId}/resourceGroups/${source.resourceGroup}/providers/${provider}/containerGroups/${groupName}`;
  const deleting = type === "Microsoft.Resources.ResourceDeleteSuccess";
  const operationName = `${provider}/containerGroups/${deleting ? "delete" : "write"}`;
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: `/subscriptions/${source.subscriptionId}/resourceGroups/${source.resourceGroup}`,
    subject: resourceUri,
    type,
    time: new Date().toISOString(),
    data: {
      authorization: { scope: resourceUri, action: operationName, evidence: { role: "Container Instances Contributor" } },
      claims: { appid: "00000000-0000-0000-0000-00000000ac1e", "http://schemas.microsoft.com/identity/claims/tenantid": tenantId },
      correlationId: randomUUID(),
      httpRequest: { clientRequestId: randomUUID(), clientIpAddress: "127.0.0.1", method: deleting ? "DELETE" : "PUT", url: `${source.endpoint}${resourceUri}?api-version=${apiVersion}` },
      resourceProvider: provider,
      resourceUri,
      operationName,
      status: type === "Microsoft.Resources.ResourceWriteFailure" ? "Failed" : "Succeeded",
      subscriptionId: source.subscriptionId,
      tenantId,
    },
  };
}

/** The topic's subscribers; each gets every event (a subscriber filters, as an Event Grid subscription does). */
export interface ResourceEventTopic {
  subscribe(listener: (event: ResourceCloudEvent) => void): () => void;
  publish(event: ResourceCloudEvent): void;
  /** Raises an event in `delayMs` (a write completing), unless `event` then says none; cancelled by stop(). */
  publishAfter(delayMs: number, event: () => ResourceCloudEvent | undefined): void;
  stop(): void;
}

export function createResourceEventTopic(): ResourceEventTopic {
  const listeners = new Set<(event: ResourceCloudEvent) => void>();
  const timers = new Set<NodeJS.Timeout>();
  const publish = (event: ResourceCloudEvent) => {
    for (const listener of listeners) listener(event);
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    publish,
    publishAfter(delayMs, event) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        const due = event();
        if (due !== undefined) publish(due);
      }, Math.max(0, delayMs));
      timer.unref();
      timers.add(timer);
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      listeners.clear();
    },
  };
}
