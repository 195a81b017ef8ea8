// The last reconcile tick as the connector publishes it on each virtual node (annotation
// aci-connector.io/reconcile, written as the node itself, like the status refresh time): what
// `aci-connector status` and `kubectl describe node` show of the connector's own state. Pure: the
// summary is built, compared and read here; shared/controller/reconcile-summary.ts writes it.
import { scrubSecrets } from "./scrub.js";

export const reconcileSummaryAnnotation = "aci-connector.io/reconcile";

/**
 * ok: nothing failed; errors: the tick finished, some pods or groups failed (see firstError);
 * throttled: ARM asked for a wait, the rest of the tick was not sent; failed: the tick stopped early
 * (e.g. the pods could not be listed).
 */
export const reconcileOutcomes = ["ok", "errors", "throttled", "failed"] as const;
export type ReconcileOutcome = (typeof reconcileOutcomes)[number];

/** What this function instance sent to ARM over the last `windowSeconds` (shared/aci/arm-window.ts). */
export interface ArmSentSummary {
  readonly windowSeconds: number;
  readonly reads: number;
  readonly writes: number;
  readonly deletes: number;
  /** ARM's x-ms-ratelimit-remaining-subscription-reads on its latest answer, when it sent one. */
  readonly remainingReads?: number;
}

export interface ReconcileSummary {
  /** When the tick ended (ISO 8601). */
  readonly at: string;
  readonly durationMs: number;
  readonly outcome: ReconcileOutcome;
  readonly errors: number;
  /** The first error's words, scrubbed of secrets and cut to `firstErrorMaxLength`. */
  readonly firstError?: string;
  readonly pods: number;
  readonly groups: number;
  readonly arm: ArmSentSummary;
  /** Reconcile's read budget, ARM_READ_SHARE of ARM's refill: reads per minute (shared/aci/arm-budget.ts). */
  readonly readBudgetPerMinute: number;
}

/** Annotations are for people and watchers, not logs: a long ARM message is cut here. */
export const firstErrorMaxLength = 300;

/** What the tick returned, or why it stopped. */
export type TickResult =
  | { readonly finished: true; readonly pods: number; readonly groups: number; readonly errors: readonly string[]; readonly throttled: boolean }
  | { readonly finished: false; readonly error: string };

export function reconcileSummaryOf(input: {
  readonly result: TickResult;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly arm: ArmSentSummary;
  readonly readsPerTick: number;
  readonly periodSeconds: number;
  /** Values that must never be published (the webhook's path token, ...). */
  readonly secrets: readonly string[];
}): ReconcileSummary {
  const { result } = input;
  const errors = result.finished ? result.errors : [result.error];
  const outcome: ReconcileOutcome = !result.finished ? "failed" : result.throttled ? "throttled" : errors.length > 0 ? "errors" : "ok";
  const first = errors[0] === undefined ? undefined : shorten(scrubSecrets(errors[0], input.secrets));
  return {
    at: input.endedAt.toISOString(),
    durationMs: Math.max(0, input.endedAt.getTime() - input.startedAt.getTime()),
    outcome,
    errors: errors.length,
    ...(first !== undefined && { firstError: first }),
    pods: result.finished ? result.pods : 0,
    groups: result.finished ? result.groups : 0,
    arm: input.arm,
    readBudgetPerMinute: Math.round((input.readsPerTick * 60) / input.periodSeconds),
  };
}

function shorten(text: string): string {
  return text.length <= firstErrorMaxLength ? text : `${text.slice(0, firstErrorMaxLength - 1)}…`;
}

/** A tick's summary is written again at least this often when nothing but its figures changed. */
export const summaryRefreshMs = 60_000;

/**
 * Whether to write `next` when `last` was written at `lastWrittenMs`. Every write of a Node object goes to
 * every watcher of nodes in the cluster (the scheduler, the controller-manager, kubectl get -w, ...);
 * a write per node every 15 s tick would multiply the node updates the heartbeat makes, for figures
 * (time, duration, counts) an operator reads once a minute at most. So: at once when what an operator
 * acts on changed (the outcome, the first error, the number of errors), otherwise once a minute.
 */
export function summaryWorthWriting(last: { readonly summary: ReconcileSummary; readonly writtenAtMs: number } | undefined, next: ReconcileSummary, nowMs: number): boolean {
  if (last === undefined) return true;
  const changed = last.summary.outcome !== next.outcome || last.summary.firstError !== next.firstError || last.summary.errors !== next.errors;
  return changed || nowMs - last.writtenAtMs >= summaryRefreshMs;
}

/** The annotation's value read back; undefined when it is missing or not a summary. */
export function parseReconcileSummary(text: string | undefined): ReconcileSummary | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const arm = v.arm as Record<string, unknown> | undefined;
  const numbers = [v.durationMs, v.errors, v.pods, v.groups, v.readBudgetPerMinute, arm?.windowSeconds, arm?.reads, arm?.writes, arm?.deletes];
  if (typeof v.at !== "string" || Number.isNaN(Date.parse(v.at)) || !(reconcileOutcomes as readonly unknown[]).includes(v.outcome) || !numbers.every((n) => typeof n === "number" && Number.isFinite(n))) {
    return undefined;
  }
  return value as ReconcileSummary;
}
