// The status benchmark's pure parts (test/bench/status/): the targets it checks our rows against, the
// percentiles of figures that may never have come, and the workload plan every system gets the same.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { censoredPercentile, expectedExitFreshnessMs, lateByBurstTenth } from "../../bench/status/report.js";
import { planWorkload } from "../../bench/status/workload.js";

describe("status benchmark figures", () => {
  it("expected exit freshness: 60 × N / rotation reads a minute, never below one tick", () => {
    // Share 0.5 at 15 s: 187 reads a tick. 1,000 pods: 10 list pages, 177 rotation reads a tick, 708 a minute.
    assert.equal(Math.round(expectedExitFreshnessMs({ pods: 1000, readShare: 0.5, periodSeconds: 15 })), Math.round((60_000 * 1000) / 708));
    // 100 pods: 186 a tick would re-read them in 8 s, but a tick is 15 s.
    assert.equal(expectedExitFreshnessMs({ pods: 100, readShare: 0.5, periodSeconds: 15 }), 15_000);
    // Share 0.05: 18 reads a tick, 17 after the one list page: 100 pods every 88 s.
    assert.equal(Math.round(expectedExitFreshnessMs({ pods: 100, readShare: 0.05, periodSeconds: 15 })), Math.round((60_000 * 100) / 68));
    // 10,000 pods: 100 list pages every 3 ticks (a quarter of the reads at most), 153.7 rotation reads a tick, 615 a minute.
    assert.equal(Math.round(expectedExitFreshnessMs({ pods: 10_000, readShare: 0.5, periodSeconds: 15 })), Math.round((60_000 * 10_000) / ((187 - 100 / 3) * 4)));
  });

  it("a percentile counts what was never seen as later than everything seen", () => {
    assert.equal(censoredPercentile([300, 100, 200, 400], 50), 300);
    assert.equal(censoredPercentile([100, 200, undefined, 400], 50), 400);
    assert.equal(censoredPercentile([100, 200, 300, undefined], 99), null);
    assert.equal(censoredPercentile([], 50), null);
  });

  it("the late Running pods by tenth of the burst they started in", () => {
    const pods = [
      { aciRunningFrom: 1_000, freshnessMs: 8_000 },
      { aciRunningFrom: 1_050, freshnessMs: 6_000 },
      { aciRunningFrom: 1_100, freshnessMs: 100 },
      { aciRunningFrom: 5_500, freshnessMs: 5_001 },
      { aciRunningFrom: 11_000, freshnessMs: 7_000 },
      { aciRunningFrom: 11_000, freshnessMs: 5_000 },
    ];
    assert.deepEqual(lateByBurstTenth(pods, 5_000), [2, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    assert.deepEqual(lateByBurstTenth([], 5_000), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("the workload plan: the same for the same seed, distinct pods, exits in the window's first half", () => {
    const a = planWorkload({ pods: 100, exitCount: 10, deleteCount: 5, windowMs: 120_000, seed: 15 });
    assert.deepEqual(planWorkload({ pods: 100, exitCount: 10, deleteCount: 5, windowMs: 120_000, seed: 15 }), a);
    assert.notDeepEqual(planWorkload({ pods: 100, exitCount: 10, deleteCount: 5, windowMs: 120_000, seed: 16 }), a);
    const pods = [...a.exits.map((e) => e.pod), ...a.deletions];
    assert.equal(new Set(pods).size, 15);
    assert.ok(a.exits.every((e) => e.atMs >= 0 && e.atMs < 60_000));
    assert.deepEqual(a.exits.map((e) => e.atMs), [...a.exits.map((e) => e.atMs)].sort((x, y) => x - y));
  });
});
