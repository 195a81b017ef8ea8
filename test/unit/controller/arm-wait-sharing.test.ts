// ARM's Retry-After shared between function instances through an annotation on the virtual nodes: one
// instance told to wait writes it, another reads it and sends nothing before it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Node } from "@kubernetes/client-node";
import { createArmThrottle } from "../../../shared/aci/arm-throttle.js";
import { armWaitSharing, armWaitsAnnotation, parseWaits } from "../../../shared/controller/arm-wait-sharing.js";
import type { NodeClient } from "../../../shared/kube/node-client.js";
import { silentLogger } from "../../../shared/runtime/logger.js";

const node = "virtual-kubelet-unit-linux-westeurope";

/** One node's annotations, as the API server keeps them; clients of several instances share it. */
function sharedNode() {
  const annotations: Record<string, string> = {};
  let patches = 0;
  const client = {
    getNode: () => Promise.resolve({ metadata: { name: node, annotations: { ...annotations } } } as V1Node),
    patchNodeAnnotations: (_name: string, changes: Readonly<Record<string, string | null>>) => {
      patches++;
      for (const [k, v] of Object.entries(changes)) if (v === null) delete annotations[k];
      else annotations[k] = v;
      return Promise.resolve();
    },
  } as unknown as NodeClient;
  return { client, annotations, patches: () => patches };
}

function instance(shared: ReturnType<typeof sharedNode>, now: { ms: number }) {
  const clock = { now: () => new Date(now.ms) };
  const throttle = createArmThrottle(clock, () => void sharing.save());
  const sharing = armWaitSharing({ throttle, nodes: () => [{ name: node, client: shared.client }], clock, log: () => silentLogger });
  return { throttle, sharing };
}

describe("ARM's Retry-After shared between instances", () => {
  it("is written by the instance ARM told to wait, and kept by another before it sends", async () => {
    const now = { ms: Date.parse("2026-11-25T10:00:00Z") };
    const shared = sharedNode();
    const a = instance(shared, now);
    const b = instance(shared, now);
    a.throttle.remember("writes", now.ms + 30_000);
    await a.sharing.save();
    assert.deepEqual(parseWaits(shared.annotations[armWaitsAnnotation]), { writes: now.ms + 30_000 });
    await b.sharing.load();
    assert.equal(b.throttle.notBefore("writes"), now.ms + 30_000);
    assert.equal(b.throttle.notBefore("reads"), undefined);
  });

  it("never writes back a wait it only read, nor one it wrote already", async () => {
    const now = { ms: Date.parse("2026-11-25T10:00:00Z") };
    const shared = sharedNode();
    const a = instance(shared, now);
    const b = instance(shared, now);
    a.throttle.remember("reads", now.ms + 10_000);
    await a.sharing.save();
    await a.sharing.save();
    await b.sharing.load();
    await b.sharing.save();
    assert.equal(shared.patches(), 1);
  });

  it("reads the nodes at most every few seconds, and ignores an annotation it cannot read", async () => {
    const now = { ms: Date.parse("2026-11-25T10:00:00Z") };
    const shared = sharedNode();
    shared.annotations[armWaitsAnnotation] = "not json";
    const b = instance(shared, now);
    await b.sharing.load();
    assert.deepEqual(b.throttle.current(), {});
    shared.annotations[armWaitsAnnotation] = JSON.stringify({ deletes: new Date(now.ms + 20_000).toISOString() });
    await b.sharing.load();
    assert.deepEqual(b.throttle.current(), {}, "cached: not read again yet");
    now.ms += 5_000;
    await b.sharing.load();
    assert.deepEqual(b.throttle.current(), { deletes: now.ms + 15_000 });
  });
});
