// How often reconcile lists the container groups: every tick while the list takes at most a quarter of
// the tick's reads, else every few ticks, the ticks between working from the kept list. At 10,000 pods
// the list is 100 pages of ARM's reads; what it saves goes to the running pods' rotation. Nothing may be
// decided on the kept list's word alone: a pod it does not show has its group read before a create, and
// orphans are looked for only right after a list.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reconcile, type ReconcileReport } from "../../../shared/controller/reconcile.js";
import { listEveryTicks } from "../../../shared/controller/group-list-memory.js";
import { boundPod, groupFor, runningPods, type FakeWorld, tickOptions } from "./fake-ports.js";

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** One tick whose list costs `pages` reads (ARM pages it at 100 groups), with `readsPerTick`. */
async function tick(world: FakeWorld, pages: number, readsPerTick: number): Promise<{ report: ReconcileReport; calls: string[] }> {
  world.listPages.count = pages;
  const readsSent = () => world.calls.filter((c) => c.startsWith("GET ")).length + pages * world.calls.filter((c) => c === "LIST groups").length;
  const before = world.calls.length;
  const report = await reconcile(world.deps, tickOptions(world, { readsPerTick, readsSent }));
  world.now.ms += 15_000;
  return { report, calls: world.calls.slice(before) };
}

const lists = (calls: readonly string[]) => calls.filter((c) => c === "LIST groups").length;
const gets = (calls: readonly string[]) => calls.filter((c) => c.startsWith("GET ")).length;

describe("how often reconcile lists the container groups", () => {
  it("spaces the lists so that their pages take a quarter of the reads: every tick at the default share up to 46 pages", () => {
    assert.equal(listEveryTicks(1, 187), 1);
    assert.equal(listEveryTicks(46, 187), 1);
    assert.equal(listEveryTicks(47, 187), 2);
    assert.equal(listEveryTicks(100, 187), 3, "10,000 groups: every 45 s");
    assert.equal(listEveryTicks(10, 18), 3, "1,000 groups at a 5 % share");
  });

  it("lists every tick while the list takes at most a quarter of the tick's reads", async () => {
    const world = runningPods(3);
    const ticks = [await tick(world, 2, 8), await tick(world, 2, 8), await tick(world, 2, 8)];
    assert.deepEqual(ticks.map((t) => lists(t.calls)), [1, 1, 1]);
    assert.ok(ticks.every((t) => t.report.listed));
  });

  it("measures the list's cost by its own pages, not by what other functions read while it was listed", async () => {
    const world = runningPods(3);
    world.listPages.count = 2;
    // Other functions of the instance read 10 times while the tick listed the groups.
    let others = 0;
    world.hooks.beforeGroupList = () => void (others += 10);
    const readsSent = () => gets(world.calls) + 2 * lists(world.calls) + others;
    const ticks: boolean[] = [];
    for (let n = 0; n < 2; n++) {
      ticks.push((await reconcile(world.deps, tickOptions(world, { readsPerTick: 8, readsSent }))).listed);
      world.now.ms += 15_000;
    }
    // 2 pages of 8 reads a tick: a quarter, so listed every tick (12 would have spaced the lists).
    assert.deepEqual(ticks, [true, true]);
  });

  it("publishes one period when every running pod was read on both kinds of tick", async () => {
    const world = runningPods(4);
    // 4 pages of 8 reads: listed every other tick; 4 GETs are left on either kind, one for each pod.
    const ticks = [await tick(world, 4, 8), await tick(world, 4, 8)];
    assert.deepEqual(ticks.map((t) => [t.report.listed, gets(t.calls), t.report.refreshSeconds]), [[true, 4, 15], [false, 4, 15]]);
  });

  it("lists every few ticks when its pages would take more, and the ticks between spend those reads on running pods", async () => {
    const world = runningPods(20);
    // 4 pages of 8 reads: half a tick, so a list every other tick.
    const ticks = [await tick(world, 4, 8), await tick(world, 4, 8), await tick(world, 4, 8), await tick(world, 4, 8)];
    assert.deepEqual(ticks.map((t) => lists(t.calls)), [1, 0, 1, 0]);
    assert.deepEqual(ticks.map((t) => t.report.listed), [true, false, true, false]);
    assert.deepEqual(ticks.map((t) => gets(t.calls)), [4, 8, 4, 8]);
    assert.deepEqual(ticks.map((t) => t.report.groups), [20, 20, 20, 20], "a tick between works from the kept list");
  });

  it("publishes the same refresh time on the ticks with and without a list: the pages count at their average", async () => {
    const world = runningPods(20);
    const withList = await tick(world, 4, 8);
    const without = await tick(world, 4, 8);
    // 12 rotation reads every two ticks: 6 a tick, 20 pods in 4 ticks.
    assert.equal(withList.report.refreshSeconds, 60);
    assert.equal(without.report.refreshSeconds, 60);
  });

  it("reads first the group of a pod the kept list does not show, and creates it only when it is absent", async () => {
    const world = runningPods(2);
    await tick(world, 4, 8);
    // Bound after the list: one whose group the webhook's doorbell made already, one whose doorbell was lost.
    const made = boundPod("made", uid(1), { phase: "Pending" });
    world.pods.set("default/made", made);
    const madeGroup = groupFor(world, made, "Creating");
    const lost = boundPod("lost", uid(2), { phase: "Pending" });
    world.pods.set("default/lost", lost);
    const { calls, report } = await tick(world, 4, 8);
    assert.equal(report.listed, false);
    assert.ok(calls.includes(`GET ${madeGroup}`), calls.join(", "));
    assert.ok(!calls.includes(`PUT ${madeGroup}`), "a group made since the list is not written again");
    const lostGroup = calls.find((c) => c.startsWith("PUT "));
    assert.ok(lostGroup !== undefined && calls.indexOf(`GET ${lostGroup.slice(4)}`) >= 0 && calls.indexOf(`GET ${lostGroup.slice(4)}`) < calls.indexOf(lostGroup), `read, then created: ${calls.join(", ")}`);
  });

  it("costs nothing for a finished pod whose group is gone, with or without a list", async () => {
    const world = runningPods(0);
    world.pods.set("default/done", boundPod("done", uid(4), { phase: "Succeeded" }));
    world.pods.set("default/evicted", boundPod("evicted", uid(5), { phase: "Failed", reason: "Evicted" }));
    const ticks = [await tick(world, 4, 8), await tick(world, 4, 8)];
    assert.deepEqual(ticks.map((t) => t.report.listed), [true, false]);
    for (const { calls } of ticks) assert.deepEqual(calls.filter((c) => c !== "LIST groups" && !c.startsWith("LIST pods")), []);
  });

  it("does not create for a pod the kept list does not show when no read is left to look first", async () => {
    const world = runningPods(0);
    await tick(world, 4, 8);
    world.pods.set("default/late", boundPod("late", uid(3), { phase: "Pending" }));
    const { calls } = await tick(world, 4, 0);
    assert.deepEqual(calls.filter((c) => c.startsWith("PUT ") || c.startsWith("GET ")), []);
  });

  it("looks for orphans right after a list only: the kept list names groups deleted since", async () => {
    const world = runningPods(2);
    await tick(world, 4, 8);
    // web0 deleted and its group with it (the doorbell); web1's pod deleted while its group stayed: an orphan.
    const [gone, orphan] = [...world.groups.keys()];
    world.pods.delete("default/web0");
    world.groups.delete(gone!);
    world.pods.delete("default/web1");
    const between = await tick(world, 4, 8);
    assert.deepEqual(between.calls.filter((c) => c.startsWith("DELETE ") || c.startsWith("FIND ")), []);
    assert.deepEqual(between.report.orphansDeleted, []);
    const listed = await tick(world, 4, 8);
    assert.deepEqual(listed.report.orphansDeleted, [orphan]);
    assert.ok(!listed.calls.includes(`DELETE ${gone}`));
  });
});
