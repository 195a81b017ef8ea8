// Which container groups reconcile reads in a tick. A group that can be changing is read every tick, so a
// pod's status follows ACI within one period; a running pod's settled group is read with the reads left,
// least recently read first; a finished pod on a finished group is never read again. Reads are what
// ARM's budget is spent on (25 reads per second per principal and region), so each of these decides the cost.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1PodStatus } from "@kubernetes/client-node";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { groupNameOf } from "../../../shared/controller/pod-sync.js";
import { armBudget } from "../../../shared/aci/arm-budget.js";
import { boundPod, fakeWorld, groupFor, runningGroupFor, runningPods, type FakeWorld, tickOptions } from "./fake-ports.js";

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** How many GETs two consecutive ticks make with the default budget (far more than one pod needs). */
async function readsOverTwoTicks(world: FakeWorld): Promise<number> {
  await reconcile(world.deps, tickOptions(world));
  await reconcile(world.deps, tickOptions(world));
  return world.calls.filter((c) => c.startsWith("GET ")).length;
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
  // provisioningState): the pod's status can change any moment. Among 8 running pods on settled groups
  // and 3 GETs a tick, the rotation alone would reach it once in 3 ticks.
  for (const state of ["Pending", "Creating", "Accepted", "Repairing", "Updating"]) {
    it(`reads a running pod's group every tick while it is ${state}, before the rotation`, async () => {
      assert.deepEqual(await firstReadsInACrowd({ phase: "Running" }, state), [true, true, true]);
    });
  }

  it("reads a pending pod's group every tick, even a settled one: the pod is waiting for its first status", async () => {
    assert.deepEqual(await firstReadsInACrowd({ phase: "Pending" }, "Succeeded"), [true, true, true]);
  });

  it("reads every tick the group of a pod with no phase yet", async () => {
    assert.deepEqual(await firstReadsInACrowd({}, "Succeeded"), [true, true, true]);
  });

  it("deletes at every tick the group of a pod evicted with its Spot group while the group is still there", async () => {
    const world = runningPods(8);
    const pod = boundPod("evicted", uid(96), { phase: "Failed", reason: "Evicted" });
    world.pods.set("default/evicted", pod);
    const name = groupFor(world, pod, "Succeeded");
    // ARM takes the delete and is still carrying it out: the group is still listed at the next tick.
    world.hooks.onGroupDelete = () => "deleting";
    for (let tick = 0; tick < 2; tick++) {
      const before = world.calls.length;
      await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
      world.now.ms += 15_000;
      assert.equal(world.calls.slice(before).find((c) => c.startsWith("DELETE ") && !c.startsWith("DELETE pod")), `DELETE ${name}`, `tick ${tick}`);
    }
  });

  it("forgets the read times of groups a list no longer shows", async () => {
    const world = runningPods(2);
    await reconcile(world.deps, tickOptions(world));
    const [gone] = [...world.groups.keys()];
    assert.notEqual(world.ledger.lastRead(gone!), undefined);
    world.groups.delete(gone!);
    world.pods.delete("default/web0");
    await reconcile(world.deps, tickOptions(world));
    assert.equal(world.ledger.lastRead(gone!), undefined);
  });

  it("reads a running pod's settled group every tick while the budget has reads left for it", async () => {
    assert.equal(await readsOverTwoTicks(onePod({ phase: "Running" }, "Succeeded")), 2);
  });

  for (const [phase, state] of [["Succeeded", "Succeeded"], ["Failed", "Failed"], ["Failed", "Succeeded"], ["Succeeded", "Failed"], ["Failed", "Canceled"]]) {
    it(`never reads a ${phase} pod's ${state} group, even with reads to spare`, async () => {
      const world = onePod({ phase }, state!);
      await reconcile(world.deps, tickOptions(world));
      assert.deepEqual(world.calls.filter((c) => c.startsWith("GET ")), []);
    });
  }

  it("reads every tick a group whose list item shows no provisioning state: it is not known to be settled", async () => {
    const world = runningPods(8);
    const [name, group] = [...world.groups.entries()].at(-1)!;
    const { provisioningState: _unknown, ...properties } = group.properties!;
    world.groups.set(name, { ...group, properties });
    // Three GETs a tick (and the list): the group of unknown state takes the first, before the rotation.
    for (let tick = 0; tick < 3; tick++) {
      const before = world.calls.length;
      await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
      world.now.ms += 15_000;
      const reads = world.calls.slice(before).filter((c) => c.startsWith("GET "));
      assert.equal(reads.length, 3);
      assert.equal(reads[0], `GET ${name}`);
    }
  });

  // ARM's terminal provisioning states are Succeeded, Failed and Canceled (the resource provider
  // contract, azure-resource-manager-rpc); any other state is ACI still working on the group.
  it("reads a finished pod's group while ACI still works on it (Unhealthy)", async () => {
    const world = onePod({ phase: "Failed" }, "Unhealthy");
    await reconcile(world.deps, tickOptions(world));
    assert.equal(world.calls.filter((c) => c.startsWith("GET ")).length, 1);
  });

  it("reads the running pods least recently read first: each once in running / reads-left ticks", async () => {
    const world = runningPods(9);
    // Four reads a tick: the list's and three GETs.
    const perTick: string[][] = [];
    for (let tick = 0; tick < 3; tick++) {
      const before = world.calls.length;
      await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
      world.now.ms += 15_000;
      perTick.push(world.calls.slice(before).filter((c) => c.startsWith("GET ")));
    }
    assert.deepEqual(perTick.map((reads) => reads.length), [3, 3, 3]);
    assert.equal(new Set(perTick.flat()).size, 9, perTick.flat().join(", "));
    // The fourth tick starts the round again with the three read longest ago.
    const before = world.calls.length;
    await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
    assert.deepEqual(world.calls.slice(before).filter((c) => c.startsWith("GET ")).sort(), [...perTick[0]!].sort());
  });

  it("goes on with the round where it left off when a changing group took a read", async () => {
    const world = runningPods(5);
    await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
    const first = world.calls.filter((c) => c.startsWith("GET "));
    world.now.ms += 15_000;
    const creating = boundPod("creating", uid(99), { phase: "Pending" });
    world.pods.set("default/creating", creating);
    const creatingGroup = groupFor(world, creating, "Creating");
    const before = world.calls.length;
    await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
    const second = world.calls.slice(before).filter((c) => c.startsWith("GET "));
    assert.equal(second[0], `GET ${creatingGroup}`, "the changing group first");
    assert.equal(second.length, 3);
    for (const read of second.slice(1)) assert.ok(!first.includes(read), `${read} was read last tick while others waited`);
  });

  it("publishes how often each running pod is re-read at this pace: period × running / reads left, in whole ticks", async () => {
    const world = runningPods(9);
    const report = await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
    assert.deepEqual(report.rotation, { running: 9, read: 3 });
    assert.equal(report.refreshSeconds, 45);
    const seven = runningPods(7);
    assert.equal((await reconcile(seven.deps, tickOptions(seven, { readsPerTick: 4 }))).refreshSeconds, 45, "7 pods at 3 a tick: 3 ticks");
  });

  it("publishes one period when every running pod was read, and no figure when none could be", async () => {
    const world = runningPods(3);
    assert.equal((await reconcile(world.deps, tickOptions(world))).refreshSeconds, 15);
    const starved = runningPods(3);
    const report = await reconcile(starved.deps, tickOptions(starved, { readsPerTick: 1 }));
    assert.equal(report.refreshSeconds, undefined);
    assert.deepEqual(report.rotation, { running: 3, read: 0 });
  });

  it("leaves the rest of ARM's bucket to others while ARM says it is low: no group read, creations go on", async () => {
    const world = runningPods(3);
    const pending = boundPod("pending", uid(98), { phase: "Pending" });
    world.pods.set("default/pending", pending);
    groupFor(world, pending, "Creating");
    world.pods.set("default/new", boundPod("new", uid(97)));
    const report = await reconcile(world.deps, tickOptions(world, { readsRemaining: () => armBudget.reads.keepInBucket - 1 }));
    // The changing group's write raises an ARM event: aciEvents reads it, reconcile need not.
    assert.deepEqual(world.calls.filter((c) => /^(GET|PUT) /.test(c)), [`PUT ${groupNameOf(world.pods.get("default/new")!)}`]);
    assert.equal(report.rotation.read, 0);
    const plenty = runningPods(3);
    await reconcile(plenty.deps, tickOptions(plenty, { readsRemaining: () => armBudget.reads.keepInBucket }));
    assert.equal(plenty.calls.filter((c) => c.startsWith("GET ")).length, 3, "at the floor itself the rotation goes on");
  });

  it("reads no group while this instance's line for ARM's reads is longer than the tick has left", async () => {
    const world = runningPods(3);
    const late = await reconcile(world.deps, tickOptions(world, { armWaitMs: (kind) => (kind === "reads" ? 46_000 : 0), timeLeftMs: () => 45_000 }));
    assert.equal(world.calls.filter((c) => c.startsWith("GET ")).length, 0);
    assert.deepEqual(late.errors, ["this instance's reads to ARM are spoken for 46 s ahead, past the tick's deadline: the rest wait for the next tick"]);
    // A wait that ends at the deadline itself is begun.
    const inTime = await reconcile(world.deps, tickOptions(world, { armWaitMs: () => 45_000, timeLeftMs: () => 45_000 }));
    assert.equal(inTime.rotation.read, 3);
  });

  it("spends its budget by what the ARM client counted, reads of other functions in the tick included", async () => {
    const world = runningPods(armBudget.syncConcurrency * 3);
    let others = 0;
    const readsSent = () => world.calls.filter((c) => c.startsWith("GET ") || c === "LIST groups").length + others;
    // While the first GETs are out, other functions of the instance (a `kubectl logs -f`) read ten times.
    world.hooks.onGet = () => void (others === 0 && (others = 10));
    const readsPerTick = 1 + armBudget.syncConcurrency + 3;
    const report = await reconcile(world.deps, tickOptions(world, { readsPerTick, readsSent }));
    // The first syncs took their reads before anyone else read; after that the budget was spent.
    assert.equal(world.calls.filter((c) => c.startsWith("GET ")).length, armBudget.syncConcurrency);
    assert.equal(report.reads, 1 + armBudget.syncConcurrency + 10);
  });

  it("counts what other functions read between two ticks against the next tick's rotation, never against its urgent reads", async () => {
    const world = runningPods(9);
    let others = 0;
    const readsSent = () => world.calls.filter((c) => c.startsWith("GET ") || c === "LIST groups").length + others;
    const rotationGets = async () => {
      const before = world.calls.length;
      await reconcile(world.deps, tickOptions(world, { readsPerTick: 4, readsSent }));
      world.now.ms += 15_000;
      return world.calls.slice(before).filter((c) => c.startsWith("GET ")).length;
    };
    // Four reads a tick: the list's and three GETs.
    assert.equal(await rotationGets(), 3);
    // Between the ticks, aciEvents read two groups: the next tick's rotation reads two fewer.
    others += 2;
    assert.equal(await rotationGets(), 1);
    // Nothing read between ticks since: the rotation has its three again.
    assert.equal(await rotationGets(), 3);

    // A pod waiting for its first status is read even when the reads between ticks took the rest.
    const pending = boundPod("pending", uid(97), { phase: "Pending" });
    world.pods.set("default/pending", pending);
    const pendingGroup = groupFor(world, pending, "Creating");
    others += 3;
    const before = world.calls.length;
    const report = await reconcile(world.deps, tickOptions(world, { readsPerTick: 4, readsSent }));
    assert.deepEqual(world.calls.slice(before).filter((c) => c.startsWith("GET ")), [`GET ${pendingGroup}`]);
    assert.equal(report.rotation.read, 0);
  });
});

/**
 * Whether, in each of three ticks of 4 reads (the list's and 3 GETs), the first GET was of the group of
 * a pod with `status` on a group provisioned as `groupState`, among 8 running pods on settled groups.
 */
async function firstReadsInACrowd(status: V1PodStatus, groupState: string): Promise<boolean[]> {
  const world = runningPods(8);
  const pod = boundPod("target", uid(95), status);
  world.pods.set("default/target", pod);
  const name = groupFor(world, pod, groupState);
  const reads: boolean[] = [];
  for (let tick = 0; tick < 3; tick++) {
    // The pod as it was, whatever the last tick wrote to it: its kind of read is what is tested.
    world.pods.set("default/target", structuredClone(pod));
    const before = world.calls.length;
    await reconcile(world.deps, tickOptions(world, { readsPerTick: 4 }));
    world.now.ms += 15_000;
    reads.push(world.calls.slice(before).find((c) => c.startsWith("GET ")) === `GET ${name}`);
  }
  return reads;
}
