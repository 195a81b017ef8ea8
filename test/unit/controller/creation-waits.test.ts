// The pods waiting for their group's creation, counted on each virtual node's own condition: written when
// the count changes, with a transition time that moves only when the condition flips, never failing the tick.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Node, V1NodeCondition, V1NodeStatus } from "@kubernetes/client-node";
import { creationsThrottledType, creationWaitCondition, creationWaitPublisher } from "../../../shared/controller/creation-waits.js";
import { creationThrottledMessage, creationThrottledReason } from "../../../shared/controller/pod-sync.js";
import type { NodeClient } from "../../../shared/kube/node-client.js";
import type { Logger } from "../../../shared/runtime/logger.js";

/** `existing`: each node's conditions as the API server has them when the publisher starts. */
function nodes(names: string[], existing: Record<string, V1NodeCondition[]> = {}) {
  const others = new Map<string, V1NodeCondition[]>(names.map((n) => [n, (existing[n] ?? []).filter((c) => c.type !== creationsThrottledType)]));
  const conditions = new Map<string, V1NodeCondition | undefined>(names.map((n) => [n, existing[n]?.find((c) => c.type === creationsThrottledType)]));
  const calls: string[] = [];
  const failing = new Set<string>();
  const client = () =>
    ({
      getNode: (n: string) => {
        calls.push(`GET ${n}`);
        const own = conditions.get(n);
        return Promise.resolve({ status: { conditions: [...others.get(n)!, ...(own === undefined ? [] : [own])] } } as V1Node);
      },
      patchNodeStatus: (n: string, status: V1NodeStatus) => {
        calls.push(`PATCH ${n}`);
        if (failing.has(n)) return Promise.reject(new Error("connect ECONNREFUSED"));
        conditions.set(n, status.conditions![0]);
        return Promise.resolve();
      },
    }) as unknown as NodeClient;
  const warnings: { message: string; fields: unknown }[] = [];
  const log: Logger = { info: () => undefined, warn: (message, fields) => void warnings.push({ message, fields }), error: () => undefined };
  const now = { ms: Date.parse("2026-11-26T08:00:00Z") };
  const publisher = creationWaitPublisher({ nodes: () => names.map((name) => ({ name, client: client() })), clock: { now: () => new Date(now.ms) }, log: () => log });
  return { publisher, conditions, calls, warnings, failing, now };
}

describe("the node's count of pods waiting for creation", () => {
  it("says how many wait and why, and that none does once they are created", () => {
    const now = new Date("2026-11-26T08:00:00Z");
    const one = creationWaitCondition(1, undefined, now);
    assert.deepEqual(one, {
      type: creationsThrottledType,
      status: "True",
      reason: creationThrottledReason,
      message: `1 pod waits for its container group: ${creationThrottledMessage}`,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    });
    assert.equal(creationWaitCondition(12, one, now).message, `12 pods wait for their container groups: ${creationThrottledMessage}`);
    const none = creationWaitCondition(0, one, now);
    assert.equal(none.status, "False");
    assert.equal(none.reason, "NoCreationWaiting");
    assert.equal(none.message, "no pod waits for its container group to be created");
  });

  it("is named as users' tools and alerts read it", () => {
    assert.equal(creationsThrottledType, "AciCreationsThrottled");
  });

  it("moves the transition time only when the condition flips", () => {
    const first = new Date("2026-11-26T08:00:00Z");
    const later = new Date("2026-11-26T08:05:00Z");
    const waiting = creationWaitCondition(3, undefined, first);
    assert.equal(creationWaitCondition(5, waiting, later).lastTransitionTime, first);
    assert.equal(creationWaitCondition(0, waiting, later).lastTransitionTime, later);
  });

  it("starts the transition time now when the node's condition has none", () => {
    const now = new Date("2026-11-26T08:05:00Z");
    const withoutTime: V1NodeCondition = { type: creationsThrottledType, status: "True", message: "3 pods wait" };
    assert.equal(creationWaitCondition(5, withoutTime, now).lastTransitionTime, now);
  });

  it("writes each node when its count changes, and not while it stays the same", async () => {
    const w = nodes(["linux", "windows"]);
    await w.publisher.publish({ linux: 2 });
    assert.equal(w.conditions.get("linux")!.message, `2 pods wait for their container groups: ${creationThrottledMessage}`);
    assert.equal(w.conditions.get("windows")!.status, "False");
    const patches = () => w.calls.filter((c) => c.startsWith("PATCH ")).length;
    assert.equal(patches(), 2);
    await w.publisher.publish({ linux: 2, windows: 0 });
    assert.equal(patches(), 2);
    await w.publisher.publish({ linux: 1 });
    assert.equal(patches(), 3);
    assert.equal(w.calls.filter((c) => c.startsWith("GET ")).length, 2, "the nodes are read once per instance, not every tick");
  });

  it("on a new instance, keeps the transition time the node already has", async () => {
    const since = new Date("2026-11-26T07:00:00Z");
    const w = nodes(["linux"], { linux: [creationWaitCondition(4, undefined, since)] });
    await w.publisher.publish({ linux: 4 });
    assert.equal(w.calls.filter((c) => c.startsWith("PATCH ")).length, 0, "the node already says it");
    await w.publisher.publish({ linux: 6 });
    assert.equal(w.conditions.get("linux")!.lastTransitionTime, since);
  });

  it("learns its own condition among the node's others, not the first one", async () => {
    const readySince = new Date("2026-11-20T00:00:00Z");
    const w = nodes(["linux"], { linux: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ready", lastTransitionTime: readySince }] });
    await w.publisher.publish({ linux: 2 });
    assert.equal(w.conditions.get("linux")!.status, "True");
    assert.deepEqual(w.conditions.get("linux")!.lastTransitionTime, new Date(w.now.ms), "the transition is now, not the Ready condition's");
  });

  it("warns and goes on when a node cannot be written, and writes it again next time", async () => {
    const w = nodes(["linux", "windows"]);
    w.failing.add("linux");
    await w.publisher.publish({ linux: 1, windows: 1 });
    assert.equal(w.conditions.get("windows")!.status, "True");
    assert.deepEqual(w.warnings, [{ message: "could not publish the pods waiting for creation", fields: { node: "linux", error: "connect ECONNREFUSED" } }]);
    w.failing.clear();
    await w.publisher.publish({ linux: 1, windows: 1 });
    assert.equal(w.conditions.get("linux")!.status, "True");
  });
});
