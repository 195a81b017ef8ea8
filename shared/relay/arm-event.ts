// An ARM event of a resource-group system topic (Microsoft.Resources.ResourceWriteSuccess, ...), read
// from either delivery schema into what aciEvents' controller takes: the event type and the resource.
import type { ArmResourceEvent } from "../controller/aci-events.js";
import { readEventEnvelope } from "./event-envelope.js";

/** The event type and `data.resourceUri`; undefined when the input is not an event naming a resource. */
export function readArmResourceEvent(input: unknown): ArmResourceEvent | undefined {
  const envelope = readEventEnvelope(input);
  const data = envelope?.data;
  const resourceUri = typeof data === "object" && data !== null ? (data as { resourceUri?: unknown }).resourceUri : undefined;
  if (envelope === undefined || typeof resourceUri !== "string" || resourceUri === "") return undefined;
  return { eventType: envelope.type, resourceUri };
}
