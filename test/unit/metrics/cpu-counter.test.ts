// The CPU counter derived from Azure Monitor's per-minute averages: a sum of minute averages × 60 s /
// 1000 since its origin, never decreasing while the origin stays; when the origin moves (a container
// running longer than a period), it moves past every sample sent before, which metrics-server reads as a
// restart rather than a decrease (pkg/storage/pod.go keeps a point only while StartTime < its timestamp).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { counterOrigin, cpuCounter, latestMemory, type UsageMinute } from "../../../shared/metrics/cpu-counter.js";
import { propertyOptions } from "../../support/property-options.js";

const minute = 60_000;
const period = 60 * minute;
const t0 = Date.UTC(2025, 0, 1, 10, 0, 0);

/** A container started at `startedAt` with one average per complete minute; what a scrape at `now` sees. */
const seen = (all: readonly UsageMinute[], now: number) => all.filter((m) => m.start + minute <= now);

const history = fc.record({
  startOffset: fc.integer({ min: 0, max: 59_999 }),
  averages: fc.array(fc.option(fc.double({ min: 0, max: 4000, noNaN: true }), { nil: undefined }), { minLength: 1, maxLength: 200 }),
});

function minutesOf(startedAt: number, averages: readonly (number | undefined)[]): UsageMinute[] {
  const first = Math.floor(startedAt / minute) * minute;
  return averages.map((a, i) => ({ start: first + i * minute, ...(a !== undefined && { cpuMillicores: a }) }));
}

describe("the CPU counter from per-minute averages", () => {
  it("is the sum of the minute averages × 60 s / 1000 since the start, at the end of the last minute with data", () => {
    const startedAt = t0 + 20_000;
    const minutes = [
      { start: t0, cpuMillicores: 500 },
      { start: t0 + minute },
      { start: t0 + 2 * minute, cpuMillicores: 1500 },
    ];
    assert.deepEqual(cpuCounter(minutes, counterOrigin(startedAt, t0 + 3 * minute, period)), { coreSeconds: 30 + 90, cores: 1.5, at: t0 + 3 * minute });
    assert.equal(cpuCounter([{ start: t0 }], startedAt), undefined, "no data, no sample");
    assert.deepEqual(latestMemory([{ start: t0 - minute, memoryBytes: 9 }, { start: t0, memoryBytes: 5.6 }, { start: t0 + minute }], startedAt), { bytes: 6, at: t0 + minute });
  });

  it("property: while the origin stays, it equals that sum and never decreases as minutes pass", () => {
    fc.assert(
      fc.property(history, ({ startOffset, averages }) => {
        const startedAt = t0 + startOffset;
        const all = minutesOf(startedAt, averages);
        let previous: { origin: number; coreSeconds: number; at: number } | undefined;
        for (let now = startedAt; now <= all.at(-1)!.start + 2 * minute; now += 15_000) {
          const origin = counterOrigin(startedAt, now, period);
          const sample = cpuCounter(seen(all, now), origin);
          const expected = seen(all, now)
            .filter((m) => m.start >= Math.floor(origin / minute) * minute && m.cpuMillicores !== undefined)
            .reduce((sum, m) => sum + (m.cpuMillicores! * 60) / 1000, 0);
          if (sample === undefined) continue;
          assert.ok(Math.abs(sample.coreSeconds - expected) <= 1e-9 * Math.max(1, expected));
          if (previous !== undefined && previous.origin === origin) {
            assert.ok(sample.coreSeconds >= previous.coreSeconds, `decreased from ${previous.coreSeconds} to ${sample.coreSeconds}`);
            assert.ok(sample.at >= previous.at);
          }
          if (previous !== undefined && previous.origin !== origin) {
            // A new origin is a restart to metrics-server only if it is not before the last sample's time.
            assert.ok(origin >= previous.at, `origin ${origin} before the last sample at ${previous.at}`);
          }
          previous = { origin, coreSeconds: sample.coreSeconds, at: sample.at };
        }
      }),
      propertyOptions({ numRuns: 200 }),
    );
  });

  it("moves the origin by whole periods: a container of 3 h counts from its start + 3 h", () => {
    const startedAt = t0 + 7_000;
    assert.equal(counterOrigin(startedAt, startedAt + 59 * minute, period), startedAt);
    assert.equal(counterOrigin(startedAt, startedAt + 60 * minute, period), startedAt + period);
    assert.equal(counterOrigin(startedAt, startedAt + 3 * period + 5 * minute, period), startedAt + 3 * period);
    assert.equal(counterOrigin(startedAt, startedAt - 1, period), startedAt, "a clock behind the start");
  });
});
