// A Spot pod whose container group ACI evicted (Azure took the capacity back), said on the pod as a
// kubelet says an eviction (pkg/kubelet/eviction/eviction_manager.go: phase Failed, reason Evicted, a
// Warning Event "Evicted"), then its group deleted: ACI restarts an evicted Spot group by itself, and it
// would run and bill for a pod that is over. An eviction is final: once the pod says it, a later sync only
// deletes the group (without reading it first), and never writes the pod again.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import type { WireContainerGroup } from "../../../shared/aci/container-groups.js";
import { syncPod } from "../../../shared/controller/pod-sync.js";
import { boundPod, fakeWorld, groupFor, type FakeWorld } from "./fake-ports.js";

const uid = "00000000-0000-4000-8000-0000000005e1";
const namesakeUid = "00000000-0000-4000-8000-0000000005e2";
// As the emulator reports an eviction (docs/emulator.md, "Spot eviction"): a Warning event on the group.
const evictedWords = "The Spot container group was evicted: Azure needed the capacity back. It is restarted automatically.";
const evictionNote = `ACI evicted the pod's Spot container group (Azure needed the capacity back): ${evictedWords}`;

/** A pod asking for Spot, Running in its Spot group since 10:00:05; returns the group's name. */
async function runningSpotPod(world: FakeWorld): Promise<string> {
  const pod = boundPod("web", uid);
  pod.metadata!.annotations = { "aci-connector.io/priority": "Spot" };
  world.pods.set("default/web", pod);
  const name = groupFor(world, pod, "Succeeded");
  aciReports(world, name, []);
  assert.equal(await sync(world, undefined), "status-updated");
  assert.equal(world.pods.get("default/web")!.status?.phase, "Running");
  world.calls.length = 0;
  world.logs.length = 0;
  return name;
}

/** The group as a GET returns it: its container running, and the group's own events. */
function aciReports(world: FakeWorld, name: string, groupEvents: object[]) {
  const group = world.groups.get(name)!;
  const listed = (group.properties as { containers: { name: string; properties: object }[] }).containers;
  const containers = listed.map((c) => ({ ...c, properties: { ...c.properties, instanceView: { restartCount: groupEvents.length, currentState: { state: "Running", startTime: "2026-11-25T10:00:05Z" } } } }));
  world.groups.set(name, { ...group, properties: { ...group.properties, containers, instanceView: { state: "Running", events: groupEvents } } });
}

/** ACI evicts the group at 10:05:00 and restarts it, as the emulator's evictGroup does. */
function aciEvicts(world: FakeWorld, name: string) {
  aciReports(world, name, [{ count: 1, firstTimestamp: "2026-11-25T10:05:00Z", lastTimestamp: "2026-11-25T10:05:00Z", name: "Evicted", message: evictedWords, type: "Warning" }]);
  world.now.ms = Date.parse("2026-11-25T10:05:03Z");
}

const sync = (world: FakeWorld, group: WireContainerGroup | "unlisted" | undefined, pod: V1Pod = world.pods.get("default/web")!) => syncPod(world.deps, structuredClone(pod), group);
const warnings = (world: FakeWorld) => world.events.filter((e) => e.type === "Warning").map((e) => [e.reason, e.note]);

describe("a Spot pod whose group ACI evicted", () => {
  it("fails as a kubelet's evicted pod, with one Warning Evicted and a warning logged, and its group is deleted", async () => {
    const world = fakeWorld();
    const name = await runningSpotPod(world);
    aciEvicts(world, name);

    assert.equal(await sync(world, undefined), "evicted");
    const status = world.pods.get("default/web")!.status!;
    assert.deepEqual([status.phase, status.reason, status.message], ["Failed", "Evicted", evictionNote]);
    assert.deepEqual(
      status.conditions?.filter((c) => c.type === "DisruptionTarget").map((c) => [c.status, c.reason]),
      [["True", "TerminationByKubelet"]],
    );
    assert.deepEqual(warnings(world), [["Evicted", evictionNote]]);
    assert.deepEqual(world.calls, [`GET ${name}`, "STATUS default/web", "EVENT Evicted", `DELETE ${name}`]);
    assert.ok(!world.groups.has(name), "the group ACI restarted is gone");
    const fields = { namespace: "default", pod: "web", group: name };
    assert.deepEqual(world.logs, [
      { level: "warn", message: "pod evicted with its Spot container group", fields },
      { level: "info", message: "evicted pod's container group deleted", fields },
    ]);
  });

  it("records no Event when the pod was not written (a namesake replaced it), and still deletes the evicted pod's group", async () => {
    const world = fakeWorld();
    const name = await runningSpotPod(world);
    aciEvicts(world, name);
    const evicted = world.pods.get("default/web")!;
    // The pod was deleted and a namesake created since: the status patch's UID precondition fails.
    world.pods.set("default/web", boundPod("web", namesakeUid));

    assert.equal(await sync(world, undefined, evicted), "evicted");
    assert.deepEqual(world.events, []);
    assert.equal(world.pods.get("default/web")!.status?.phase, "Pending", "the namesake is not touched");
    assert.ok(world.calls.includes(`DELETE ${name}`));
    assert.ok(!world.groups.has(name));
  });

  it("logs no deletion when the group was already gone by the DELETE", async () => {
    const world = fakeWorld();
    const name = await runningSpotPod(world);
    aciEvicts(world, name);
    // Deleted outside the connector between the GET and the DELETE: ARM answers 404 (absent).
    world.hooks.onGroupDelete = (n) => void world.groups.delete(n);

    assert.equal(await sync(world, undefined), "evicted");
    assert.deepEqual(world.logs.map((l) => l.message), ["pod evicted with its Spot container group"]);
  });

  it("logs the deletion when ARM accepted it and is still carrying it out", async () => {
    const world = fakeWorld();
    const name = await runningSpotPod(world);
    aciEvicts(world, name);
    world.hooks.onGroupDelete = () => "deleting";

    assert.equal(await sync(world, undefined), "evicted");
    assert.deepEqual(world.logs.at(-1), { level: "info", message: "evicted pod's container group deleted", fields: { namespace: "default", pod: "web", group: name } });
  });
});

describe("a pod already evicted", () => {
  /** The pod's status written, but its group's DELETE failed (ARM unreachable): the group ACI restarted runs on. */
  async function evictedWithGroupLeft(world: FakeWorld): Promise<string> {
    const name = await runningSpotPod(world);
    aciEvicts(world, name);
    world.hooks.onGroupDelete = () => {
      throw new Error("connect ETIMEDOUT management.azure.com");
    };
    await assert.rejects(sync(world, undefined), /ETIMEDOUT/);
    delete world.hooks.onGroupDelete;
    assert.equal(world.pods.get("default/web")!.status?.reason, "Evicted");
    world.now.ms += 15_000;
    world.calls.length = 0;
    world.logs.length = 0;
    world.events.length = 0;
    return name;
  }

  it("its group, as this tick read it, is deleted without a read and without writing the pod again", async () => {
    const world = fakeWorld();
    const name = await evictedWithGroupLeft(world);
    const before = structuredClone(world.pods.get("default/web")!.status);

    assert.equal(await sync(world, structuredClone(world.groups.get(name)!)), "evicted");
    assert.deepEqual(world.calls, [`DELETE ${name}`]);
    assert.ok(!world.groups.has(name));
    assert.deepEqual(world.pods.get("default/web")!.status, before);
    assert.deepEqual(world.events, [], "the eviction was said once");
    assert.deepEqual(world.logs.map((l) => l.message), ["evicted pod's container group deleted"]);
  });

  it("its group not read yet: deleted at once, without a GET", async () => {
    const world = fakeWorld();
    const name = await evictedWithGroupLeft(world);

    assert.equal(await sync(world, undefined), "evicted");
    assert.deepEqual(world.calls, [`DELETE ${name}`]);
    assert.ok(!world.groups.has(name));
  });

  it("its group not in this tick's list: nothing to do, no call at all", async () => {
    const world = fakeWorld();
    const name = await evictedWithGroupLeft(world);
    // Deleted outside the connector since: this tick's list does not have it.
    world.groups.delete(name);
    assert.equal(await sync(world, "unlisted"), "unchanged");
    assert.deepEqual(world.calls, []);
  });
});
