// Event Grid: a "pod changed" doorbell from the webhook. Re-reads the pod and syncs it
// (see shared/controller/pod-events.ts). A thrown error makes Event Grid deliver again later. The
// subscription delivers CloudEvents; the Event Grid schema is read too (shared/relay/event-envelope.ts).
import { app, type InvocationContext } from "@azure/functions";
import { handlePodChanged } from "../shared/controller/pod-events.js";
import { readEventEnvelope } from "../shared/relay/event-envelope.js";
import { parsePodChanged, podChangedEventType } from "../shared/relay/pod-changed.js";
import { podSyncDependencies } from "../shared/runtime/connector.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function podEvents(event: unknown, context: InvocationContext): Promise<void> {
  const envelope = readEventEnvelope(event);
  const changed = envelope?.type === podChangedEventType ? parsePodChanged(envelope.data) : undefined;
  if (changed === undefined) {
    context.warn("ignored an event that does not name a pod");
    return;
  }
  const outcome = await handlePodChanged(await podSyncDependencies(invocationLogger(context)), changed, AbortSignal.timeout(triggers.podEvents.timeoutMs));
  context.log(`${changed.namespace}/${changed.name}: ${outcome}`);
}

app.eventGrid<unknown>("podEvents", { handler: podEvents });
