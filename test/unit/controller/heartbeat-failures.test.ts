// What a heartbeat tick reports when the API server fails it, node by node, and when the invocation itself
// fails. Each node's Lease is its own (coordination.k8s.io Lease per node): one node's failure must not
// cost another its renewal. A tick that kept no node alive fails the invocation, so it shows in the
// platform's monitoring; one that kept some alive logs the rest and tries again in 10 s.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiException, type V1Node } from "@kubernetes/client-node";
import { readSettings } from "../../../shared/config/settings.js";
import { heartbeatFailure, runHeartbeat, type HeartbeatDeadlines, type HeartbeatReport } from "../../../shared/controller/heartbeat.js";
import { desiredVirtualNode } from "../../../shared/controller/node-registration.js";
import type { NodeClient } from "../../../shared/kube/node-client.js";
import type { LogFields } from "../../../shared/runtime/logger.js";

const settings = readSettings({
  ACI_CONNECTOR_NAME: "unit",
  ACI_CONNECTOR_CLUSTER_ID: "5c0e7a4e-2c43-4c55-9b1d-6a3e8f1d2b90",
  ACI_CONNECTOR_OS_TYPE: "Both",
  ACI_LOCATION: "westeurope",
  AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000001",
  ACI_RESOURCE_GROUP: "aci-rg",
  KUBECONFIG: "/dev/null",
  WEBHOOK_PATH_TOKEN: "x".repeat(43),
});
const linux = "virtual-kubelet-unit-linux-westeurope";
const windows = "virtual-kubelet-unit-windows-westeurope";
const t0 = new Date("2026-11-25T10:00:00Z");

type Call = "get" | "lease" | "status" | "taints" | "version";

/** A registered node whose status was posted `agoSeconds` ago, as ACI was then (`aciAvailable`). */
function registered(name: string, agoSeconds: number, aciAvailable = true): V1Node {
  const os = name === linux ? "Linux" : "Windows";
  const health = aciAvailable ? ({ healthy: true, quota: {} } as const) : ({ healthy: false, reason: "AzureUnreachable", message: "503" } as const);
  const node = desiredVirtualNode({ settings, os, health, previousConditions: undefined, now: new Date(t0.getTime() - agoSeconds * 1000), kubernetesVersion: "v1.34.4", packageVersion: "0.1.0" });
  return { ...node, metadata: { ...node.metadata, uid: `${name}-uid`, resourceVersion: "7" } };
}

/** A call that never answers: it ends only when its deadline aborts it, as a hung connection would. */
const hang = Symbol("hang");

/**
 * Each node as the API server has it (undefined: not registered), the calls that fail (or hang) by node,
 * and whether ARM answers the probe.
 */
function world(nodes: Record<string, V1Node | undefined>, failing: Record<string, Partial<Record<Call, Error | typeof hang>>> = {}, healthy = true) {
  const calls: string[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const logs: { level: string; message: string; fields?: LogFields }[] = [];
  const call = <T>(node: string, what: Call, value: T, options?: { abortSignal?: AbortSignal }): Promise<T> => {
    calls.push(`${node} ${what}`);
    signals.push(options?.abortSignal);
    const error = failing[node]?.[what];
    if (error === hang) return new Promise<T>((_, reject) => options?.abortSignal?.addEventListener("abort", () => reject(new Error(`${what} aborted`))));
    return error === undefined ? Promise.resolve(value) : Promise.reject(error);
  };
  const client = (asNode: string): NodeClient => ({
    getNode: (name, options) => call(name, "get", nodes[name], options),
    createNode: () => Promise.reject(new Error("the heartbeat never creates a node")),
    patchNodeStatus: (name, _status, options) => call(name, "status", undefined, options),
    replaceNodeTaints: (name, _taints, _rv, options) => call(name, "taints", undefined, options),
    patchNodeAnnotations: () => Promise.reject(new Error("not used")),
    deleteNode: () => Promise.reject(new Error("the heartbeat never deletes a node")),
    renewLease: (renewal, options) => call(renewal.nodeName, "lease", undefined, options),
    deleteLease: () => Promise.reject(new Error("the heartbeat never deletes a Lease")),
    serverVersion: (options) => call(asNode, "version", "v1.34.4", options),
  });
  let probes = 0;
  const record = (level: string) => (message: string, fields?: LogFields) => void logs.push({ level, message, ...(fields !== undefined && { fields }) });
  const deps = {
    asNode: client,
    taints: client("connector"),
    aciHealth: { probe: () => (probes++, Promise.resolve(healthy ? ({ healthy: true, quota: {} } as const) : ({ healthy: false, reason: "AzureUnreachable", message: "no answer" } as const))) },
    clock: { now: () => t0 },
    log: { info: record("info"), warn: record("warn"), error: record("error") },
    settings,
    packageVersion: "0.1.0",
  };
  const beat = (deadlines: Partial<HeartbeatDeadlines> = {}) => runHeartbeat(deps, { leaseTimeoutMs: 1_000, armProbeTimeoutMs: 1_000, ...deadlines });
  return { beat, calls, signals, logs, probes: () => probes };
}

/** As client-node rejects: the API server's Status as the body. */
const apiError = (code: number, reason: string, message: string) =>
  new ApiException(code, `HTTP-Code: ${code}`, JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code }), {});
const forbidden = () => apiError(403, "Forbidden", 'leases.coordination.k8s.io "x" is forbidden: User "system:node:x" cannot update resource "leases"');
const outcomes = (report: HeartbeatReport) => Object.fromEntries(report.nodes.map((n) => [n.node, n.outcome]));

describe("a heartbeat tick when the API server fails it", () => {
  it("renews and posts the other node when one node's Lease is refused", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [linux]: { lease: forbidden() } });
    const report = await w.beat();
    assert.deepEqual(outcomes(report), { [linux]: "failed", [windows]: "status-posted" });
    const failed = report.nodes.find((n) => n.node === linux);
    assert.ok(failed?.outcome === "failed" && failed.error.includes("forbidden"), JSON.stringify(failed));
    // The Lease is the liveness signal; a node whose Lease failed gets no status this tick either.
    assert.ok(!w.calls.includes(`${linux} status`));
  });

  it("fails a node it cannot read, and renews no Lease for it", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [windows]: { get: new Error("socket hang up") } });
    const report = await w.beat();
    assert.deepEqual(outcomes(report), { [linux]: "status-posted", [windows]: "failed" });
    assert.ok(!w.calls.includes(`${windows} lease`));
  });

  it("fails a node whose status cannot be posted, its Lease renewed all the same", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [linux]: { status: new Error("etcdserver: request timed out") } });
    const report = await w.beat();
    assert.deepEqual(outcomes(report), { [linux]: "failed", [windows]: "status-posted" });
    assert.ok(w.calls.includes(`${linux} lease`));
  });

  it("posts the status when the taint's compare-and-swap meets a newer node (409): the next tick retries the taint", async () => {
    const stale = { [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) };
    const w = world(stale, { [linux]: { taints: apiError(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again") } }, false);
    const report = await w.beat();
    assert.deepEqual(outcomes(report), { [linux]: "status-posted", [windows]: "status-posted" });
    assert.ok(w.calls.includes(`${linux} status`));
  });

  it("fails a node whose taint is refused for any other reason, and posts no status over it", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [linux]: { taints: forbidden() } }, false);
    const report = await w.beat();
    assert.deepEqual(outcomes(report), { [linux]: "failed", [windows]: "status-posted" });
    assert.ok(!w.calls.includes(`${linux} status`));
  });

  it("leaves an unregistered node alone: no Lease, no status, no error", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: undefined });
    const report = await w.beat();
    assert.deepEqual(outcomes(report), { [linux]: "status-posted", [windows]: "not-registered" });
    assert.deepEqual(w.calls.filter((c) => c.startsWith(windows)), [`${windows} get`]);
  });

  it("asks ARM once for both nodes when both are due, and not at all when none is", async () => {
    const due = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) });
    assert.equal((await due.beat()).armProbed, true);
    assert.equal(due.probes(), 1);
    const fresh = world({ [linux]: registered(linux, 5), [windows]: registered(windows, 5) });
    const report = await fresh.beat();
    assert.deepEqual(outcomes(report), { [linux]: "renewed", [windows]: "renewed" });
    assert.equal(report.armProbed, false);
    assert.equal(fresh.probes(), 0);
  });
});

describe("a heartbeat tick's deadlines", () => {
  for (const call of ["get", "lease"] as const) {
    it(`gives up on a node whose ${call === "get" ? "read" : "Lease renewal"} hangs once the Lease's deadline passes, and keeps the other alive`, async () => {
      const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [linux]: { [call]: hang } });
      // AbortSignal.timeout's timer does not hold the process open; a Functions host does, and so does this
      // wait, which also ends the test should the tick never end.
      let host: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<"still waiting after 5 s">((resolve) => (host = setTimeout(() => resolve("still waiting after 5 s"), 5_000)));
      const report = await Promise.race([w.beat({ leaseTimeoutMs: 100 }), gaveUp]).finally(() => clearTimeout(host));
      assert.notEqual(report, "still waiting after 5 s");
      assert.deepEqual(outcomes(report as HeartbeatReport), { [linux]: "failed", [windows]: "status-posted" });
    });
  }

  it("posts the status, replaces the taint and reads the version within the tick's own deadline", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, {}, false);
    const tick = new AbortController().signal;
    await w.beat({ abortSignal: tick });
    const later = w.calls.map((c, i) => [c.split(" ")[1], w.signals[i]] as const).filter(([what]) => what === "status" || what === "taints" || what === "version");
    assert.deepEqual([...new Set(later.map(([what]) => what))].sort(), ["status", "taints", "version"]);
    assert.ok(later.every(([, signal]) => signal === tick));
  });
});

describe("what a heartbeat tick logs", () => {
  it("a Lease not renewed: an error naming the node and the API server's words", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [linux]: { lease: forbidden() } });
    await w.beat();
    const errors = w.logs.filter((l) => l.level === "error");
    assert.equal(errors.length, 1);
    assert.notEqual(errors[0]!.message, "");
    assert.equal(errors[0]!.fields?.node, linux);
    assert.match(String(errors[0]!.fields?.error), /forbidden/);
  });

  it("a status not posted: an error naming the node and the API server's words", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [windows]: { status: new Error("etcdserver: request timed out") } });
    await w.beat();
    const errors = w.logs.filter((l) => l.level === "error");
    assert.equal(errors.length, 1);
    assert.notEqual(errors[0]!.message, "");
    assert.deepEqual(errors[0]!.fields, { node: windows, error: "etcdserver: request timed out" });
  });

  const availability = (w: ReturnType<typeof world>) => w.logs.filter((l) => l.fields?.aciAvailable !== undefined);
  it("ACI lost: one warning per node with ARM's reason, and the report says so", async () => {
    const w = world({ [linux]: registered(linux, 3600, true), [windows]: registered(windows, 3600, true) }, {}, false);
    const report = await w.beat();
    assert.deepEqual(availability(w).map((l) => [l.level, l.fields?.node, l.fields?.aciAvailable, l.fields?.reason]), [
      ["warn", linux, "False", "AzureUnreachable"],
      ["warn", windows, "False", "AzureUnreachable"],
    ]);
    assert.ok(availability(w).every((l) => l.message !== ""));
    assert.deepEqual(report.nodes.map((n) => "aciAvailable" in n && n.aciAvailable), [false, false]);
  });

  it("ACI back: one info line per node, and the report says so", async () => {
    const w = world({ [linux]: registered(linux, 3600, false), [windows]: registered(windows, 3600, false) });
    const report = await w.beat();
    assert.deepEqual(availability(w).map((l) => [l.level, l.fields?.node, l.fields?.aciAvailable]), [
      ["info", linux, "True"],
      ["info", windows, "True"],
    ]);
    assert.ok(availability(w).every((l) => l.message !== ""));
    assert.deepEqual(report.nodes.map((n) => "aciAvailable" in n && n.aciAvailable), [true, true]);
  });

  it("ACI as it was: nothing about availability (a tick every 10 s would drown the log)", async () => {
    const up = world({ [linux]: registered(linux, 3600, true), [windows]: registered(windows, 3600, true) });
    await up.beat();
    const down = world({ [linux]: registered(linux, 3600, false), [windows]: registered(windows, 3600, false) }, {}, false);
    await down.beat();
    assert.deepEqual([...availability(up), ...availability(down)], []);
  });
});

describe("a heartbeat invocation", () => {
  it("fails when every node failed, naming each node and its error", async () => {
    const w = world({ [linux]: registered(linux, 3600), [windows]: registered(windows, 3600) }, { [linux]: { get: new Error("connect ECONNREFUSED") }, [windows]: { lease: forbidden() } });
    const failure = heartbeatFailure(await w.beat());
    assert.ok(failure instanceof Error);
    assert.match(failure.message, new RegExp(`${linux}: .*ECONNREFUSED`));
    assert.match(failure.message, new RegExp(`${windows}: .*forbidden`));
    assert.match(failure.message, new RegExp(`ECONNREFUSED; ${windows}: `), "one node after the other, apart");
  });

  const cases: { description: string; nodes: HeartbeatReport["nodes"]; fails: boolean }[] = [
    { description: "one node failed, the other renewed", nodes: [{ node: linux, outcome: "failed", error: "x" }, { node: windows, outcome: "renewed" }], fails: false },
    { description: "one node failed, the other's status posted", nodes: [{ node: linux, outcome: "failed", error: "x" }, { node: windows, outcome: "status-posted" }], fails: false },
    { description: "the only registered node failed", nodes: [{ node: linux, outcome: "failed", error: "x" }, { node: windows, outcome: "not-registered" }], fails: true },
    { description: "no node is registered (removed ones stay removed)", nodes: [{ node: linux, outcome: "not-registered" }, { node: windows, outcome: "not-registered" }], fails: false },
    { description: "every node renewed", nodes: [{ node: linux, outcome: "renewed" }, { node: windows, outcome: "renewed" }], fails: false },
  ];
  for (const c of cases) {
    it(`${c.fails ? "fails" : "succeeds"} when ${c.description}`, () => {
      assert.equal(heartbeatFailure({ nodes: c.nodes, armProbed: false }) !== undefined, c.fails);
    });
  }
});
