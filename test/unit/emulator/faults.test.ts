// How long an injected fault lasts: N requests, N seconds (on a pinned clock), or until cleared.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFaultBook } from "../../../dev/emulator/faults.js";

function book() {
  let now = 1_000_000;
  const faults = createFaultBook({ now: () => now });
  return { faults, advance: (ms: number) => void (now += ms) };
}

/** What `take` answers for `times` requests in a row: the status, or "-" when served. */
const take = (faults: ReturnType<typeof createFaultBook>, operation: string, times = 1) =>
  Array.from({ length: times }, () => faults.take(operation)?.status ?? "-");

describe("emulator faults: how long they last", () => {
  it("a fault of N seconds applies until N seconds have passed, however many requests", () => {
    const { faults, advance } = book();
    faults.add({ status: 503, seconds: 2 });
    assert.deepEqual(take(faults, "containerGroups.get", 5), [503, 503, 503, 503, 503]);
    advance(1999);
    assert.deepEqual(take(faults, "containerGroups.get"), [503]);
    advance(1);
    assert.deepEqual(take(faults, "containerGroups.get", 2), ["-", "-"]);
  });

  it("its seconds count from when it is added, not from the first matching request", () => {
    const { faults, advance } = book();
    faults.add({ status: 503, seconds: 1, operation: "location.listUsage" });
    advance(600);
    assert.deepEqual(take(faults, "containerGroups.get"), ["-"], "another operation is served");
    advance(500);
    assert.deepEqual(take(faults, "location.listUsage"), ["-"]);
  });

  it("a fault of N requests applies to the next N matching requests only, whenever they come", () => {
    const { faults, advance } = book();
    faults.add({ status: 429, count: 2, operation: "containerGroups.get" });
    assert.deepEqual(take(faults, "containerGroups.list"), ["-"]);
    advance(3_600_000);
    assert.deepEqual(take(faults, "containerGroups.get", 3), [429, 429, "-"]);
  });

  it("with neither, a fault lasts until cleared", () => {
    const { faults, advance } = book();
    faults.add({ status: 500 });
    advance(24 * 3_600_000);
    assert.deepEqual(take(faults, "containerGroups.delete", 3), [500, 500, 500]);
    faults.clear();
    assert.deepEqual(take(faults, "containerGroups.delete"), ["-"]);
  });

  it("an expired fault no longer hides the one added after it", () => {
    const { faults, advance } = book();
    faults.add({ status: 503, seconds: 1 });
    faults.add({ status: 403 });
    assert.deepEqual(take(faults, "containerGroups.get"), [503]);
    advance(1000);
    assert.deepEqual(take(faults, "containerGroups.get"), [403]);
  });
});
