// Timer: reconcile every virtual node's pods with their container groups (shared/controller/reconcile.ts).
import { app, type InvocationContext, type Timer } from "@azure/functions";
import { reconcile as reconcileNodes } from "../shared/controller/reconcile.js";
import { podSyncDependencies } from "../shared/runtime/connector.js";
import { everySeconds } from "./schedule.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function reconcile(_timer: Timer, context: InvocationContext): Promise<void> {
  const deps = await podSyncDependencies(invocationLogger(context));
  const tick = Math.floor(Date.now() / (everySeconds(triggers.reconcile.schedule) * 1000));
  const report = await reconcileNodes(deps, { tick, abortSignal: AbortSignal.timeout(triggers.reconcile.timeoutMs) });
  context.log(`reconciled ${report.pods} pods and ${report.groups} groups: ${JSON.stringify(report.outcomes)}, ${report.gets} GETs, ${report.orphansDeleted.length} orphans deleted`);
}

app.timer("reconcile", { schedule: triggers.reconcile.schedule, handler: reconcile });
