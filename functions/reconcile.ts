// Timer: reconcile every virtual node's pods with their container groups (shared/controller/reconcile.ts),
// then publish what the tick did on the nodes (the status refresh time and the tick's summary).
import { app, type InvocationContext, type Timer } from "@azure/functions";
import { reconcile as reconcileNodes, readsPerTick, type ReconcileReport } from "../shared/controller/reconcile.js";
import { systemClock } from "../shared/runtime/clock.js";
import { podSyncDependencies, reconcileBudget } from "../shared/runtime/connector.js";
import { reconcileSummaryOf, type TickResult } from "../shared/status/reconcile-summary.js";
import { everySeconds } from "./schedule.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function reconcile(_timer: Timer, context: InvocationContext): Promise<void> {
  const startedAt = systemClock.now();
  const { readShare, meter, pacer, ledger, groupList, statusRefresh, creationWaits, armWindow, reconcileSummary, secrets } = reconcileBudget();
  const periodSeconds = everySeconds(triggers.reconcile.schedule);
  const tickReads = readsPerTick(readShare, periodSeconds);
  const abortSignal = AbortSignal.timeout(triggers.reconcile.timeoutMs);
  const endsAtMs = startedAt.getTime() + triggers.reconcile.timeoutMs;
  const timeLeftMs = () => endsAtMs - systemClock.now().getTime();
  let report: ReconcileReport;
  try {
    const deps = await podSyncDependencies(invocationLogger(context));
    report = await reconcileNodes(deps, {
      readsPerTick: tickReads,
      periodSeconds,
      readsSent: () => meter.sent("reads"),
      readsRemaining: () => meter.remaining("reads"),
      armWaitMs: (kind) => pacer.waitMs(kind),
      ledger,
      groupList,
      timeLeftMs,
      abortSignal,
    });
  } catch (error) {
    // A tick that stopped is what an operator most needs to see: published, then rethrown for the host.
    await publishSummary({ finished: false, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  await statusRefresh.publish(report.refreshSeconds, { abortSignal });
  await creationWaits.publish(report.creationsWaiting, { abortSignal });
  await publishSummary({ finished: true, pods: report.pods, groups: report.groups, errors: report.errors, throttled: report.retryAfterMs !== undefined });
  // A line only when something happened: a quiet tick every 15 s would drown the log.
  const acted = Object.entries(report.outcomes).filter(([outcome]) => outcome !== "unchanged" && outcome !== "ignored");
  if (acted.length > 0 || report.orphansDeleted.length > 0 || report.errors.length > 0) {
    context.log(`reconciled ${report.pods} pods, ${report.groups} groups: ${acted.map(([o, n]) => `${o}=${n}`).join(" ")}${report.orphansDeleted.length > 0 ? ` orphans-deleted=${report.orphansDeleted.length}` : ""}${report.errors.length > 0 ? ` errors=${report.errors.length} (${report.errors[0]})` : ""}`);
  }

  async function publishSummary(result: TickResult): Promise<void> {
    const endedAt = systemClock.now();
    const remainingReads = meter.remaining("reads");
    const arm = { ...armWindow.sample(endedAt.getTime()), ...(remainingReads !== undefined && { remainingReads }) };
    const summary = reconcileSummaryOf({ result, startedAt, endedAt, arm, readsPerTick: tickReads, periodSeconds, secrets });
    // Its own deadline: a tick that ran out of time must still be able to say so.
    await reconcileSummary.publish(summary, { abortSignal: AbortSignal.timeout(triggers.reconcile.publishTimeoutMs) });
  }
}

app.timer("reconcile", { schedule: triggers.reconcile.schedule, handler: reconcile });
