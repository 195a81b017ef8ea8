// ARM's Retry-After shared between function instances through an annotation on the virtual nodes: one
// instance told to wait writes it, another reads it and sends nothing before it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Node } from "@kubernetes/client-node";
import { createArmThrottle } from "../../../shared/aci/arm-throttle.js";
import { armWaitSharing, armWaitsAnnotation, parseWaits } from "../../../shared/controller/arm-wait-sharing.js";
import type { NodeClient } from "../../../shared/kube/node-client.js";
import { silentLogger, type LogFields } from "../../../shared/runtime/logger.js";

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

  it("does not write again a wait it wrote itself, after reading another instance's", async () => {
    const now = { ms: Date.parse("2026-11-25T10:00:00Z") };
    const shared = sharedNode();
    const a = instance(shared, now);
    const b = instance(shared, now);
    a.throttle.remember("reads", now.ms + 10_000);
    await a.sharing.save();
    b.throttle.remember("writes", now.ms + 20_000);
    await b.sharing.save();
    assert.equal(shared.patches(), 2);
    now.ms += 5_000;
    await a.sharing.load();
    await a.sharing.save();
    assert.equal(shared.patches(), 2);
  });

  it("goes on past a node it cannot read or write, logging a warning that names it", async () => {
    const now = { ms: Date.parse("2026-11-25T10:00:00Z") };
    const shared = sharedNode();
    shared.annotations[armWaitsAnnotation] = JSON.stringify({ writes: new Date(now.ms + 20_000).toISOString() });
    const broken = "virtual-kubelet-unit-windows-westeurope";
    const refusing = {
      getNode: () => Promise.reject(new Error("connect ECONNREFUSED")),
      patchNodeAnnotations: () => Promise.reject(new Error("connect ECONNREFUSED")),
    } as unknown as NodeClient;
    const logs: { message: string; fields?: LogFields }[] = [];
    const logger = { ...silentLogger, warn: (message: string, fields?: LogFields) => void logs.push({ message, ...(fields !== undefined && { fields }) }) };
    const clock = { now: () => new Date(now.ms) };
    const throttle = createArmThrottle(clock);
    const sharing = armWaitSharing({ throttle, nodes: () => [{ name: broken, client: refusing }, { name: node, client: shared.client }], clock, log: () => logger });

    await sharing.load();
    assert.equal(throttle.notBefore("writes"), now.ms + 20_000, "the other node's wait is adopted");
    throttle.remember("deletes", now.ms + 30_000);
    await sharing.save();
    assert.equal(shared.patches(), 1, "the other node is written");
    assert.deepEqual(logs.map((l) => [l.message !== "", l.fields?.node, l.fields?.error]), [
      [true, broken, "connect ECONNREFUSED"],
      [true, broken, "connect ECONNREFUSED"],
    ]);
  });

  it("keeps the waits in an annotation the API server accepts: a qualified name in the connector's domain", () => {
    // Kubernetes annotation keys: an optional DNS subdomain prefix and "/", then at most 63 characters.
    assert.match(armWaitsAnnotation, /^aci-connector\.io\/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
  });
});
