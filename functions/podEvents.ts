// Event Grid: a "pod changed" doorbell from the webhook. Re-reads the pod and syncs it
// (see shared/controller/pod-events.ts). A thrown error makes Event Grid deliver again later. The
// subscription delivers CloudEvents; the Event Grid schema is read too (shared/relay/event-envelope.ts).
import { app, type InvocationContext } from "@azure/functions";
import { handlePodChanged } from "../shared/controller/pod-events.js";
import { readPodChangedEvent, rungAtOf } from "../shared/relay/pod-changed.js";
import { podSyncDependencies } from "../shared/runtime/connector.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function podEvents(event: unknown, context: InvocationContext): Promise<void> {
  // A malformed event is not retried (it would be as malformed next time): it is ignored, saying why.
  const changed = readPodChangedEvent(event);
  if (!changed.ok) {
    context.warn(`ignored an event that does not name a pod: ${changed.problems.join("; ")}`);
    return;
  }
  const { value } = changed;
  const outcome = await handlePodChanged(await podSyncDependencies(invocationLogger(context)), value, AbortSignal.timeout(triggers.podEvents.timeoutMs), rungAtOf(event));
  context.log(`${value.namespace}/${value.name}: ${outcome}`);
}

app.eventGrid<unknown>("podEvents", { handler: podEvents });
