// Which container groups reconcile reads in a tick. A group that can be changing is read every tick, so a
// pod's status follows ACI within one period; a settled one is read once per rotation (a slot given by a
// hash of its name); a finished pod on a finished group is never read again. Reads are what ARM's budget
// is spent on (25 reads per second per principal and region), so each of these decides the cost.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1PodStatus } from "@kubernetes/client-node";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { boundPod, fakeWorld, groupFor, type FakeWorld } from "./fake-ports.js";

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** How many GETs two consecutive ticks make, with a rotation so long that a settled group is read at most once. */
async function readsOverTwoTicks(world: FakeWorld): Promise<number> {
  await reconcile(world.deps, { tick: 0, rotationTicks: 1_000_000 });
  await reconcile(world.deps, { tick: 1, rotationTicks: 1_000_000 });
  return world.calls.filter((c) => c.startsWith("GET ")).length;
}

/** The group of a running pod as ACI reports it: provisioned as `state`, the group itself Running. */
function runningGroupFor(world: FakeWorld, pod: ReturnType<typeof boundPod>, state: string) {
  const name = groupFor(world, pod, state);
  const group = world.groups.get(name)!;
  world.groups.set(name, { ...group, properties: { ...group.properties, instanceView: { state: "Running" } } });
}

function onePod(status: V1PodStatus, groupState: string) {
  const world = fakeWorld();
  const pod = boundPod("web", uid(1), status);
  world.pods.set("default/web", pod);
  if (status.phase === "Running") runningGroupFor(world, pod, groupState);
  else groupFor(world, pod, groupState);
  return world;
}

describe("reconcile's reads", () => {
  // ACI's provisioning states of a group on its way somewhere (Microsoft.ContainerInstance's
  // provisioningState): the pod's status can change any moment.
  for (const state of ["Pending", "Creating", "Accepted", "Repairing", "Updating"]) {
    it(`reads a running pod's group every tick while it is ${state}`, async () => {
      assert.equal(await readsOverTwoTicks(onePod({ phase: "Running" }, state)), 2);
    });
  }

  it("reads a pending pod's group every tick, even a settled one: the pod is waiting for its first status", async () => {
    assert.equal(await readsOverTwoTicks(onePod({ phase: "Pending" }, "Succeeded")), 2);
  });

  it("reads every tick the group of a pod with no phase yet", async () => {
    assert.equal(await readsOverTwoTicks(onePod({}, "Succeeded")), 2);
  });

  it("reads a running pod's settled group at most once in two ticks of a long rotation", async () => {
    assert.ok((await readsOverTwoTicks(onePod({ phase: "Running" }, "Succeeded"))) <= 1);
  });

  for (const [phase, state] of [["Succeeded", "Succeeded"], ["Failed", "Failed"], ["Failed", "Succeeded"], ["Succeeded", "Failed"]]) {
    it(`never reads a ${phase} pod's ${state} group, even in its rotation slot`, async () => {
      const world = onePod({ phase }, state!);
      await reconcile(world.deps, { tick: 0, rotationTicks: 1 });
      assert.deepEqual(world.calls.filter((c) => c.startsWith("GET ")), []);
    });
  }

  it("reads every tick a group whose list item shows no provisioning state: it is not known to be settled", async () => {
    const world = onePod({ phase: "Running" }, "Succeeded");
    const [name, group] = [...world.groups.entries()][0]!;
    const { provisioningState: _unknown, ...properties } = group.properties!;
    world.groups.set(name, { ...group, properties });
    assert.equal(await readsOverTwoTicks(world), 2);
  });

  // ARM's terminal provisioning states are Succeeded, Failed and Canceled (the resource provider
  // contract, azure-resource-manager-rpc); any other state is ACI still working on the group.
  it("reads a finished pod's group in its rotation slot while ACI still works on it (Unhealthy)", async () => {
    const world = onePod({ phase: "Failed" }, "Unhealthy");
    await reconcile(world.deps, { tick: 0, rotationTicks: 1 });
    assert.equal(world.calls.filter((c) => c.startsWith("GET ")).length, 1);
  });

  it("reads each settled group exactly once per rotation", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 6; i++) {
      const pod = boundPod(`web${i}`, uid(10 + i), { phase: "Running" });
      world.pods.set(`default/web${i}`, pod);
      runningGroupFor(world, pod, "Succeeded");
    }
    for (let tick = 0; tick < 4; tick++) await reconcile(world.deps, { tick, rotationTicks: 4 });
    const reads = world.calls.filter((c) => c.startsWith("GET "));
    assert.equal(reads.length, 6, reads.join(", "));
    assert.equal(new Set(reads).size, 6);
  });
});
