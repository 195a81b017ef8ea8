// Reconcile's decisions when its lists age while it runs, when ARM throttles, and within its read
// budget. Each race is staged between two calls with the fake ports' hooks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { armBudget } from "../../../shared/aci/arm-budget.js";
import { AciError } from "../../../shared/aci/errors.js";
import { groupNameOf, syncPod } from "../../../shared/controller/pod-sync.js";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { boundPod, clusterId, fakeWorld, groupFor, linuxNode, runningPods, type FakeWorld, tickOptions } from "./fake-ports.js";

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("reconcile's orphan sweep", () => {
  it("spares a group whose pod was bound after the pod list was read", async () => {
    const world = fakeWorld();
    const late = boundPod("late", uid(1), { phase: "Running" });
    // Between reconcile's pod list and its group list: the pod is bound and podEvents PUTs its group.
    world.hooks.beforeGroupList = () => {
      world.pods.set("default/late", late);
      groupFor(world, late);
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(report.orphansDeleted, []);
    assert.deepEqual(report.orphansSpared, [groupNameOf(late)]);
    assert.ok(world.groups.has(groupNameOf(late)));
  });

  it("deletes a group whose pod is gone, and one whose pod was replaced by a namesake", async () => {
    const world = fakeWorld();
    const gone = groupFor(world, boundPod("gone", uid(2)));
    const replaced = groupFor(world, boundPod("web", uid(3)));
    world.pods.set("default/web", boundPod("web", uid(4), { phase: "Running" }));
    groupFor(world, world.pods.get("default/web")!);
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual([...report.orphansDeleted].sort(), [gone, replaced].sort());
  });

  it("never touches a group of another cluster's connector of the same name, nor one without a cluster tag", async () => {
    const world = fakeWorld();
    const retag = (name: string, tags: (t: Record<string, string>) => Record<string, string>) => {
      const group = world.groups.get(name)!;
      world.groups.set(name, { ...group, tags: tags({ ...group.tags }) });
    };
    retag(groupFor(world, boundPod("theirs", uid(5))), (t) => ({ ...t, ClusterId: "another-cluster" }));
    retag(groupFor(world, boundPod("legacy", uid(6))), ({ ClusterId: _dropped, ...t }) => t);
    retag(groupFor(world, boundPod("other", uid(12))), (t) => ({ ...t, AciConnector: "other" }));
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(report.orphansDeleted, []);
    assert.equal(report.groups, 0);
    assert.ok(!world.calls.some((c) => c.startsWith("DELETE ")));
    assert.notEqual(clusterId, "another-cluster");
  });

  it("deletes a group of its own whose tags name no pod (no pod can be its owner), and logs each deletion", async () => {
    const world = fakeWorld();
    const name = groupFor(world, boundPod("nameless", uid(13)));
    const group = world.groups.get(name)!;
    const { PodName: _dropped, ...tags } = group.tags!;
    world.groups.set(name, { ...group, tags });
    const gone = groupFor(world, boundPod("gone", uid(14)));
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual([...report.orphansDeleted].sort(), [name, gone].sort());
    const logged = world.logs.filter((l) => l.level === "info" && l.fields?.group === gone);
    assert.equal(logged.length, 1);
    assert.notEqual(logged[0]!.message, "");
    assert.equal(logged[0]!.fields?.pod, "default/gone");
  });
});

describe("reconcile with a stale pod list", () => {
  it("does not create a group for a pod deleted after the list was read", async () => {
    const world = fakeWorld();
    world.pods.set("default/job", boundPod("job", uid(7)));
    world.hooks.beforeGroupList = () => world.pods.delete("default/job");
    const report = await reconcile(world.deps, tickOptions(world));
    assert.ok(!world.calls.some((c) => c.startsWith("PUT ")), world.calls.join(", "));
    assert.equal(report.outcomes.ignored, 1);
  });

  it("does not create a group for a namesake's list entry: the pod is read again by name and UID", async () => {
    const world = fakeWorld();
    world.pods.set("default/job", boundPod("job", uid(8)));
    world.hooks.beforeGroupList = () => world.pods.set("default/job", boundPod("job", uid(9)));
    await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(world.calls.filter((c) => c.startsWith("PUT ")), []);
  });

  it("does not create a group for a pod whose deletion began after the list was read", async () => {
    const world = fakeWorld();
    world.pods.set("default/job", boundPod("job", uid(15)));
    // Between the list and the lookup before the PUT, the pod is deleted (its deletionTimestamp set).
    world.hooks.onFind = () => void (world.pods.get("default/job")!.metadata!.deletionTimestamp = new Date("2026-11-25T10:00:00Z"));
    await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(world.calls.filter((c) => c.startsWith("PUT ")), []);
  });

  it("creates a pending pod's missing group without a GET first: a PUT of the same name is harmless", async () => {
    const world = fakeWorld();
    world.pods.set("default/job", boundPod("job", uid(16)));
    await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(world.calls.filter((c) => /^(GET|PUT) /.test(c)).map((c) => c.split(" ")[0]), ["PUT"]);
  });

  it("leaves a finished pod whose group is gone as it is: a finished pod never runs again", async () => {
    const world = fakeWorld();
    world.pods.set("default/done", boundPod("done", uid(17), { phase: "Succeeded" }));
    world.pods.set("default/broke", boundPod("broke", uid(18), { phase: "Failed" }));
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(world.calls.filter((c) => /^(GET|PUT|STATUS) /.test(c)), []);
    assert.equal(report.outcomes.unchanged, 2);
  });

  it("confirms with a GET before it fails a running pod whose group the list did not have", async () => {
    const world = fakeWorld();
    const pod = boundPod("web", uid(10), { phase: "Running" });
    world.pods.set("default/web", pod);
    const name = groupFor(world, pod);
    // The list is older than the group (it was created while the list was paged through).
    const group = world.groups.get(name)!;
    world.hooks.beforeGroupList = () => world.groups.delete(name);
    world.hooks.onGet = () => world.groups.set(name, group);
    await reconcile(world.deps, tickOptions(world));
    assert.ok(world.calls.includes(`GET ${name}`));
    assert.notEqual(world.pods.get("default/web")!.status?.phase, "Failed");
  });

  it("fails a running pod whose group a GET confirms gone, saying so", async () => {
    const world = fakeWorld();
    world.pods.set("default/web", boundPod("web", uid(11), { phase: "Running" }));
    await reconcile(world.deps, tickOptions(world));
    const status = world.pods.get("default/web")!.status!;
    assert.equal(status.phase, "Failed");
    assert.equal(status.reason, "ContainerGroupNotFound");
    assert.ok(status.message?.includes(groupNameOf(world.pods.get("default/web")!)), status.message);
    assert.ok(world.calls.some((c) => c.startsWith("GET ")));
  });
});

describe("reconcile within ARM's budget", () => {
  // Reconcile syncs a few pods at once: the calls already on their way when the 429 arrives are sent,
  // nothing after. With three times as many pods as run at once, the rest must wait for the next tick.
  const manyPods = armBudget.syncConcurrency * 3;

  it("sends nothing more in a tick after ARM throttled, and reports the wait", async () => {
    const world = fakeWorld();
    for (let i = 0; i < manyPods; i++) world.pods.set(`default/p${i}`, boundPod(`p${i}`, uid(200 + i)));
    world.hooks.onPut = () => {
      throw new AciError("throttled", "creating container group: 429 SubscriptionRequestsThrottled", { statusCode: 429, retryAfterMs: 17_000 });
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.ok(world.calls.filter((c) => c.startsWith("PUT ")).length <= armBudget.syncConcurrency);
    assert.equal(report.retryAfterMs, 17_000);
  });

  it("after a throttled write still reads the running pods: ARM's buckets are per kind", async () => {
    const world = runningPods(4);
    for (let i = 0; i < manyPods; i++) world.pods.set(`default/p${i}`, boundPod(`p${i}`, uid(400 + i)));
    world.hooks.onPut = () => {
      throw new AciError("throttled", "not sent: ARM refills 10 writes a second", { statusCode: 429, retryAfterMs: 10_000, throttledKind: "writes" });
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.ok(world.calls.filter((c) => c.startsWith("PUT ")).length <= armBudget.syncConcurrency, "the creates stopped");
    assert.deepEqual(report.rotation, { running: 4, read: 4 });
    assert.equal(report.retryAfterMs, 10_000);
  });

  it("after a throttled delete still reads the running pods, and tries no other deletion", async () => {
    const world = runningPods(4);
    for (let i = 0; i < manyPods; i++) {
      const pod = boundPod(`going${i}`, uid(500 + i));
      pod.metadata!.deletionTimestamp = new Date(0);
      world.pods.set(`default/going${i}`, pod);
      groupFor(world, pod);
    }
    world.hooks.onGroupDelete = () => {
      throw new AciError("throttled", "not sent: ARM refills 10 deletes a second", { statusCode: 429, retryAfterMs: 10_000, throttledKind: "deletes" });
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.ok(world.calls.filter((c) => c.startsWith("DELETE ") && !c.startsWith("DELETE pod")).length <= armBudget.syncConcurrency, "the deletions stopped");
    assert.deepEqual(report.rotation, { running: 4, read: 4 });
  });

  it("reports the longest wait ARM asked for in the tick, whatever came last", async () => {
    const world = runningPods(2);
    world.pods.set("default/new", boundPod("new", uid(600)));
    world.hooks.onPut = () => {
      throw new AciError("throttled", "writes", { statusCode: 429, retryAfterMs: 10_000, throttledKind: "writes" });
    };
    // The rotation's reads come after the creates.
    world.hooks.onGet = () => {
      throw new AciError("throttled", "reads", { statusCode: 429, retryAfterMs: 4_000, throttledKind: "reads" });
    };
    assert.equal((await reconcile(world.deps, tickOptions(world))).retryAfterMs, 10_000);
  });

  // ARM answers a request sent before Retry-After has passed with another 429 and a new wait
  // (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling): every
  // further call of the tick would only lengthen the wait.
  const throttled = (retryAfterMs?: number) =>
    new AciError("throttled", "429 SubscriptionRequestsThrottled: too many requests", { statusCode: 429, ...(retryAfterMs !== undefined && { retryAfterMs }) });
  const armCalls = (world: FakeWorld) => world.calls.filter((c) => /^(PUT|GET|DELETE|LIST groups)/.test(c) && !c.startsWith("DELETE pod"));

  it("stops its orphan sweep at a throttled DELETE, and sends nothing more that tick", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 3; i++) groupFor(world, boundPod(`gone${i}`, uid(30 + i)));
    world.pods.set("default/new", boundPod("new", uid(33)));
    world.hooks.onGroupDelete = () => {
      throw throttled(9_000);
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(armCalls(world).map((c) => c.split(" ")[0]), ["LIST", "DELETE"]);
    assert.equal(report.retryAfterMs, 9_000);
  });

  it("stops its orphan sweep when ARM throttles its deletes", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 3; i++) groupFor(world, boundPod(`gone${i}`, uid(40 + i)));
    world.hooks.onGroupDelete = () => {
      throw new AciError("throttled", "not sent: ARM refills 10 deletes a second", { statusCode: 429, retryAfterMs: 10_000, throttledKind: "deletes" });
    };
    await reconcile(world.deps, tickOptions(world));
    assert.equal(armCalls(world).filter((c) => c.startsWith("DELETE ")).length, 1);
  });

  it("stops after a throttled GET: the other pods wait for the next tick", async () => {
    const world = fakeWorld();
    for (let i = 0; i < manyPods; i++) {
      const pod = boundPod(`p${i}`, uid(300 + i), { phase: "Pending" });
      world.pods.set(`default/p${i}`, pod);
      groupFor(world, pod, "Creating");
    }
    world.hooks.onGet = () => {
      throw throttled(4_000);
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.ok(armCalls(world).filter((c) => c.startsWith("GET ")).length <= armBudget.syncConcurrency);
    assert.equal(report.retryAfterMs, 4_000);
  });

  it("sends nothing after a throttled group list, and waits even when ARM named no time", async () => {
    const world = fakeWorld();
    groupFor(world, boundPod("orphan", uid(38)));
    world.pods.set("default/new", boundPod("new", uid(39)));
    world.hooks.beforeGroupList = () => {
      throw throttled();
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(armCalls(world), ["LIST groups"]);
    assert.equal(report.retryAfterMs, armBudget.defaultRetryAfterMs);
  });

  it("goes on after an error that is not throttling: one pod's failure is not the others'", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 3; i++) world.pods.set(`default/p${i}`, boundPod(`p${i}`, uid(100 + i)));
    world.hooks.onPut = (name) => {
      if (name === groupNameOf(world.pods.get("default/p0")!)) throw new Error("socket hang up");
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.equal(world.calls.filter((c) => c.startsWith("PUT ")).length, 3);
    assert.equal(report.outcomes.created, 2);
    assert.equal(report.retryAfterMs, undefined);
    const warnings = world.logs.filter((l) => l.level === "warn");
    assert.equal(warnings.length, 1, "one warning for the tick");
    assert.notEqual(warnings[0]!.message, "");
    assert.deepEqual(warnings[0]!.fields, { errors: 1, first: "socket hang up" });
  });

  it("goes on after an ARM refusal that is not throttling: a 409 ContainerGroupTransitioning on one orphan's DELETE", async () => {
    const world = fakeWorld();
    const first = groupFor(world, boundPod("gone0", uid(108)));
    const second = groupFor(world, boundPod("gone1", uid(109)));
    world.pods.set("default/new", boundPod("new", uid(110)));
    // ARM refuses to delete a group while it is being changed (409 ContainerGroupTransitioning): that
    // group is tried again next tick; unlike a 429, it says nothing about the connector's other requests.
    world.hooks.onGroupDelete = (name) => {
      if (name === first) throw new AciError("conflict", `deleting container group ${name} failed: 409 ContainerGroupTransitioning: busy`, { statusCode: 409, code: "ContainerGroupTransitioning" });
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(report.orphansDeleted, [second]);
    assert.equal(report.outcomes.created, 1);
    assert.equal(report.retryAfterMs, undefined);
    assert.equal(report.errors.length, 1);
  });

  it("logs no warning for a tick without errors", async () => {
    const world = fakeWorld();
    world.pods.set("default/p", boundPod("p", uid(104)));
    await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(world.logs.filter((l) => l.level !== "info"), []);
  });

  it("fails the tick, sending nothing to ARM, when it cannot list a node's pods: without them no group is an orphan", async () => {
    const world = fakeWorld();
    groupFor(world, boundPod("maybe-orphan", uid(105)));
    const failing = { ...world.deps, podsAs: (node: string) => ({ ...world.deps.podsAs(node), listPodsOnNode: () => Promise.reject(new Error("connect ECONNREFUSED")) }) };
    await assert.rejects(reconcile(failing, tickOptions(world)), (e: Error) => e.message.includes(linuxNode) && e.message.includes("ECONNREFUSED") && (e.cause as Error).message === "connect ECONNREFUSED");
    assert.deepEqual(world.calls, []);
  });

  it("spends no read of its budget on creating, failing nothing, and finishing deletions", async () => {
    const world = fakeWorld();
    world.pods.set("default/new", boundPod("new", uid(106)));
    const leaving = boundPod("leaving", uid(107), { phase: "Running" });
    leaving.metadata!.deletionTimestamp = new Date("2026-11-25T09:59:30Z");
    world.pods.set("default/leaving", leaving);
    groupFor(world, leaving);
    // A budget of one read: the list's.
    const report = await reconcile(world.deps, tickOptions(world, { readsPerTick: 1 }));
    assert.deepEqual(report.outcomes, { created: 1, deleted: 1 });
    assert.equal(report.reads, 1);
  });

  it("reads at most its budget in a tick, the list's page included", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 12; i++) {
      const pod = boundPod(`p${i}`, uid(40 + i), { phase: "Pending" });
      world.pods.set(`default/p${i}`, pod);
      groupFor(world, pod, "Creating");
    }
    const report = await reconcile(world.deps, tickOptions(world, { readsPerTick: 6 }));
    assert.equal(report.reads, 6);
    assert.equal(world.calls.filter((c) => c.startsWith("GET ")).length, 5);
  });

  it("counts the GET that confirms a running pod's group gone against the budget", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 12; i++) world.pods.set(`default/r${i}`, boundPod(`r${i}`, uid(70 + i), { phase: "Running" }));
    const report = await reconcile(world.deps, tickOptions(world, { readsPerTick: 6 }));
    assert.equal(world.calls.filter((c) => c.startsWith("GET ")).length, 5);
    assert.equal(report.reads, 6);
    // A running pod is failed only once a GET confirmed its group gone: the seven unread ones stay Running.
    assert.equal([...world.pods.values()].filter((p) => p.status?.phase === "Failed").length, 5);
  });

  it("spends a budget of one GET on a changing group before a running pod's settled one", async () => {
    const world = fakeWorld();
    const settled = boundPod("settled", uid(90), { phase: "Running" });
    const creating = boundPod("creating", uid(91), { phase: "Pending" });
    world.pods.set("default/settled", settled);
    world.pods.set("default/creating", creating);
    groupFor(world, settled, "Succeeded");
    const name = groupFor(world, creating, "Creating");
    await reconcile(world.deps, tickOptions(world, { readsPerTick: 2 }));
    assert.deepEqual(world.calls.filter((c) => c.startsWith("GET ")), [`GET ${name}`]);
  });

  it("never reads a finished pod's finished group, even with reads to spare", async () => {
    const world = fakeWorld();
    const done = boundPod("done", uid(92), { phase: "Succeeded" });
    world.pods.set("default/done", done);
    groupFor(world, done, "Succeeded");
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(world.calls.filter((c) => c.startsWith("GET ")), []);
    assert.deepEqual(report.errors, []);
  });

  it("writes a pod's status only when it says something new", async () => {
    const world = fakeWorld();
    const pod = boundPod("web", uid(60), { phase: "Pending" });
    world.pods.set("default/web", pod);
    groupFor(world, pod, "Succeeded");
    await syncPod(world.deps, world.pods.get("default/web")!, undefined);
    const writes = () => world.calls.filter((c) => c.startsWith("STATUS ")).length;
    assert.equal(writes(), 1);
    world.now.ms += 15_000;
    await syncPod(world.deps, world.pods.get("default/web")!, undefined);
    assert.equal(writes(), 1, "the same group state again: nothing written");
  });
});
