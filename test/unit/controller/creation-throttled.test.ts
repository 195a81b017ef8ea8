// Creates at ARM's limits (ACI's creation quota, 100 per 5 minutes and 300 per hour by default, answered
// with 429; ARM's own write bucket): nothing spins, and every pod waiting for its group hears why, once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1PodStatus } from "@kubernetes/client-node";
import { armBudget } from "../../../shared/aci/arm-budget.js";
import { AciError } from "../../../shared/aci/errors.js";
import { createFailedReason, creationThrottledMessage, creationThrottledReason, groupNameOf, refusedReason, tellCreationThrottled } from "../../../shared/controller/pod-sync.js";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { boundPod, fakeWorld, groupFor, linuxNode, tickOptions, type FakeWorld } from "./fake-ports.js";

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
// As the ARM client's throttle policy throws it: ARM's 429 on a PUT, or a PUT not sent before ARM's time.
const writesThrottled = () => new AciError("throttled", "PUT Microsoft.ContainerInstance/containerGroups/x failed: 429 TooManyRequests: creations exceeded", { statusCode: 429, retryAfterMs: 60_000, throttledKind: "writes" });

function waitingPods(n: number): FakeWorld {
  const world = fakeWorld();
  for (let i = 0; i < n; i++) world.pods.set(`default/p${i}`, boundPod(`p${i}`, uid(500 + i)));
  world.hooks.onPut = () => {
    throw writesThrottled();
  };
  return world;
}

const told = (world: FakeWorld) => [...world.pods.values()].filter((p) => p.status?.reason === creationThrottledReason).map((p) => p.metadata!.name!).sort();

describe("creates while ARM throttles them", () => {
  it("tells every waiting pod why, with a status kubectl shows and one Warning, and sends nothing more", async () => {
    const world = waitingPods(20);
    const report = await reconcile(world.deps, tickOptions(world));
    assert.equal(report.retryAfterMs, 60_000);
    assert.deepEqual(told(world), [...world.pods.keys()].map((k) => k.slice("default/".length)).sort());
    for (const pod of world.pods.values()) {
      assert.equal(pod.status?.phase, "Pending");
      assert.equal(pod.status?.message, creationThrottledMessage);
    }
    assert.equal(world.events.filter((e) => e.reason === creationThrottledReason && e.type === "Warning").length, 20);
    assert.ok(world.calls.filter((c) => c.startsWith("PUT ")).length < 20, "the PUTs stopped at the first 429");
    // Those whose PUT met the 429 and those never tried, each once: the node's condition counts them.
    assert.deepEqual(report.creationsWaiting, { [linuxNode]: 20 });
  });

  it("counts no pod that is going, nor one whose group exists, tried or not when the 429 came", async () => {
    // More waiting pods than are synced at once: the last two are not tried before the 429 stops the tick.
    const waiting = armBudget.syncConcurrency + 2;
    const world = waitingPods(waiting);
    const going = boundPod("going", uid(650));
    going.metadata!.deletionTimestamp = new Date(0);
    world.pods.set("default/going", going);
    const created = boundPod("created", uid(651), { phase: "Pending" });
    world.pods.set("default/created", created);
    groupFor(world, created, "Creating");
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(report.creationsWaiting, { [linuxNode]: waiting });
    assert.deepEqual([going, created].map((p) => world.pods.get(`default/${p.metadata!.name}`)?.status?.reason), [undefined, undefined]);
  });

  it("says it once: the next throttled tick writes no status and no Event", async () => {
    const world = waitingPods(3);
    await reconcile(world.deps, tickOptions(world));
    const writes = world.calls.filter((c) => c.startsWith("STATUS ") || c.startsWith("EVENT ")).length;
    await reconcile(world.deps, tickOptions(world));
    assert.equal(world.calls.filter((c) => c.startsWith("STATUS ") || c.startsWith("EVENT ")).length, writes);
  });

  it("leaves a pod's own story alone: a refused pod keeps its refusal", async () => {
    const world = waitingPods(1);
    const refused = boundPod("refused", uid(600), { phase: "Pending", reason: refusedReason, message: "spec.containers[0].ports[0]: hostPort is not supported" });
    world.pods.set("default/refused", refused);
    await reconcile(world.deps, tickOptions(world));
    assert.equal(world.pods.get("default/refused")!.status?.reason, refusedReason);
  });

  it("says nothing when only reads were throttled: creates were not what waited", async () => {
    const world = fakeWorld();
    // Enough pods whose groups are being created that the first GETs meet the 429 before "new" is reached.
    for (let i = 0; i < armBudget.syncConcurrency * 2; i++) {
      const pending = boundPod(`pending${i}`, uid(710 + i), { phase: "Pending" });
      world.pods.set(`default/pending${i}`, pending);
      groupFor(world, pending, "Creating");
    }
    world.pods.set("default/new", boundPod("new", uid(700)));
    world.hooks.onGet = () => {
      throw new AciError("throttled", "429 SubscriptionRequestsThrottled", { statusCode: 429, retryAfterMs: 5_000, throttledKind: "reads" });
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.ok(!world.calls.includes("PUT " + groupNameOf(world.pods.get("default/new")!)), "the tick stopped before the create");
    assert.deepEqual(told(world), []);
    assert.deepEqual(report.creationsWaiting, { [linuxNode]: 0 });
  });

  it("clears the reason once the group is created", async () => {
    const world = waitingPods(1);
    await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(told(world), ["p0"]);
    delete world.hooks.onPut;
    world.now.ms += 60_000;
    const report = await reconcile(world.deps, tickOptions(world));
    assert.equal(world.pods.get("default/p0")!.status?.reason, undefined);
    assert.equal(world.groups.size, 1);
    assert.deepEqual(report.creationsWaiting, { [linuxNode]: 0 });
  });
});

// In a burst the doorbells fill this instance's line for ARM's writes (10 a second): a create begun by a
// tick whose deadline comes first would be cut off there, after spending a read.
describe("creates when this instance's line for ARM's writes is longer than the tick has left", () => {
  const burst = (writesWaitMs: number, tickLeftMs: number) => {
    const world = fakeWorld();
    for (let i = 0; i < 5; i++) world.pods.set(`default/p${i}`, boundPod(`p${i}`, uid(900 + i)));
    const going = boundPod("going", uid(950), { phase: "Running" });
    going.metadata!.deletionTimestamp = new Date(0);
    world.pods.set("default/going", going);
    const goingGroup = groupFor(world, going);
    const options = tickOptions(world, { armWaitMs: (kind) => (kind === "writes" ? writesWaitMs : 0), timeLeftMs: () => tickLeftMs });
    return { world, goingGroup, options };
  };

  it("begins none, tells every waiting pod why, and still deletes", async () => {
    const { world, goingGroup, options } = burst(50_000, 45_000);
    const report = await reconcile(world.deps, options);
    assert.deepEqual(world.calls.filter((c) => /^(PUT|GET) /.test(c)), [], "no create, and no read before one");
    assert.ok(world.calls.includes(`DELETE ${goingGroup}`), "deletions have their own line");
    assert.deepEqual(told(world), ["p0", "p1", "p2", "p3", "p4"]);
    assert.deepEqual(report.creationsWaiting, { [linuxNode]: 5 });
    assert.equal(report.retryAfterMs, 50_000);
    assert.deepEqual(report.errors, ["this instance's writes to ARM are spoken for 50 s ahead, past the tick's deadline: the rest wait for the next tick"]);
  });

  it("counts as waiting only the pods without a group, none being begun: not one going, nor one whose group exists", async () => {
    const { world } = burst(0, 45_000);
    const created = boundPod("created", uid(951), { phase: "Pending" });
    world.pods.set("default/created", created);
    groupFor(world, created, "Creating");
    // Going, and no group (it never had one, or it is gone already).
    const groupless = boundPod("groupless", uid(952), { phase: "Pending" });
    groupless.metadata!.deletionTimestamp = new Date(0);
    world.pods.set("default/groupless", groupless);
    const report = await reconcile(world.deps, tickOptions(world, { armWaitMs: () => 50_000, timeLeftMs: () => 45_000 }));
    assert.deepEqual(world.calls.filter((c) => /^(PUT|GET|DELETE) /.test(c)), []);
    assert.deepEqual(report.creationsWaiting, { [linuxNode]: 5 });
    assert.deepEqual(told(world), ["p0", "p1", "p2", "p3", "p4"]);
  });

  it("creates as usual when the line ends before the deadline", async () => {
    const { world, options } = burst(40_000, 45_000);
    const report = await reconcile(world.deps, options);
    assert.equal(world.calls.filter((c) => c.startsWith("PUT ")).length, 5);
    assert.deepEqual(told(world), []);
    assert.deepEqual([report.errors, report.retryAfterMs], [[], undefined]);
  });
});

// One pod at a time, as reconcile tells each pod still waiting: only a Pending pod with nothing else to
// say hears it, once; and telling it is a courtesy that never fails the tick.
describe("telling one pod its create waits", () => {
  const tell = async (world: FakeWorld, status: V1PodStatus) => {
    world.pods.set("default/web", boundPod("web", uid(800), status));
    await tellCreationThrottled(world.deps, structuredClone(world.pods.get("default/web")!), linuxNode);
    return world.pods.get("default/web")!.status;
  };
  const writes = (world: FakeWorld) => world.calls.filter((c) => c.startsWith("STATUS ") || c.startsWith("EVENT "));

  it("a Pending pod with nothing said yet: its status says why, with one Warning", async () => {
    const world = fakeWorld();
    const status = await tell(world, { phase: "Pending" });
    assert.deepEqual([status?.phase, status?.reason, status?.message], ["Pending", creationThrottledReason, creationThrottledMessage]);
    assert.deepEqual(writes(world), ["STATUS default/web", `EVENT ${creationThrottledReason}`]);
    assert.deepEqual(world.events.map((e) => [e.type, e.reason, e.note]), [["Warning", creationThrottledReason, creationThrottledMessage]]);
  });

  it("a pod already told: nothing written again, no second Warning", async () => {
    const world = fakeWorld();
    await tell(world, { phase: "Pending", reason: creationThrottledReason, message: creationThrottledMessage });
    assert.deepEqual(writes(world), []);
  });

  it("a pod told in other words (an earlier version's): told in today's, without a second Warning", async () => {
    const world = fakeWorld();
    const status = await tell(world, { phase: "Pending", reason: creationThrottledReason, message: "ARM is throttling container group creations until 10:05:00" });
    assert.equal(status?.message, creationThrottledMessage);
    assert.deepEqual(writes(world), ["STATUS default/web"]);
  });

  it("a pod no longer Pending (its group was made after all, and it runs) is not told", async () => {
    const world = fakeWorld();
    const status = await tell(world, { phase: "Running" });
    assert.deepEqual(writes(world), []);
    assert.deepEqual(status, { phase: "Running" });
  });

  it("a Pending pod with its own story (ARM refused its group) keeps it", async () => {
    const world = fakeWorld();
    const story = { phase: "Pending", reason: createFailedReason, message: "InvalidImageRegistry: the registry is not reachable" };
    const status = await tell(world, story);
    assert.deepEqual(writes(world), []);
    assert.deepEqual(status, story);
  });

  it("a status write that fails does not fail the caller: a warning is logged, no Event recorded", async () => {
    const world = fakeWorld();
    world.hooks.onStatus = () => {
      throw new Error("the server is currently unable to handle the request");
    };
    await tell(world, { phase: "Pending" });
    assert.deepEqual(world.events, []);
    assert.deepEqual(world.logs, [
      { level: "warn", message: "could not tell a pod its creation waits", fields: { namespace: "default", pod: "web", error: "the server is currently unable to handle the request" } },
    ]);
  });
});
