// Timer: reconcile every virtual node's pods with their container groups (shared/controller/reconcile.ts).
import { app, type InvocationContext, type Timer } from "@azure/functions";
import { reconcile as reconcileNodes, readsPerTick } from "../shared/controller/reconcile.js";
import { podSyncDependencies, reconcileBudget } from "../shared/runtime/connector.js";
import { everySeconds } from "./schedule.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function reconcile(_timer: Timer, context: InvocationContext): Promise<void> {
  const deps = await podSyncDependencies(invocationLogger(context));
  const { readShare, meter, ledger, statusRefresh, creationWaits } = reconcileBudget();
  const periodSeconds = everySeconds(triggers.reconcile.schedule);
  const abortSignal = AbortSignal.timeout(triggers.reconcile.timeoutMs);
  const report = await reconcileNodes(deps, {
    readsPerTick: readsPerTick(readShare, periodSeconds),
    periodSeconds,
    readsSent: () => meter.sent("reads"),
    readsRemaining: () => meter.remaining("reads"),
    ledger,
    abortSignal,
  });
  await statusRefresh.publish(report.refreshSeconds, { abortSignal });
  await creationWaits.publish(report.creationsWaiting, { abortSignal });
  // A line only when something happened: a quiet tick every 15 s would drown the log.
  const acted = Object.entries(report.outcomes).filter(([outcome]) => outcome !== "unchanged" && outcome !== "ignored");
  if (acted.length > 0 || report.orphansDeleted.length > 0 || report.errors.length > 0) {
    context.log(`reconciled ${report.pods} pods, ${report.groups} groups: ${acted.map(([o, n]) => `${o}=${n}`).join(" ")}${report.orphansDeleted.length > 0 ? ` orphans-deleted=${report.orphansDeleted.length}` : ""}${report.errors.length > 0 ? ` errors=${report.errors.length} (${report.errors[0]})` : ""}`);
  }
}

app.timer("reconcile", { schedule: triggers.reconcile.schedule, handler: reconcile });
