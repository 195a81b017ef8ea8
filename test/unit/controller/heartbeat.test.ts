// The heartbeat's order and deadlines: the Lease first, whatever ARM does; the ARM probe on its own
// deadline; the taint by the connector's own identity; capacity kept when no quota was read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Node, V1NodeStatus, V1Taint } from "@kubernetes/client-node";
import type { AciHealth, AciHealthProbe } from "../../../shared/aci/location-health.js";
import { readSettings } from "../../../shared/config/settings.js";
import { runHeartbeat, type HeartbeatDependencies } from "../../../shared/controller/heartbeat.js";
import { aciUnavailableTaint } from "../../../shared/controller/node-conditions.js";
import { desiredVirtualNode } from "../../../shared/controller/node-registration.js";
import type { NodeClient } from "../../../shared/kube/node-client.js";
import { silentLogger } from "../../../shared/runtime/logger.js";

const settings = readSettings({
  ACI_CONNECTOR_NAME: "unit",
  ACI_CONNECTOR_CLUSTER_ID: "5c0e7a4e-2c43-4c55-9b1d-6a3e8f1d2b90",
  ACI_LOCATION: "westeurope",
  AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000001",
  ACI_RESOURCE_GROUP: "aci-rg",
  KUBECONFIG: "/dev/null",
  WEBHOOK_PATH_TOKEN: "x".repeat(43),
});
const name = "virtual-kubelet-unit-linux-westeurope";
const t0 = new Date("2026-11-25T10:00:00Z");

/** A registered node whose status was posted long ago (so one is due now), with capacity 500. */
function registeredNode(registeredAt = new Date(t0.getTime() - 3600_000)): V1Node {
  const node = desiredVirtualNode({ settings, os: "Linux", health: { healthy: true, quota: { containerGroups: 500, standardCores: 500 } }, previousConditions: undefined, now: registeredAt, kubernetesVersion: "v1.34.4", packageVersion: "0.1.0" });
  return { ...node, metadata: { ...node.metadata, uid: "node-uid", resourceVersion: "7" } };
}

function world(health: (signal: AbortSignal | undefined) => Promise<AciHealth>, options: { node?: V1Node; settings?: typeof settings } = {}) {
  const calls: string[] = [];
  const node = options.node ?? registeredNode();
  let posted: V1NodeStatus | undefined;
  let taints: readonly V1Taint[] | undefined;
  const answer = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));
  const nodes = (who: string): NodeClient => ({
    getNode: () => (calls.push(`${who} get`), answer(node)),
    createNode: () => Promise.reject(new Error("the heartbeat never creates a node")),
    patchNodeStatus: (_n, status) => (calls.push(`${who} status`), (posted = status), answer(undefined)),
    replaceNodeTaints: (_n, t, rv) => (calls.push(`${who} taints@${rv}`), (taints = t), answer(undefined)),
    patchNodeAnnotations: () => (calls.push(`${who} annotations`), answer(undefined)),
    deleteNode: () => Promise.reject(new Error("never")),
    renewLease: (renewal, options) => {
      assert.ok(options?.abortSignal?.aborted !== true, "the Lease is never sent with a spent deadline");
      assert.equal(renewal.nodeName, name);
      calls.push(`${who} lease`);
      return answer(undefined);
    },
    deleteLease: () => Promise.reject(new Error("never")),
    serverVersion: () => answer("v1.34.4"),
  });
  const aciHealth: AciHealthProbe = { probe: (options = {}) => (calls.push("probe"), health(options.abortSignal)) };
  const deps: HeartbeatDependencies = { asNode: () => nodes("node"), taints: nodes("connector"), aciHealth, clock: { now: () => t0 }, log: silentLogger, settings: options.settings ?? settings, packageVersion: "0.1.0" };
  return { deps, calls, posted: () => posted, taints: () => taints };
}

const hangsUntilAborted = (signal: AbortSignal | undefined) =>
  new Promise<AciHealth>((resolve) => signal?.addEventListener("abort", () => resolve({ healthy: false, reason: "AzureUnreachable", message: "reading ACI usages in westeurope failed: aborted" })));

describe("a heartbeat tick", () => {
  it("posts status at once, not at the next periodic post, when the node does not advertise the kubelet endpoint set", async () => {
    const fresh = registeredNode(t0);
    const quiet = world(() => Promise.resolve({ healthy: true, quota: {} }), { node: fresh });
    await runHeartbeat(quiet.deps, { leaseTimeoutMs: 1000, armProbeTimeoutMs: 1000 });
    assert.equal(quiet.posted(), undefined, "nothing due: the status was posted a moment ago");
    const withEndpoint = { ...settings, kubeletEndpoint: { host: "func-abc.azurewebsites.net", port: 443 } };
    const moved = world(() => Promise.resolve({ healthy: true, quota: {} }), { node: fresh, settings: withEndpoint });
    await runHeartbeat(moved.deps, { leaseTimeoutMs: 1000, armProbeTimeoutMs: 1000 });
    assert.deepEqual(moved.posted()?.daemonEndpoints, { kubeletEndpoint: { Port: 443 } });
    assert.ok(moved.posted()?.addresses?.every((a) => a.address === "func-abc.azurewebsites.net"));
  });

  it("renews the Lease before it asks ARM anything", async () => {
    const w = world(() => Promise.resolve({ healthy: true, quota: {} }));
    await runHeartbeat(w.deps, { leaseTimeoutMs: 1000, armProbeTimeoutMs: 1000 });
    assert.deepEqual(w.calls.slice(0, 3), ["node get", "node lease", "probe"]);
  });

  it("renews the Lease and ends on time when ARM hangs: the probe has its own short deadline", async () => {
    const w = world(hangsUntilAborted);
    const started = Date.now();
    // AbortSignal.timeout's timer does not hold the process open; a Functions host does, so does this.
    const host = setInterval(() => undefined, 50);
    const report = await runHeartbeat(w.deps, { abortSignal: AbortSignal.timeout(5_000), leaseTimeoutMs: 2_000, armProbeTimeoutMs: 200 }).finally(() => clearInterval(host));
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    assert.ok(w.calls.includes("node lease"));
    assert.equal(report.nodes[0]?.outcome, "status-posted");
  });

  it("while ARM fails: Ready stays True, AciAvailable=False, and the connector's own identity adds its NoSchedule taint", async () => {
    const w = world(() => Promise.resolve({ healthy: false, reason: "AzureNotAuthorized", message: "reading ACI usages in westeurope failed: 403 AuthorizationFailed: no" }));
    await runHeartbeat(w.deps, { leaseTimeoutMs: 1000, armProbeTimeoutMs: 1000 });
    const conditions = w.posted()?.conditions ?? [];
    assert.equal(conditions.find((c) => c.type === "Ready")?.status, "True");
    assert.equal(conditions.find((c) => c.type === "AciAvailable")?.reason, "AzureNotAuthorized");
    assert.ok(w.calls.includes("connector taints@7"), w.calls.join(", "));
    assert.ok(w.taints()?.some((t) => t.key === aciUnavailableTaint.key && t.effect === "NoSchedule"));
  });

  it("keeps the node's capacity when ARM throttles the probe (no quota read)", async () => {
    const w = world(() => Promise.resolve({ healthy: true, quota: {}, note: "throttled" }));
    await runHeartbeat(w.deps, { leaseTimeoutMs: 1000, armProbeTimeoutMs: 1000 });
    assert.deepEqual(w.posted()?.capacity, { cpu: "500", memory: "8000Gi", pods: "500" });
  });
});
