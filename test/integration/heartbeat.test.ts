// Virtual nodes on the real control plane, with the real node lifecycle controller watching, the
// connector running as its restricted RBAC user, and ARM answered by the ACI emulator.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoordinationV1Api, CoreV1Api, type V1NodeCondition } from "@kubernetes/client-node";
import { removeVirtualNode } from "../../shared/controller/node-registration.js";
import { virtualNodeName } from "../../shared/translate/virtual-node.js";
import { createNodeClient } from "../../shared/kube/node-client.js";
import { readPackageVersion } from "../../shared/version.js";
import { testCluster } from "../support/cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "../support/connector-under-test.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const connectorName = "heartbeat-test";
const location = "westeurope";
const linux = virtualNodeName({ connectorName, location, os: "Linux" });
const windows = virtualNodeName({ connectorName, location, os: "Windows" });
const grace = cluster.descriptor.nodeMonitorGracePeriodSeconds;

const readyOf = async (name: string): Promise<V1NodeCondition | undefined> =>
  (await core.readNode({ name })).status?.conditions?.find((c) => c.type === "Ready");

describe("virtual node heartbeats", () => {
  let emulator: TestEmulator;
  let connector: ConnectorUnderTest;
  let beating: { stop(): Promise<void> } | undefined;

  /** The heartbeat function's schedule, faster than the 10 s in Azure so tests see several beats per grace period. */
  const startBeating = (periodMs = 3000) => {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        await connector.beat();
        await new Promise((r) => setTimeout(r, periodMs));
      }
    })();
    beating = { stop: async () => ((stopped = true), await loop) };
  };

  before(async () => {
    emulator = await startTestEmulator({ location });
    connector = await connectorUnderTest({
      cluster,
      emulator,
      connectorName,
      location,
      osTypes: ["Linux", "Windows"],
      // Posted every 5 s instead of 60 s so an ARM outage shows within seconds.
      env: { NODE_STATUS_INTERVAL_SECONDS: "5" },
    });
  });

  after(async () => {
    await beating?.stop();
    await connector.unregister();
    await emulator.stop();
  });

  it("does not register a node: that is install's job", async () => {
    const report = await connector.beat();
    assert.deepEqual(report.nodes, [
      { node: linux, outcome: "not-registered" },
      { node: windows, outcome: "not-registered" },
    ]);
    assert.equal(report.armProbed, false);
    await assert.rejects(core.readNode({ name: linux }), (e: { code?: number }) => e.code === 404);
  });

  it("keeps both seed-named nodes registered by install Ready: ROLES agent, and a VERSION that says virtual kubelet", { timeout: 60_000 }, async () => {
    const registered = await connector.register();
    assert.deepEqual(registered.map((r) => [r.node, r.registered, r.ready]), [
      [linux, true, true],
      [windows, true, true],
    ]);
    assert.deepEqual((await connector.register()).map((r) => r.registered), [false, false], "registering again changes nothing");
    startBeating();
    await waitFor("both nodes Ready", async () => ((await readyOf(linux))?.status === "True" && (await readyOf(windows))?.status === "True") || undefined);
    const table = await cluster.kubectl(["get", "nodes", linux, windows, "--no-headers"]);
    assert.equal(table.code, 0, table.stderr);
    const rows = table.stdout.trim().split("\n").map((line) => line.split(/\s+/));
    const version = `${(await createNodeClient(cluster.admin).serverVersion())}-aci-connector-${readPackageVersion()}`;
    assert.deepEqual(
      rows.map(([name, status, roles, , v]) => [name, status, roles, v]),
      [
        [linux, "Ready", "agent", version],
        [windows, "Ready", "agent", version],
      ],
    );
    const lease = await cluster.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: linux, namespace: "kube-node-lease" });
    assert.equal(lease.spec?.leaseDurationSeconds, 40);
    assert.equal(lease.metadata?.ownerReferences?.[0]?.name, linux);
  });

  it("stays Ready through several grace periods of the node lifecycle controller", { timeout: 120_000 }, async () => {
    const until = Date.now() + 3 * grace * 1000;
    const seen = new Set<string>();
    while (Date.now() < until) {
      for (const name of [linux, windows]) seen.add(`${name}=${(await readyOf(name))?.status}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.deepEqual([...seen].sort(), [`${linux}=True`, `${windows}=True`]);
    const node = await core.readNode({ name: linux });
    assert.deepEqual(node.spec?.taints?.map((t) => t.key), ["virtual-kubelet.io/provider"], "no not-ready or unreachable taint");
  });

  it("goes Unknown when heartbeats stop, and Ready again when they resume", { timeout: 180_000 }, async () => {
    await beating?.stop();
    const unknown = await waitFor("the node lifecycle controller to mark the node Unknown", async () => {
      const ready = await readyOf(linux);
      return ready?.status === "Unknown" ? ready : undefined;
    }, { timeoutMs: 4 * grace * 1000, intervalMs: 1000 });
    assert.equal(unknown.reason, "NodeStatusUnknown");

    startBeating();
    const back = await waitFor("Ready again", async () => {
      const ready = await readyOf(linux);
      return ready?.status === "True" ? ready : undefined;
    }, { timeoutMs: 30_000 });
    assert.equal(back.reason, "AciConnectorReady");
  });

  it("stays Ready while ARM fails, and says so with AciAvailable=False and its own NoSchedule taint, both gone after", { timeout: 120_000 }, async () => {
    const conditionOf = async (name: string, type: string) => (await core.readNode({ name })).status?.conditions?.find((c) => c.type === type);
    const taintKeys = async (name: string) => ((await core.readNode({ name })).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
    emulator.failUsages({ status: 503, code: "ServiceUnavailable", message: "The service is temporarily unavailable." });
    const down = await waitFor("AciAvailable=False", async () => {
      const available = await conditionOf(windows, "AciAvailable");
      return available?.status === "False" ? available : undefined;
    }, { timeoutMs: 60_000 });
    assert.equal(down.reason, "AzureUnreachable");
    assert.match(down.message ?? "", /reading ACI usages in westeurope failed: 503 ServiceUnavailable/);
    assert.deepEqual(await taintKeys(windows), ["aci-connector.io/aci-unavailable:NoSchedule", "virtual-kubelet.io/provider:NoSchedule"]);
    assert.equal((await readyOf(windows))?.status, "True", "Ready says the connector runs, not that ARM answers");
    // Through a whole grace period of the node lifecycle controller: never a not-ready or unreachable taint.
    await new Promise((r) => setTimeout(r, grace * 1000));
    assert.deepEqual(await taintKeys(windows), ["aci-connector.io/aci-unavailable:NoSchedule", "virtual-kubelet.io/provider:NoSchedule"]);

    emulator.recover();
    const up = await waitFor("AciAvailable=True", async () => {
      const available = await conditionOf(windows, "AciAvailable");
      return available?.status === "True" ? available : undefined;
    }, { timeoutMs: 60_000 });
    assert.equal(up.message, "Azure Resource Manager answers the connector");
    assert.deepEqual(await taintKeys(windows), ["virtual-kubelet.io/provider:NoSchedule"]);
  });

  it("runs under its restricted role: it cannot touch another node or read what it does not need", async () => {
    const identity = await cluster.userKubeconfig(`aci-connector-${connectorName}`);
    const asConnector = identity.kubeConfig.makeApiClient(CoreV1Api);
    await assert.rejects(asConnector.listNode(), (e: { code?: number }) => e.code === 403);
    await assert.rejects(asConnector.readNode({ name: "some-other-node" }), (e: { code?: number }) => e.code === 403);
    await assert.rejects(asConnector.listSecretForAllNamespaces(), (e: { code?: number }) => e.code === 403);
    await assert.rejects(asConnector.deleteNamespace({ name: "default" }), (e: { code?: number }) => e.code === 403);
    // Registering and removing nodes is the installer's, not the connector's.
    await assert.rejects(asConnector.deleteNode({ name: windows }), (e: { code?: number }) => e.code === 403);
    await assert.rejects(asConnector.createNode({ body: { metadata: { name: "virtual-kubelet-heartbeat-test-forged" } } }), (e: { code?: number }) => e.code === 403);
  });

  it("removes a node and its Lease as the installer, says when there was nothing to remove, and the heartbeat leaves it removed", async () => {
    const installer = createNodeClient(cluster.admin);
    assert.deepEqual(await removeVirtualNode(installer, windows), { node: true, lease: true });
    assert.deepEqual(await removeVirtualNode(installer, windows), { node: false, lease: false });
    const report = await connector.beat();
    assert.deepEqual(report.nodes.find((n) => n.node === windows), { node: windows, outcome: "not-registered" });
    await assert.rejects(core.readNode({ name: windows }), (e: { code?: number }) => e.code === 404);
    assert.equal((await readyOf(linux))?.status, "True", "the other node is untouched");
  });
});
