// The order in which reconcile re-reads running pods, and the memory it keeps for it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createReadLedger, leastRecentlyReadFirst } from "../../../shared/controller/read-ledger.js";
import { readsPerTick } from "../../../shared/controller/reconcile.js";

describe("the read ledger", () => {
  it("orders never-read groups first, then the least recently read, ties by name", () => {
    const ledger = createReadLedger();
    ledger.record("b", 2_000);
    ledger.record("a", 1_000);
    ledger.record("d", 1_000);
    assert.deepEqual(leastRecentlyReadFirst(ledger, ["b", "d", "c", "a", "e"], (n) => n), ["c", "e", "a", "d", "b"]);
  });

  it("forgets the groups that are gone, so it never holds more than the pods it serves", () => {
    const ledger = createReadLedger();
    ledger.record("kept", 1);
    ledger.record("deleted", 2);
    ledger.keepOnly(new Set(["kept"]));
    assert.equal(ledger.lastRead("kept"), 1);
    assert.equal(ledger.lastRead("deleted"), undefined);
  });
});

describe("the reads of a reconcile tick", () => {
  // ARM refills 25 reads a second per principal and region (../shared/FACTS.md).
  it("is the share of ARM's refill over one period", () => {
    assert.equal(readsPerTick(0.5, 15), 187);
    assert.equal(readsPerTick(1, 15), 375);
    assert.equal(readsPerTick(0.05, 15), 18);
    assert.equal(readsPerTick(0.5, 3), 37);
  });
});
