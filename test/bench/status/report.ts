// The status benchmark's figures and how they are printed: a table per pod count, the targets of issue
// 15 checked against our rows, and one JSON object of every system and pod count (the run's last line).
import { armBudget } from "../../../shared/aci/arm-budget.js";
import { listEveryTicks } from "../../../shared/controller/group-list-memory.js";
import { readsPerTick } from "../../../shared/controller/reconcile.js";

export interface SystemFigures {
  readonly armReadsPerMin: number;
  readonly throttledPerMin: number;
  readonly runningFreshnessP50Ms: number | null;
  readonly runningFreshnessP99Ms: number | null;
  readonly exitFreshnessP50Ms: number | null;
  readonly exitFreshnessP99Ms: number | null;
  readonly deleteP99Ms: number | null;
  readonly apiRequestsPerMin: number;
}

export interface SystemRun {
  readonly system: string;
  readonly pods: number;
  readonly figures: SystemFigures;
  /** What the figures rest on: how many exits were injected and seen, deletions finished, errors logged. */
  readonly counts: {
    readonly running: number;
    readonly exits: number;
    readonly exitsSeen: number;
    readonly deletes: number;
    readonly deletesDone: number;
    readonly errors: number;
    readonly windowSeconds: number;
    /** The window's ARM reads by operation: where they went. */
    readonly windowReads: Readonly<Record<string, number>>;
    /** From the pods' creation to every pod Running, before the window: ARM reads a minute, group PUTs, and 429s (the writes' included). */
    readonly burst: { readonly seconds: number; readonly readsPerMin: number; readonly creates: number; readonly throttled: number; readonly throttledReads: number };
  };
}

/** ARM lists 100 groups a page (FACTS.md). */
const listPageSize = 100;

/**
 * The exit freshness our connector should reach at a read share: every running pod is re-read once per
 * `60 × N / rotation reads per minute` seconds, never faster than one tick; the rotation has what the
 * list leaves, the list's pages counted at their average over the ticks between lists
 * (docs/decisions/status-polling.md).
 */
export function expectedExitFreshnessMs(options: { pods: number; readShare: number; periodSeconds: number }): number {
  const perTick = readsPerTick(options.readShare, options.periodSeconds);
  const pages = Math.ceil(options.pods / listPageSize);
  const rotationPerMinute = (perTick - pages / listEveryTicks(pages, perTick)) * (60 / options.periodSeconds);
  return Math.max(options.periodSeconds * 1000, (60_000 * options.pods) / Math.max(rotationPerMinute, 1));
}

/**
 * A percentile where a value may never have come (undefined, e.g. an exit not seen before the run
 * ended): such a value counts as later than every seen one, and a percentile that falls on one is null.
 */
export function censoredPercentile(values: readonly (number | undefined)[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return Number.isFinite(v) ? Math.round(v) : null;
}

/**
 * Of the pods whose Running came later than `lateMs` after ACI's, how many started in each tenth of the
 * burst (by when ACI ran them, first tenth first): where in a burst the late ones are.
 */
export function lateByBurstTenth(pods: readonly { aciRunningFrom: number; freshnessMs: number }[], lateMs: number): number[] {
  const tenths = Array<number>(10).fill(0);
  if (pods.length === 0) return tenths;
  const first = Math.min(...pods.map((p) => p.aciRunningFrom));
  const span = Math.max(1, Math.max(...pods.map((p) => p.aciRunningFrom)) - first);
  for (const p of pods) if (p.freshnessMs > lateMs) tenths[Math.min(9, Math.floor(((p.aciRunningFrom - first) / span) * 10))]!++;
  return tenths;
}

const cell = (v: number | null, unit = "") => (v === null ? "not seen" : `${Math.round(v).toLocaleString("en-US")}${unit}`);
const seconds = (v: number | null) => (v === null ? "not seen" : `${(v / 1000).toFixed(1)} s`);

/** One table for one pod count: a row per system. */
export function formatTable(runs: readonly SystemRun[]): string {
  const head = ["system", "ARM reads/min", "429/min", "Running p50", "Running p99", "exit p50", "exit p99", "delete p99", "API req/min", "exits seen", "errors"];
  const rows = runs.map((r) => [
    r.system,
    cell(r.figures.armReadsPerMin),
    cell(r.figures.throttledPerMin),
    seconds(r.figures.runningFreshnessP50Ms),
    seconds(r.figures.runningFreshnessP99Ms),
    seconds(r.figures.exitFreshnessP50Ms),
    seconds(r.figures.exitFreshnessP99Ms),
    seconds(r.figures.deleteP99Ms),
    cell(r.figures.apiRequestsPerMin),
    `${r.counts.exitsSeen}/${r.counts.exits}`,
    String(r.counts.errors),
  ]);
  const pods = runs[0]?.pods ?? 0;
  const lines = [`${pods.toLocaleString("en-US")} pods (window ${runs[0]?.counts.windowSeconds ?? 0} s, figures per minute of the window)`, `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
  return lines.join("\n");
}

/** Issue 15's targets for our rows, one line each: met or not, with the figure. */
export function checkTargets(runs: readonly SystemRun[], ours: { system: string; readShare: number; periodSeconds: number }[], model: string): string[] {
  const lines: string[] = [];
  const modelRun = runs.find((r) => r.system === model);
  for (const o of ours) {
    const run = runs.find((r) => r.system === o.system);
    if (run === undefined) continue;
    const f = run.figures;
    const expected = expectedExitFreshnessMs({ pods: run.pods, readShare: o.readShare, periodSeconds: o.periodSeconds });
    const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
    lines.push(`${o.system}, ${run.pods} pods: Running p99 ≤ 5 s: ${verdict(f.runningFreshnessP99Ms !== null && f.runningFreshnessP99Ms <= 5000)} (${seconds(f.runningFreshnessP99Ms)})`);
    lines.push(`${o.system}, ${run.pods} pods: 0 throttled: ${verdict(f.throttledPerMin === 0)} (${f.throttledPerMin}/min)`);
    lines.push(`${o.system}, ${run.pods} pods: exit p99 within 20 % of ${seconds(expected)}: ${verdict(f.exitFreshnessP99Ms !== null && f.exitFreshnessP99Ms <= 1.2 * expected)} (${seconds(f.exitFreshnessP99Ms)})`);
    if (run.pods === 1000 && o.readShare === armBudget.reads.defaultShare && modelRun !== undefined) {
      const m = modelRun.figures;
      lines.push(`${o.system}, 1,000 pods: at most half the model's reads: ${verdict(f.armReadsPerMin <= m.armReadsPerMin / 2)} (${f.armReadsPerMin} vs ${m.armReadsPerMin})`);
      lines.push(`${o.system}, 1,000 pods: exit p99 no worse than the model's: ${verdict(f.exitFreshnessP99Ms !== null && (m.exitFreshnessP99Ms === null || f.exitFreshnessP99Ms <= m.exitFreshnessP99Ms))} (${seconds(f.exitFreshnessP99Ms)} vs ${seconds(m.exitFreshnessP99Ms)})`);
    }
  }
  return lines;
}

/** { system: { "<pods>": figures } }: the object the run prints as its last line. */
export function resultObject(runs: readonly SystemRun[]): Record<string, Record<string, SystemFigures>> {
  const out: Record<string, Record<string, SystemFigures>> = {};
  for (const r of runs) (out[r.system] ??= {})[String(r.pods)] = r.figures;
  return out;
}
