// A container's cumulative CPU time, derived from Azure Monitor's per-minute averages: ACI publishes
// CPU as a rate (the minute's average millicores), the kubelet's resource metrics a counter (core-seconds
// since the container started) from which metrics-server takes the rate between two scrapes. Pure and
// stateless: every scrape derives it again from the minutes, so any function instance gives the same.
//
// The sum is bounded: it starts at the counter's origin, the container's start moved forward by whole
// periods (60 minutes), so one query of the last period + 1 minute always holds it. The origin is what
// the kubelet API reports as the container's start time: when it moves, it moves past every sample sent
// before, which metrics-server reads as a restart (no rate for one scrape), never as a decrease.
// docs/decisions/resource-metrics.md

const minuteMs = 60_000;

/** One minute of one container (shared/aci/container-usage.ts). */
export interface UsageMinute {
  readonly start: number;
  readonly cpuMillicores?: number;
  readonly memoryBytes?: number;
}

export interface CounterSample {
  /** Core-seconds since the origin. */
  readonly coreSeconds: number;
  /** The last counted minute's average, in cores: the latest rate. */
  readonly cores: number;
  /** When the sample holds: the end of the last counted minute (ms). */
  readonly at: number;
}

export interface MemorySample {
  readonly bytes: number;
  readonly at: number;
}

const floorMinute = (ms: number) => Math.floor(ms / minuteMs) * minuteMs;

/** Where the counter starts: `startedAt`, moved forward by whole periods up to `now`. */
export function counterOrigin(startedAt: number, now: number, periodMs: number): number {
  if (now <= startedAt) return startedAt;
  return startedAt + Math.floor((now - startedAt) / periodMs) * periodMs;
}

/**
 * The counter at the end of the last minute with data since the origin: the sum of each minute's average
 * millicores × 60 s / 1000. The origin's own minute counts whole (ACI's average is over the samples it
 * took, all after the start). Undefined when no minute since the origin has data yet.
 */
export function cpuCounter(minutes: readonly UsageMinute[], origin: number): CounterSample | undefined {
  const from = floorMinute(origin);
  let coreSeconds = 0;
  let last: UsageMinute | undefined;
  for (const m of minutes) {
    if (m.start < from || m.cpuMillicores === undefined) continue;
    coreSeconds += (m.cpuMillicores * 60) / 1000;
    if (last === undefined || m.start > last.start) last = m;
  }
  return last === undefined ? undefined : { coreSeconds, cores: last.cpuMillicores! / 1000, at: last.start + minuteMs };
}

/** The working set of the last minute with data since the container started. */
export function latestMemory(minutes: readonly UsageMinute[], startedAt: number): MemorySample | undefined {
  const from = floorMinute(startedAt);
  let last: UsageMinute | undefined;
  for (const m of minutes) if (m.start >= from && m.memoryBytes !== undefined && (last === undefined || m.start > last.start)) last = m;
  return last === undefined ? undefined : { bytes: Math.round(last.memoryBytes!), at: last.start + minuteMs };
}
