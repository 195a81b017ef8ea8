// Every call a controller makes carries the invocation's deadline. A function invocation has a timeout
// (functions/triggers.ts): a call that hung past it would go on holding a connection and a pod's state
// after the platform gave up on the invocation, and an Event Grid redelivery could then run beside it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { armBudget } from "../../../shared/aci/arm-budget.js";
import { AciError } from "../../../shared/aci/errors.js";
import type { V1Pod } from "@kubernetes/client-node";
import { handleArmEvent } from "../../../shared/controller/aci-events.js";
import { handlePodChanged } from "../../../shared/controller/pod-events.js";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { boundPod, fakeWorld, groupFor, linuxNode, type FakeWorld, tickOptions } from "./fake-ports.js";

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A pending pod that mounts a Secret and a ConfigMap, both there: creating it reads both. */
function podWithReferences(world: FakeWorld, name: string, n: number): V1Pod {
  world.secrets.set("default/tls", { metadata: { name: "tls", namespace: "default" }, data: { "tls.crt": "Y2VydA==" } });
  world.configMaps.set("default/settings", { metadata: { name: "settings", namespace: "default" }, data: { mode: "fast" } });
  const pod = boundPod(name, uid(n));
  pod.spec!.volumes = [
    { name: "tls", secret: { secretName: "tls" } },
    { name: "settings", configMap: { name: "settings" } },
  ];
  pod.spec!.containers[0]!.volumeMounts = [
    { name: "tls", mountPath: "/tls" },
    { name: "settings", mountPath: "/settings" },
  ];
  world.pods.set(`default/${name}`, pod);
  return pod;
}

/** Every call made, with the deadline it was given, when it was not `signal`. */
const without = (world: FakeWorld, signal: AbortSignal) => world.calls.filter((_, i) => world.signals[i] !== signal);

describe("the invocation's deadline", () => {
  it("goes with every call of a reconcile tick: lists, lookups, reads, writes, deletions and Events", async () => {
    const world = fakeWorld();
    const signal = new AbortController().signal;
    groupFor(world, boundPod("orphan", uid(1)));
    podWithReferences(world, "new", 2);
    const creating = boundPod("creating", uid(3));
    world.pods.set("default/creating", creating);
    groupFor(world, creating, "Creating");
    const leaving = boundPod("leaving", uid(4), { phase: "Running" });
    leaving.metadata!.deletionTimestamp = new Date("2026-11-25T09:59:30Z");
    world.pods.set("default/leaving", leaving);
    groupFor(world, leaving);
    world.pods.set("default/lost", boundPod("lost", uid(5), { phase: "Running" }));

    const report = await reconcile(world.deps, tickOptions(world, { abortSignal: signal }));
    assert.deepEqual(report.errors, []);
    // Each kind of call was made, so each was checked.
    for (const kind of ["LIST pods", "LIST groups", "FIND", "SECRET", "CONFIGMAP", "PUT", "GET", "STATUS", "EVENT", "DELETE pod", "DELETE default-orphan"]) {
      assert.ok(world.calls.some((c) => c.startsWith(kind)), `no ${kind} call: ${world.calls.join(", ")}`);
    }
    assert.deepEqual(without(world, signal), []);
  });

  it("stops a reconcile tick at its deadline with one error, not one per pod left", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 40; i++) world.pods.set(`default/p${i}`, boundPod(`p${i}`, uid(100 + i)));
    const deadline = new AbortController();
    // The deadline passes while the first creates are out.
    world.hooks.onPut = () => deadline.abort(new DOMException("The operation was aborted.", "AbortError"));
    const report = await reconcile(world.deps, tickOptions(world, { abortSignal: deadline.signal }));
    const puts = world.calls.filter((c) => c.startsWith("PUT ")).length;
    assert.ok(puts <= armBudget.syncConcurrency, `${puts} PUTs`);
    assert.equal(report.errors.at(-1), `the tick's deadline passed with ${40 - puts} pods not synced: they wait for the next tick`);
    assert.ok(report.errors.length <= armBudget.syncConcurrency + 1, report.errors.join(" | "));
  });

  it("past the deadline still counts the pods waiting for a throttled create, and leaves telling them to the next tick", async () => {
    const world = fakeWorld();
    for (let i = 0; i < 40; i++) world.pods.set(`default/p${i}`, boundPod(`p${i}`, uid(200 + i), { phase: "Pending" }));
    const deadline = new AbortController();
    world.hooks.onPut = () => {
      deadline.abort(new DOMException("The operation was aborted.", "AbortError"));
      throw new AciError("throttled", "not sent: ARM refills 10 writes a second", { statusCode: 429, retryAfterMs: 10_000, throttledKind: "writes" });
    };
    const report = await reconcile(world.deps, tickOptions(world, { abortSignal: deadline.signal }));
    assert.deepEqual(report.creationsWaiting, { [linuxNode]: 40 });
    const puts = world.calls.filter((c) => c.startsWith("PUT ")).length;
    // Only the pods whose create was tried were told (by their own sync), none after the deadline.
    assert.ok(world.calls.filter((c) => c.startsWith("STATUS ")).length <= puts, world.calls.join(", "));
  });

  it("goes with every call made for an ARM event", async () => {
    const world = fakeWorld();
    const signal = new AbortController().signal;
    const pod = boundPod("web", uid(6));
    world.pods.set("default/web", pod);
    const name = groupFor(world, pod, "Failed");
    const outcome = await handleArmEvent(world.deps, { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: `/subscriptions/s/resourceGroups/aci-rg/providers/Microsoft.ContainerInstance/containerGroups/${name}` }, signal);
    assert.equal(outcome, "status-updated");
    assert.ok(world.calls.includes("EVENT ProviderFailed"), world.calls.join(", "));
    assert.deepEqual(without(world, signal), []);
  });

  it("goes with every call made for a doorbell, and for a deletion it orders", async () => {
    const world = fakeWorld();
    const signal = new AbortController().signal;
    podWithReferences(world, "web", 7);
    assert.equal(await handlePodChanged(world.deps, { namespace: "default", name: "web", uid: uid(7), node: linuxNode }, signal), "created");
    groupFor(world, boundPod("gone", uid(8)));
    assert.equal(await handlePodChanged(world.deps, { namespace: "default", name: "gone", uid: uid(8), node: linuxNode }, signal), "orphan-deleted");
    assert.deepEqual(without(world, signal), []);
  });
});
