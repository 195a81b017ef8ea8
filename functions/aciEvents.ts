// Event Grid: ARM events of the ACI resource group (a system topic). A write or delete of a container
// group refreshes its pod at once (see shared/controller/aci-events.ts). The subscription delivers
// CloudEvents; the Event Grid schema is read too (shared/relay/arm-event.ts).
import { app, type InvocationContext } from "@azure/functions";
import { containerGroupOf, handleArmEvent } from "../shared/controller/aci-events.js";
import { readArmResourceEvent } from "../shared/relay/arm-event.js";
import { podSyncDependencies } from "../shared/runtime/connector.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function aciEvents(event: unknown, context: InvocationContext): Promise<void> {
  const reading = readArmResourceEvent(event);
  if (!reading.ok) {
    context.warn(`ignored an event that names no resource: ${reading.problems.join("; ")}`);
    return;
  }
  const armEvent = reading.value;
  // An event about anything but a container group needs no client: nothing is built for it.
  const outcome =
    containerGroupOf(armEvent) === undefined
      ? "ignored"
      : await handleArmEvent(await podSyncDependencies(invocationLogger(context)), armEvent, AbortSignal.timeout(triggers.aciEvents.timeoutMs));
  context.log(`${armEvent.eventType} ${armEvent.resourceUri}: ${outcome}`);
}

app.eventGrid<unknown>("aciEvents", { handler: aciEvents });
