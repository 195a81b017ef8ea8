// Registering the virtual nodes (what `install` does), safe to repeat and to run twice at once. The API
// server answers a create of a name that exists with 409 AlreadyExists: then another install registered
// the node between our read and our create, and the node exists, which is all that was asked.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiException, type V1Node } from "@kubernetes/client-node";
import { advertisesKubeletEndpoint, desiredVirtualNode, registerVirtualNodes, removeVirtualNode, type NodeRegistrationDependencies } from "../../../shared/controller/node-registration.js";
import type { AciHealth } from "../../../shared/aci/location-health.js";
import { aciUnavailableTaint } from "../../../shared/controller/node-conditions.js";
import type { NodeClient } from "../../../shared/kube/node-client.js";

const settings = { connectorName: "unit", location: "westeurope", capacity: {} };
const linux = "virtual-kubelet-unit-linux-westeurope";
const windows = "virtual-kubelet-unit-windows-westeurope";
const t0 = new Date("2026-11-25T10:00:00Z");

const apiError = (code: number, reason: string, message: string) =>
  new ApiException(code, `HTTP-Code: ${code}`, JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code }), {});
const alreadyExists = (name: string) => apiError(409, "AlreadyExists", `nodes "${name}" already exists`);

function nodeAsStored(name: string, uid: string): V1Node {
  const node = desiredVirtualNode({ settings, os: name === linux ? "Linux" : "Windows", health: { healthy: true, quota: {} }, previousConditions: undefined, now: t0, kubernetesVersion: "v1.34.4", packageVersion: "0.1.0" });
  return { ...node, metadata: { ...node.metadata, uid } };
}

/** The API server's nodes; `onCreate` runs inside a create, before it answers: an error it returns is the answer. */
function cluster(stored: Map<string, V1Node>, onCreate?: (node: V1Node) => Error | undefined, health: AciHealth = { healthy: true, quota: {} }) {
  const calls: string[] = [];
  const sent: V1Node[] = [];
  const leases: { nodeName: string; nodeUid: string }[] = [];
  let probes = 0;
  const nodes = {
    getNode: (name: string) => (calls.push(`get ${name}`), Promise.resolve(stored.get(name))),
    createNode: (node: V1Node) => {
      calls.push(`create ${node.metadata!.name}`);
      sent.push(node);
      const refusal = onCreate?.(node);
      if (refusal !== undefined) return Promise.reject(refusal);
      const created = { ...node, metadata: { ...node.metadata, uid: `${node.metadata!.name}-created` } };
      stored.set(node.metadata!.name!, created);
      return Promise.resolve(created);
    },
    renewLease: (renewal: { nodeName: string; nodeUid: string }) => (leases.push({ nodeName: renewal.nodeName, nodeUid: renewal.nodeUid }), Promise.resolve()),
    serverVersion: () => Promise.resolve("v1.34.4"),
  } as unknown as NodeClient;
  const deps: NodeRegistrationDependencies = {
    nodes,
    aciHealth: { probe: () => (probes++, Promise.resolve(health)) },
    clock: { now: () => t0 },
    settings,
    packageVersion: "0.1.0",
  };
  return { deps, calls, leases, sent, probes: () => probes };
}

describe("registering the virtual nodes", () => {
  it("creates a missing node Ready, with its Lease at once, asking ARM once for both nodes", async () => {
    const c = cluster(new Map());
    const result = await registerVirtualNodes(c.deps, ["Linux", "Windows"]);
    assert.deepEqual(result, [
      { node: linux, registered: true, ready: true },
      { node: windows, registered: true, ready: true },
    ]);
    assert.deepEqual(c.leases, [
      { nodeName: linux, nodeUid: `${linux}-created` },
      { nodeName: windows, nodeUid: `${windows}-created` },
    ]);
    assert.equal(c.probes(), 1);
  });

  it("registers the node with the connector's NoSchedule taint when ARM does not answer at install time, without it when ARM does", async () => {
    const down = cluster(new Map(), undefined, { healthy: false, reason: "AzureNotAuthorized", message: "403 AuthorizationFailed" });
    await registerVirtualNodes(down.deps, ["Linux"]);
    const up = cluster(new Map());
    await registerVirtualNodes(up.deps, ["Linux"]);
    const unavailable = (node: V1Node | undefined) => node?.spec?.taints?.filter((t) => t.key === aciUnavailableTaint.key).map((t) => t.effect);
    assert.deepEqual(unavailable(down.sent[0]), ["NoSchedule"]);
    assert.deepEqual(unavailable(up.sent[0]), []);
    // The provider's own taint stays in both: only pods that tolerate the virtual node land on it.
    for (const node of [down.sent[0], up.sent[0]]) assert.ok(node?.spec?.taints?.some((t) => t.key === "virtual-kubelet.io/provider"), JSON.stringify(node?.spec?.taints));
  });

  it("reports a registered node's readiness from its Ready condition, wherever it is listed", async () => {
    const listedLast = (status: string) => {
      const node = nodeAsStored(linux, "uid-1");
      const conditions = node.status!.conditions!;
      node.status!.conditions = [...conditions.filter((c) => c.type !== "Ready"), { ...conditions.find((c) => c.type === "Ready")!, status }];
      return node;
    };
    assert.deepEqual(await registerVirtualNodes(cluster(new Map([[linux, listedLast("True")]])).deps, ["Linux"]), [{ node: linux, registered: false, ready: true }]);
    // Unknown: the node lifecycle controller's word after the Leases stopped.
    assert.deepEqual(await registerVirtualNodes(cluster(new Map([[linux, listedLast("Unknown")]])).deps, ["Linux"]), [{ node: linux, registered: false, ready: false }]);
  });

  it("leaves a registered node as it is: no create, no Lease, no ARM call", async () => {
    const c = cluster(new Map([[linux, nodeAsStored(linux, "uid-1")]]));
    assert.deepEqual(await registerVirtualNodes(c.deps, ["Linux"]), [{ node: linux, registered: false, ready: true }]);
    assert.deepEqual(c.calls, [`get ${linux}`]);
    assert.deepEqual(c.leases, []);
    assert.equal(c.probes(), 0);
  });

  it("takes a 409 AlreadyExists as done: reads the node another install made and renews that node's Lease", async () => {
    const stored = new Map<string, V1Node>();
    const c = cluster(stored, (node) => {
      stored.set(node.metadata!.name!, nodeAsStored(node.metadata!.name!, "made-by-the-other-install"));
      return alreadyExists(node.metadata!.name!);
    });
    assert.deepEqual(await registerVirtualNodes(c.deps, ["Linux"]), [{ node: linux, registered: false, ready: true }]);
    assert.deepEqual(c.calls, [`get ${linux}`, `create ${linux}`, `get ${linux}`]);
    assert.deepEqual(c.leases, [{ nodeName: linux, nodeUid: "made-by-the-other-install" }]);
  });

  it("fails with the 409 when the node is gone again by the time it is read", async () => {
    const c = cluster(new Map(), (node) => alreadyExists(node.metadata!.name!));
    await assert.rejects(registerVirtualNodes(c.deps, ["Linux"]), (e: unknown) => e instanceof ApiException && e.code === 409);
    assert.deepEqual(c.leases, []);
  });

  it("fails with any other refusal of the create, renewing no Lease", async () => {
    const c = cluster(new Map(), () => apiError(403, "Forbidden", 'nodes is forbidden: User "installer" cannot create resource "nodes"'));
    await assert.rejects(registerVirtualNodes(c.deps, ["Linux"]), (e: unknown) => e instanceof ApiException && e.code === 403);
    assert.deepEqual(c.calls, [`get ${linux}`, `create ${linux}`]);
    assert.deepEqual(c.leases, []);
  });
});

// The API server calls a node's kubelet at the first of the node's status.addresses whose type comes first
// in its --kubelet-preferred-address-types ("no preferred addresses found" when there is none), on the
// port status.daemonEndpoints.kubeletEndpoint.Port (kubernetes/kubernetes pkg/kubelet/client
// NodeConnectionInfoGetter, pkg/util/node GetPreferredNodeAddress). A node advertises KUBELET_ENDPOINT
// only if every preference order leads there; otherwise its status is posted at the next heartbeat tick.
describe("whether a node advertises the kubelet endpoint the settings name", () => {
  const endpoint = { host: "func-abc.azurewebsites.net", port: 443 };
  const withEndpoint = { ...settings, kubeletEndpoint: endpoint };
  /** The node as `install` registered it with these settings. */
  const registeredWith = (s: typeof settings & { kubeletEndpoint?: typeof endpoint }) =>
    desiredVirtualNode({ settings: s, os: "Linux", health: { healthy: true, quota: {} }, previousConditions: undefined, now: t0, kubernetesVersion: "v1.34.4", packageVersion: "0.1.0" });
  const withStatus = (node: V1Node, status: Partial<NonNullable<V1Node["status"]>>): V1Node => ({ ...node, status: { ...node.status, ...status } });

  const cases: { description: string; node: V1Node; kubeletEndpoint?: typeof endpoint; advertises: boolean }[] = [
    { description: "a node registered with this endpoint", node: registeredWith(withEndpoint), kubeletEndpoint: endpoint, advertises: true },
    { description: "a node registered with it by IP address (InternalIP, ExternalIP, Hostname)", node: registeredWith({ ...settings, kubeletEndpoint: { host: "127.0.0.1", port: 40123 } }), kubeletEndpoint: { host: "127.0.0.1", port: 40123 }, advertises: true },
    { description: "a node registered before KUBELET_ENDPOINT was set (port 0, its own name as Hostname)", node: registeredWith(settings), kubeletEndpoint: endpoint, advertises: false },
    { description: "a node registered with another port of the same host", node: registeredWith({ ...settings, kubeletEndpoint: { ...endpoint, port: 8443 } }), kubeletEndpoint: endpoint, advertises: false },
    { description: "a node registered with another host on the same port", node: registeredWith({ ...settings, kubeletEndpoint: { ...endpoint, host: "func-old.azurewebsites.net" } }), kubeletEndpoint: endpoint, advertises: false },
    {
      description: "a node with the port but no addresses at all (the API server finds no preferred address)",
      node: withStatus(registeredWith(withEndpoint), { addresses: [] }),
      kubeletEndpoint: endpoint,
      advertises: false,
    },
    {
      description: "a node with the port but no addresses field",
      node: withStatus(registeredWith(withEndpoint), { addresses: undefined }),
      kubeletEndpoint: endpoint,
      advertises: false,
    },
    {
      description: "a node listing the endpoint beside its own name (a preference for Hostname would reach the name)",
      node: withStatus(registeredWith(withEndpoint), { addresses: [{ type: "InternalDNS", address: endpoint.host }, { type: "Hostname", address: "virtual-kubelet-unit-linux-westeurope" }] }),
      kubeletEndpoint: endpoint,
      advertises: false,
    },
    { description: "no endpoint set, a node advertising port 0", node: registeredWith(settings), advertises: true },
    { description: "no endpoint set, a node with no daemonEndpoints (the API's default port is 0)", node: withStatus(registeredWith(settings), { daemonEndpoints: undefined }), advertises: true },
    { description: "no endpoint set any more, a node still advertising the old one", node: registeredWith(withEndpoint), advertises: false },
  ];
  for (const c of cases) {
    it(`${c.advertises ? "yes" : "no"}: ${c.description}`, () => {
      assert.equal(advertisesKubeletEndpoint(c.node, { kubeletEndpoint: c.kubeletEndpoint }), c.advertises);
    });
  }
});

// What `aci-connector remove` does per node. The Lease is owned by its Node (an ownerReference), so the
// garbage collector deletes it once the Node is gone: deleted first, the Lease is reported as it was.
describe("removing a virtual node", () => {
  function removable(has: { node: boolean; lease: boolean }) {
    const calls: string[] = [];
    const nodes = {
      deleteLease: (name: string) => (calls.push(`delete lease ${name}`), Promise.resolve(has.lease)),
      deleteNode: (name: string) => (calls.push(`delete node ${name}`), Promise.resolve(has.node)),
    } as unknown as NodeClient;
    return { nodes, calls };
  }

  it("deletes the Lease, then the node, and reports both as found", async () => {
    const c = removable({ node: true, lease: true });
    assert.deepEqual(await removeVirtualNode(c.nodes, linux), { node: true, lease: true });
    assert.deepEqual(c.calls, [`delete lease ${linux}`, `delete node ${linux}`]);
  });

  it("reports what was already gone (a second remove, or a node deleted by hand whose Lease the garbage collector took)", async () => {
    assert.deepEqual(await removeVirtualNode(removable({ node: false, lease: false }).nodes, linux), { node: false, lease: false });
    assert.deepEqual(await removeVirtualNode(removable({ node: true, lease: false }).nodes, linux), { node: true, lease: false });
  });
});
