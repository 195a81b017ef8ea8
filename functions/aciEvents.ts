// Event Grid: ARM events of the ACI resource group (a system topic). A write or delete of a container
// group refreshes its pod at once (see shared/controller/aci-events.ts).
import { app, type EventGridEvent, type InvocationContext } from "@azure/functions";
import { handleArmEvent } from "../shared/controller/aci-events.js";
import { podSyncDependencies } from "../shared/runtime/connector.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function aciEvents(event: EventGridEvent, context: InvocationContext): Promise<void> {
  const resourceUri = (event.data as { resourceUri?: unknown } | undefined)?.resourceUri;
  if (typeof resourceUri !== "string") {
    context.warn(`ignored ${event.eventType}: no resourceUri`);
    return;
  }
  const outcome = await handleArmEvent(await podSyncDependencies(invocationLogger(context)), { eventType: event.eventType, resourceUri }, AbortSignal.timeout(triggers.aciEvents.timeoutMs));
  context.log(`${event.eventType} ${resourceUri}: ${outcome}`);
}

app.eventGrid("aciEvents", { handler: aciEvents });
