// An ARM event of a resource-group system topic (Microsoft.Resources.ResourceWriteSuccess, ...), read
// from either delivery schema into what aciEvents' controller takes: the event type and the resource.
import type { ArmResourceEvent } from "../controller/aci-events.js";
import { readEventEnvelope } from "./event-envelope.js";
import { fieldsOf, refused, shown, type Reading } from "./reading.js";

/** The event type and `data.resourceUri`, or why the input is not an event naming a resource. */
export function readArmResourceEvent(input: unknown): Reading<ArmResourceEvent> {
  const envelope = readEventEnvelope(input);
  if (!envelope.ok) return envelope;
  const data = fieldsOf(envelope.value.data);
  // Binary data (CloudEvents' data_base64) has no `data`: an ARM event always carries JSON data.
  if (data === undefined) return refused([`data must be a JSON object, got ${shown(envelope.value.data)}`]);
  const resourceUri = data.resourceUri;
  if (typeof resourceUri !== "string" || resourceUri === "") return refused([`data.resourceUri must be a non-empty string, got ${shown(resourceUri)}`]);
  return { ok: true, value: { eventType: envelope.value.type, resourceUri } };
}
