// The reconcile summary published on the virtual nodes as each node: on every node, not again for a
// tick that only changed its figures, at once for a new outcome, never failing the tick.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reconcileSummaryPublisher } from "../../../shared/controller/reconcile-summary.js";
import { annotatedNodes } from "./annotated-nodes.js";
import { reconcileSummaryAnnotation, type ReconcileSummary } from "../../../shared/status/reconcile-summary.js";

const summary: ReconcileSummary = {
  at: "2026-11-26T08:00:00.000Z",
  durationMs: 800,
  outcome: "ok",
  errors: 0,
  pods: 2,
  groups: 2,
  arm: { windowSeconds: 300, reads: 50, writes: 2, deletes: 0 },
  readBudgetPerMinute: 750,
};

function nodes(names: string[], failing = new Set<string>()) {
  const world = annotatedNodes(names, failing);
  let now = Date.parse(summary.at);
  const publisher = reconcileSummaryPublisher({ nodes: world.nodes, clock: { now: () => new Date(now) }, log: () => world.log });
  const advance = (ms: number) => void (now += ms);
  const published = (name: string) => JSON.parse(world.annotations.get(name)![reconcileSummaryAnnotation]!) as ReconcileSummary;
  return { ...world, publisher, advance, published };
}

describe("the published reconcile summary", () => {
  it("is the annotation `aci-connector status` reads", () => {
    assert.equal(reconcileSummaryAnnotation, "aci-connector.io/reconcile");
  });

  it("is written on every node, then once a minute while only its figures change, and at once for a new outcome", async () => {
    const w = nodes(["linux", "windows"]);
    await w.publisher.publish(summary);
    assert.deepEqual(w.published("windows"), summary);
    w.advance(15_000);
    await w.publisher.publish({ ...summary, durationMs: 900 });
    assert.equal(w.patches.length, 2, "a tick that changed only figures writes nothing");
    w.advance(15_000);
    await w.publisher.publish({ ...summary, outcome: "errors", errors: 1, firstError: "boom" });
    assert.equal(w.published("linux").firstError, "boom");
    w.advance(45_000);
    await w.publisher.publish({ ...summary, outcome: "errors", errors: 1, firstError: "boom", durationMs: 700 });
    assert.equal(w.patches.length, 4);
    w.advance(15_000);
    await w.publisher.publish({ ...summary, outcome: "errors", errors: 1, firstError: "boom", durationMs: 600 });
    assert.equal(w.published("linux").durationMs, 600, "a minute after the last write, the figures are refreshed");
  });

  it("warns and goes on when a node cannot be written, and writes again next tick", async () => {
    const w = nodes(["linux", "windows"], new Set(["linux"]));
    await w.publisher.publish(summary);
    assert.equal(w.published("windows").outcome, "ok");
    assert.deepEqual(w.warnings, [{ message: "could not publish the reconcile summary", fields: { node: "linux", error: "connect ECONNREFUSED" } }]);
    w.failing.clear();
    w.advance(15_000);
    await w.publisher.publish(summary);
    assert.equal(w.published("linux").outcome, "ok");
  });
});
