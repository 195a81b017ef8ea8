// How stale a running pod's status can be, published on the virtual nodes: written when it changes,
// never failing the tick, and written again after a node missed it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statusRefreshAnnotation, statusRefreshPublisher } from "../../../shared/controller/status-refresh.js";
import { annotatedNodes } from "./annotated-nodes.js";

function nodes(names: string[], failing = new Set<string>()) {
  const world = annotatedNodes(names, failing);
  return { ...world, publisher: statusRefreshPublisher({ nodes: world.nodes, log: () => world.log }) };
}

describe("the published status refresh time", () => {
  it("is the annotation the README names", () => {
    assert.equal(statusRefreshAnnotation, "aci-connector.io/status-refresh-seconds");
  });

  it("is written on every node in seconds, and not again while it stays the same", async () => {
    const w = nodes(["linux", "windows"]);
    await w.publisher.publish(45);
    assert.deepEqual([...w.annotations.values()].map((a) => a[statusRefreshAnnotation]), ["45", "45"]);
    await w.publisher.publish(45);
    assert.equal(w.patches.length, 2);
    await w.publisher.publish(60);
    assert.deepEqual([...w.annotations.values()].map((a) => a[statusRefreshAnnotation]), ["60", "60"]);
  });

  it('says "unknown" when the last tick had no read left for running pods', async () => {
    const w = nodes(["linux"]);
    await w.publisher.publish(undefined);
    assert.equal(w.annotations.get("linux")![statusRefreshAnnotation], "unknown");
  });

  it("warns and goes on when a node cannot be written, and writes it again next time", async () => {
    const w = nodes(["linux", "windows"], new Set(["linux"]));
    await w.publisher.publish(30);
    assert.equal(w.annotations.get("windows")![statusRefreshAnnotation], "30");
    assert.deepEqual(w.warnings, [{ message: "could not publish the status refresh time", fields: { node: "linux", error: "connect ECONNREFUSED" } }]);
    w.failing.clear();
    await w.publisher.publish(30);
    assert.equal(w.annotations.get("linux")![statusRefreshAnnotation], "30");
  });
});
