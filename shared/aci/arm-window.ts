// What the ARM meter counted over the last minutes, for the connector's published state: the meter
// counts since the process started, an operator asks "how much now". Each reconcile tick takes a
// sample; the window is the difference between now and the oldest sample still inside it.
import type { ArmMeter } from "./arm-meter.js";
import { armRequestKinds, type ArmRequestKind } from "./arm-throttle.js";

/** Five minutes: long enough to smooth one busy tick, short enough to show a change within minutes. */
export const armWindowMs = 5 * 60_000;

export interface ArmWindowCounts {
  /** The time actually covered: less than the window while the process is younger than it. */
  readonly windowSeconds: number;
  readonly reads: number;
  readonly writes: number;
  readonly deletes: number;
}

export interface ArmWindow {
  /** Takes a sample of the meter at `nowMs` and returns what was sent since the window's start. */
  sample(nowMs: number): ArmWindowCounts;
}

type Sample = { readonly atMs: number } & Record<ArmRequestKind, number>;

/** `startedAtMs`: when the meter started counting (from zero, with the process). */
export function createArmWindow(meter: Pick<ArmMeter, "sent">, startedAtMs: number, windowMs = armWindowMs): ArmWindow {
  const samples: Sample[] = [{ atMs: startedAtMs, reads: 0, writes: 0, deletes: 0 }];
  return {
    sample(nowMs) {
      const current = { atMs: nowMs, ...(Object.fromEntries(armRequestKinds.map((k) => [k, meter.sent(k)])) as Record<ArmRequestKind, number>) };
      samples.push(current);
      // Keep the newest sample at or before the window's start: it is the baseline.
      while (samples.length > 1 && samples[1]!.atMs <= nowMs - windowMs) samples.shift();
      const base = samples[0]!;
      return { windowSeconds: Math.round((nowMs - base.atMs) / 1000), reads: current.reads - base.reads, writes: current.writes - base.writes, deletes: current.deletes - base.deletes };
    },
  };
}
