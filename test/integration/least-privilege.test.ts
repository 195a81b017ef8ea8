// The connector holds no more rights than a kubelet: its own credential can only impersonate its nodes
// (and change its own taint on them), and as a node the API server's Node authorizer and NodeRestriction
// confine it to its own Node and Lease, the pods bound to it, and what those pods reference.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { kubeConfigAsNode, nodeIdentity } from "../../shared/kube/node-identity.js";
import { createNodeClient } from "../../shared/kube/node-client.js";
import { createPodClient } from "../../shared/kube/pod-client.js";
import { testCluster } from "../support/cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "../support/connector-under-test.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "least-privilege";
const forbidden = (e: { code?: number }) => e.code === 403;

function pod(name: string, nodeName: string, secret: string): V1Pod {
  return {
    metadata: { name, namespace },
    spec: {
      nodeName,
      containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: secret, key: "token" } } }] }],
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
    },
  };
}

describe("least privilege: the connector as its nodes", () => {
  let emulator: TestEmulator;
  let connector: ConnectorUnderTest;
  let linux: string;
  let windows: string;

  before(async () => {
    emulator = await startTestEmulator();
    connector = await connectorUnderTest({ cluster, emulator, connectorName: "least", location: "westeurope", osTypes: ["Linux", "Windows"] });
    await connector.register();
    [linux, windows] = connector.nodeNames as [string, string];
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    for (const name of ["ours", "theirs", "unrelated"]) {
      await core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: { token: `${name}-value` } } });
    }
    // One pod on the Linux node, one on the Windows node: each node may see only its own.
    await core.createNamespacedPod({ namespace, body: pod("on-linux", linux, "ours") });
    await core.createNamespacedPod({ namespace, body: pod("on-windows", windows, "theirs") });
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await connector.unregister();
    await emulator.stop();
  });

  it("its own credential reads nothing: no pods, no Secrets, no nodes", async () => {
    const own = connector.identity.kubeConfig.makeApiClient(CoreV1Api);
    await assert.rejects(own.readNamespacedSecret({ namespace, name: "ours" }), forbidden);
    await assert.rejects(own.listPodForAllNamespaces(), forbidden);
    await assert.rejects(own.readNamespacedPod({ namespace, name: "on-linux" }), forbidden);
    await assert.rejects(own.readNode({ name: linux }), forbidden);
    await assert.rejects(own.createNamespacedEvent({ namespace, body: { metadata: { name: "x" }, involvedObject: {} } }), forbidden);
  });

  it("as the Linux node it reads the Secret its pod references, and no other", async () => {
    const asLinux = createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, linux));
    const secret = await waitFor("the node graph to relate the pod's Secret", () => asLinux.getSecret({ namespace, name: "ours" }), { timeoutMs: 10_000 });
    assert.equal(Buffer.from(secret.data?.token ?? "", "base64").toString(), "ours-value");
    await assert.rejects(asLinux.getSecret({ namespace, name: "unrelated" }), forbidden);
    await assert.rejects(asLinux.getSecret({ namespace, name: "theirs" }), forbidden, "the Windows node's pod's Secret");
  });

  it("as the Linux node it finds its own pod, but not the Windows node's, and cannot list every pod", async () => {
    const asLinux = createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, linux));
    assert.equal((await asLinux.findPodOnNode({ namespace, name: "on-linux" }, linux))?.metadata?.name, "on-linux");
    await assert.rejects(asLinux.findPodOnNode({ namespace, name: "on-windows" }, windows), forbidden);
    await assert.rejects(asLinux.listPodsOnNode(windows), forbidden);
    await assert.rejects(kubeConfigAsNode(connector.identity.kubeConfig, linux).makeApiClient(CoreV1Api).listPodForAllNamespaces(), forbidden);
  });

  it("as the Linux node it may not write the status of (or delete) a pod on another node", async () => {
    const asLinux = createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, linux));
    const onWindows = await core.readNamespacedPod({ namespace, name: "on-windows" });
    await assert.rejects(asLinux.patchPodStatus({ namespace, name: "on-windows", uid: onWindows.metadata!.uid! }, { podIP: "10.0.0.66" }), forbidden);
    await assert.rejects(asLinux.deletePodNow({ namespace, name: "on-windows", uid: onWindows.metadata!.uid! }), forbidden);
    const onLinux = await core.readNamespacedPod({ namespace, name: "on-linux" });
    assert.equal(await asLinux.patchPodStatus({ namespace, name: "on-linux", uid: onLinux.metadata!.uid! }, { message: "written as the node" }), true);
    assert.equal((await core.readNamespacedPod({ namespace, name: "on-linux" })).status?.message, "written as the node");
  });

  it("writes a pod's status only while the pod has the UID it was read with, as a kubelet does: never to a namesake", async () => {
    const asLinux = createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, linux));
    const namesakeOf = "0b3c7a2e-1f0e-4a51-9a39-000000000000";
    assert.equal(await asLinux.patchPodStatus({ namespace, name: "on-linux", uid: namesakeOf }, { message: "for the pod that was here before" }), false);
    assert.equal((await core.readNamespacedPod({ namespace, name: "on-linux" })).status?.message, "written as the node");
  });

  it("it cannot act as any node but its own", async () => {
    const other = createNodeClient(kubeConfigAsNode(connector.identity.kubeConfig, "some-real-node"));
    await assert.rejects(other.getNode("some-real-node"), forbidden);
    const asLinux = createNodeClient(kubeConfigAsNode(connector.identity.kubeConfig, linux));
    await assert.rejects(asLinux.getNode(windows), forbidden);
    await assert.rejects(asLinux.patchNodeStatus(windows, { conditions: [] }), forbidden);
  });

  it("its own node patches may change its own taint and nothing else", async () => {
    const own = createNodeClient(connector.identity.kubeConfig);
    // The API server starts enforcing a new admission policy a moment after it is created: wait for it
    // with a harmless change it refuses (an annotation), undone while it is still let through.
    await waitFor("the admission policy in force", async () => {
      try {
        await own.patchNodeAnnotations(linux, { "probe.example/policy": "x" });
      } catch (error) {
        if ((error as { code?: number }).code === 403 || (error as { code?: number }).code === 422) return true;
        throw error;
      }
      await createNodeClient(cluster.admin).patchNodeAnnotations(linux, { "probe.example/policy": null });
      return undefined;
    }, { timeoutMs: 30_000 });
    const current = await core.readNode({ name: linux });
    const taints = current.spec?.taints ?? [];
    // Removing the provider taint would draw every pod to ACI: refused by the admission policy.
    await assert.rejects(own.replaceNodeTaints(linux, [], current.metadata!.resourceVersion!), (e: { code?: number; body?: unknown }) => e.code === 403 || e.code === 422);
    await assert.rejects(own.patchNodeAnnotations(linux, { "steal.example/x": "y" }), (e: { code?: number }) => e.code === 403 || e.code === 422);
    await own.replaceNodeTaints(linux, [...taints, { key: "aci-connector.io/aci-unavailable", effect: "NoSchedule" }], current.metadata!.resourceVersion!);
    const tainted = await core.readNode({ name: linux });
    assert.ok(tainted.spec?.taints?.some((t) => t.key === "aci-connector.io/aci-unavailable"));
    await own.replaceNodeTaints(linux, taints, tainted.metadata!.resourceVersion!);
    await assert.rejects(own.replaceNodeTaints("some-real-node", [], "1"), forbidden);
  });

  it("kubectl auth can-i, as the identities local.json names, says the same", async () => {
    const { user, groups } = nodeIdentity(linux);
    const can = async (args: string[]) => (await cluster.kubectl(["auth", "can-i", ...args, `--as=${user}`, ...groups.map((g) => `--as-group=${g}`)])).stdout.trim().split(" ")[0];
    assert.equal(await can(["get", "secret/unrelated", "-n", namespace]), "no");
    assert.equal(await can(["get", "secret/ours", "-n", namespace]), "yes");
    assert.equal(await can(["list", "secrets", "--all-namespaces"]), "no");
    const self = async (args: string[]) => (await cluster.kubectl(["auth", "can-i", ...args, `--as=${connector.identity.user}`])).stdout.trim().split(" ")[0];
    assert.equal(await self(["get", "secrets", "-n", namespace]), "no");
    assert.equal(await self(["impersonate", `users/${user}`]), "yes");
    assert.equal(await self(["impersonate", "users/system:node:some-real-node"]), "no");
  });
});
