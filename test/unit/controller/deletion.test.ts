// A kubelet's part in a pod's deletion (the pod has a deletionTimestamp): stop its containers, then
// delete the pod for good (grace period 0). Here the containers are the container group: the pod goes
// only once ARM says the group is gone, never while ARM is still deleting it, so no container outlives
// the pod the user sees. Deletions are never put off for the read budget.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { boundPod, fakeWorld, groupFor, type FakeWorld, tickOptions } from "./fake-ports.js";

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function terminating(world: FakeWorld, name: string, n: number, phase = "Running"): V1Pod {
  const pod = boundPod(name, uid(n), { phase });
  pod.metadata!.deletionTimestamp = new Date("2026-11-25T09:59:30Z");
  world.pods.set(`default/${name}`, pod);
  return pod;
}

describe("a pod being deleted", () => {
  it("stays while ARM is still deleting its group, and is deleted once the group is gone", async () => {
    const world = fakeWorld();
    const name = groupFor(world, terminating(world, "web", 1));
    let armStillDeleting = true;
    world.hooks.onGroupDelete = () => (armStillDeleting ? "deleting" : undefined);
    assert.deepEqual((await reconcile(world.deps, tickOptions(world))).outcomes, { deleting: 1 });
    assert.ok(world.pods.has("default/web"));
    assert.ok(!world.calls.some((c) => c.startsWith("DELETE pod")));

    armStillDeleting = false;
    assert.deepEqual((await reconcile(world.deps, tickOptions(world))).outcomes, { deleted: 1 });
    assert.ok(!world.pods.has("default/web"));
    assert.ok(!world.groups.has(name));
    const logged = world.logs.filter((l) => l.level === "info" && l.fields?.pod === "web");
    assert.equal(logged.length, 1);
    assert.notEqual(logged[0]!.message, "");
    assert.deepEqual(logged[0]!.fields, { namespace: "default", pod: "web", group: name });
  });

  it("is deleted at once when its group is already gone", async () => {
    const world = fakeWorld();
    terminating(world, "web", 2);
    assert.deepEqual((await reconcile(world.deps, tickOptions(world))).outcomes, { deleted: 1 });
    assert.ok(!world.pods.has("default/web"));
  });

  it("is deleted when it had finished, its finished group too (such a group is otherwise never read)", async () => {
    const world = fakeWorld();
    groupFor(world, terminating(world, "job", 3, "Succeeded"), "Succeeded");
    assert.deepEqual((await reconcile(world.deps, tickOptions(world))).outcomes, { deleted: 1 });
    assert.equal(world.groups.size, 0);
    assert.ok(!world.pods.has("default/job"));
  });

  it("is deleted even when the tick's read budget is spent", async () => {
    const world = fakeWorld();
    groupFor(world, terminating(world, "web", 4));
    assert.deepEqual((await reconcile(world.deps, tickOptions(world, { readsPerTick: 1 }))).outcomes, { deleted: 1 });
  });
});
