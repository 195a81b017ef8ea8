// ARM requests over the last minutes, from the meter's counts since the process started.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { armWindowMs, createArmWindow } from "../../../shared/aci/arm-window.js";
import type { ArmRequestKind } from "../../../shared/aci/arm-throttle.js";

function meter() {
  const sent: Record<ArmRequestKind, number> = { reads: 0, writes: 0, deletes: 0 };
  return { sent, meter: { sent: (k: ArmRequestKind) => sent[k] } };
}

describe("the ARM window", () => {
  it("counts from the process's start while it is younger than the window", () => {
    const m = meter();
    const window = createArmWindow(m.meter, 0);
    m.sent.reads = 40;
    m.sent.writes = 2;
    assert.deepEqual(window.sample(60_000), { windowSeconds: 60, reads: 40, writes: 2, deletes: 0 });
  });

  it("counts only the last five minutes once the process is older", () => {
    const m = meter();
    const window = createArmWindow(m.meter, 0);
    // A tick every 15 s, 10 reads and 1 delete each.
    let last;
    for (let t = 15_000; t <= 15 * 60_000; t += 15_000) {
      m.sent.reads += 10;
      m.sent.deletes += 1;
      last = window.sample(t);
    }
    assert.deepEqual(last, { windowSeconds: armWindowMs / 1000, reads: 200, writes: 0, deletes: 20 });
  });
});
