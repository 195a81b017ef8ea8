// podEvents' decisions on a doorbell: the event says which pod to look at and nothing else is trusted.
// Only this connector's nodes are asked; a pod is looked up as the node it is bound to; a group is deleted
// at once only by the exact name the doorbell's UID gives, which only that pod's group can have.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { handlePodChanged } from "../../../shared/controller/pod-events.js";
import { AciError } from "../../../shared/aci/errors.js";
import { creationThrottledReason, groupNameOf, type PodSyncDependencies } from "../../../shared/controller/pod-sync.js";
import { boundPod, fakeWorld, groupFor, linuxNode, type FakeWorld } from "./fake-ports.js";

const windowsNode = "virtual-kubelet-unit-windows-westeurope";
const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** The connector with both its nodes; `lookups` records each pod lookup's node and whether it could list. */
function connector(world: FakeWorld) {
  const lookups: [string, boolean | undefined][] = [];
  world.hooks.onFind = (_ref, node, listIfUnrelated) => void lookups.push([node, listIfUnrelated]);
  const deps: PodSyncDependencies = { ...world.deps, nodes: new Map([[linuxNode, "Linux"], [windowsNode, "Windows"]]) };
  return { deps, lookups };
}

describe("a pod doorbell", () => {
  it("reads nothing when it names a node that is not this connector's", async () => {
    const world = fakeWorld();
    world.pods.set("default/web", boundPod("web", uid(1)));
    const { deps } = connector(world);
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(1), node: "aks-nodepool1-12345678-vmss000000" }), "ignored");
    assert.deepEqual(world.calls, []);
  });

  it("with the pod's UID and node: one look as that node, then the group created without reading the pod again", async () => {
    const world = fakeWorld();
    world.pods.set("default/web", boundPod("web", uid(2)));
    const { deps, lookups } = connector(world);
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(2), node: linuxNode }), "created");
    // One look, and the last one: it may list the node's pods to decide.
    assert.deepEqual(lookups, [[linuxNode, true]]);
    assert.deepEqual(world.calls.filter((c) => c.startsWith("PUT ")), [`PUT ${groupNameOf(world.pods.get("default/web")!)}`]);
  });

  it("without a node: asks each of the connector's nodes until one has the pod", async () => {
    const world = fakeWorld();
    const pod = boundPod("web", uid(3));
    world.pods.set("default/web", { ...pod, spec: { ...pod.spec!, nodeName: windowsNode } });
    const { deps, lookups } = connector(world);
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(3) }), "created");
    assert.deepEqual(lookups.map(([node]) => node), [linuxNode, windowsNode]);
  });

  it("for a pod that is gone: deletes its group by the exact name its UID gives, and nothing else", async () => {
    const world = fakeWorld();
    const gone = groupFor(world, boundPod("web", uid(4)));
    const other = groupFor(world, boundPod("api", uid(5)));
    const { deps } = connector(world);
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(4), node: linuxNode }), "orphan-deleted");
    assert.deepEqual(world.calls.filter((c) => c.startsWith("DELETE ")), [`DELETE ${gone}`]);
    assert.ok(world.groups.has(other));
  });

  it("for a pod replaced by a namesake: deletes the old pod's group, never the namesake's", async () => {
    const world = fakeWorld();
    const old = groupFor(world, boundPod("web", uid(6)));
    const namesake = boundPod("web", uid(7), { phase: "Running" });
    world.pods.set("default/web", namesake);
    const kept = groupFor(world, namesake);
    const { deps } = connector(world);
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(6), node: linuxNode }), "orphan-deleted");
    assert.ok(!world.groups.has(old));
    assert.ok(world.groups.has(kept));
    assert.equal(world.pods.get("default/web")!.status?.phase, "Running");
  });

  it("for a pod that is gone with no group left: ignored", async () => {
    const world = fakeWorld();
    const { deps } = connector(world);
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(8), node: linuxNode }), "ignored");
  });

  it("of a Binding (no UID): looks again by GET until the pod is related to its node", async () => {
    const world = fakeWorld();
    const { deps, lookups } = connector(world);
    // The API server's node graph relates the pod to the node only from the third look on.
    world.hooks.onFind = (_ref, node, listIfUnrelated) => {
      lookups.push([node, listIfUnrelated]);
      if (lookups.length === 3) world.pods.set("default/web", boundPod("web", uid(9)));
    };
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", node: linuxNode }), "created");
    assert.deepEqual(lookups, [[linuxNode, false], [linuxNode, false], [linuxNode, false]]);
  });

  it("of a Binding whose pod never shows: five looks, a list only on the last, and nothing deleted (no UID, no name)", async () => {
    const world = fakeWorld();
    const unrelated = groupFor(world, boundPod("web", uid(10)));
    const { deps, lookups } = connector(world);
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", node: linuxNode }), "ignored");
    assert.deepEqual(lookups.map(([, list]) => list), [false, false, false, false, true]);
    assert.ok(world.groups.has(unrelated));
    assert.ok(!world.calls.some((c) => c.startsWith("DELETE ")));
  });

  it("reads nothing once its deadline has passed", async () => {
    const world = fakeWorld();
    world.pods.set("default/web", boundPod("web", uid(11)));
    const { deps } = connector(world);
    await assert.rejects(handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(11), node: linuxNode }, AbortSignal.abort()), { name: "AbortError" });
    assert.deepEqual(world.calls, []);
  });

  it("leaves a creation ARM throttles to reconcile: the pod hears why, and no redelivery is asked for", async () => {
    const world = fakeWorld();
    world.pods.set("default/web", boundPod("web", uid(13)));
    const { deps } = connector(world);
    world.hooks.onPut = () => {
      throw new AciError("throttled", "not sent: ARM refills 10 writes a second", { statusCode: 429, retryAfterMs: 10_000, throttledKind: "writes" });
    };
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(13), node: linuxNode }), "throttled");
    assert.equal(world.pods.get("default/web")!.status?.reason, creationThrottledReason);
    assert.deepEqual(world.events.map((e) => e.reason), [creationThrottledReason]);
    // A read ARM throttles (the group's, before the create) is left to reconcile too.
    world.hooks.onPut = undefined;
    world.hooks.onGet = () => {
      throw new AciError("throttled", "not sent: ARM asked the connector to send no reads before …", { statusCode: 429, retryAfterMs: 1_000, throttledKind: "reads" });
    };
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(13), node: linuxNode }), "throttled");
  });

  it("still fails on any other error, so that Event Grid delivers again", async () => {
    const world = fakeWorld();
    world.pods.set("default/web", boundPod("web", uid(14)));
    const { deps } = connector(world);
    world.hooks.onGet = () => {
      throw new Error("socket hang up");
    };
    await assert.rejects(handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(14), node: linuxNode }), /socket hang up/);
  });

  // The node graph relates a bound pod to its node a moment after the binding is stored: 50 ms, then
  // twice as long each time. The clock is mocked so the test waits for none of it.
  it("of a Binding: looks after 50 ms, then 100, 200, 400 and 800 ms more", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const world = fakeWorld();
    const { deps, lookups } = connector(world);
    const done = handlePodChanged(deps, { namespace: "default", name: "web", node: linuxNode });
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    const looksAfter: number[] = [];
    let elapsed = 0;
    while (lookups.length < 5 && elapsed < 5_000) {
      await settle();
      const before = lookups.length;
      t.mock.timers.tick(10);
      elapsed += 10;
      await settle();
      if (lookups.length > before) looksAfter.push(elapsed);
    }
    assert.equal(await done, "ignored");
    assert.deepEqual(looksAfter, [50, 150, 350, 750, 1550]);
  });

  it("with a UID: looks at once, without waiting", { timeout: 5_000 }, async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const world = fakeWorld();
    world.pods.set("default/web", boundPod("web", uid(12)));
    const { deps } = connector(world);
    // No mocked time passes: a wait before the look would never end, and this test would time out.
    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid: uid(12), node: linuxNode }), "created");
  });
});
