// Proves the local control plane is the real thing: kubectl works, kube-scheduler binds, the
// controller-manager runs Deployments and the node lifecycle, and RBAC is enforced.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, CoordinationV1Api, CoreV1Api, V1MicroTime, type V1Deployment, type V1Node } from "@kubernetes/client-node";
import { parse } from "yaml";
import { startControlPlane } from "../../dev/control-plane/launch.js";
import { testCluster } from "../support/cluster.js";
import { seedDir } from "../support/paths.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const apps = cluster.admin.makeApiClient(AppsV1Api);
const leases = cluster.admin.makeApiClient(CoordinationV1Api);

/** A Node shaped like the seed's virtual node: its labels and taint, Ready, with room for pods. */
function seedLikeNode(name: string, os: "linux" | "windows"): V1Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        type: "virtual-kubelet",
        "kubernetes.io/role": "agent",
        "kubernetes.io/os": os,
        "beta.kubernetes.io/os": os,
        "kubernetes.io/hostname": name,
      },
    },
    spec: { taints: [{ key: "virtual-kubelet.io/provider", value: "azure", effect: "NoSchedule" }] },
    // Nodes may be created with their status (that is how a kubelet registers).
    status: {
      capacity: { cpu: "10", memory: "64Gi", pods: "100" },
      allocatable: { cpu: "10", memory: "64Gi", pods: "100" },
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "TestReady",
          message: "created by a test",
          lastHeartbeatTime: new Date(),
          lastTransitionTime: new Date(),
        },
      ],
    },
  };
}

async function renewLease(node: V1Node): Promise<void> {
  const name = node.metadata!.name!;
  const created = await core.readNode({ name });
  await leases.createNamespacedLease({
    namespace: "kube-node-lease",
    body: {
      metadata: {
        name,
        namespace: "kube-node-lease",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: created.metadata!.uid! }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new V1MicroTime() },
    },
  });
}

async function seedDeployment(file: string): Promise<V1Deployment> {
  return parse(await readFile(join(seedDir, file), "utf8")) as V1Deployment;
}

describe("the local control plane", () => {
  it("answers kubectl with the admin kubeconfig, and reports the version it was built as", async () => {
    const version = await cluster.kubectl(["version", "-o", "json"]);
    assert.equal(version.code, 0, version.stderr);
    const parsed = JSON.parse(version.stdout) as { serverVersion: { gitVersion: string }; clientVersion: { gitVersion: string } };
    assert.match(parsed.serverVersion.gitVersion, /^v1\.\d+\.\d+$/);
    assert.equal(parsed.clientVersion.gitVersion, parsed.serverVersion.gitVersion);

    const ready = await cluster.kubectl(["get", "--raw", "/readyz"]);
    assert.equal(ready.stdout.trim(), "ok");
  });

  it("refuses a user with no RBAC binding", async () => {
    const nobody = await cluster.userKubeconfig("nobody", ["some-group"]);
    const result = await cluster.kubectl(["get", "pods", "-n", "default"], { kubeconfig: nobody.path });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /User "nobody" cannot list resource "pods"/);

    const client = nobody.kubeConfig.makeApiClient(CoreV1Api);
    await assert.rejects(client.listNamespacedPod({ namespace: "default" }), (error: { code?: number }) => error.code === 403);
  });

  describe("with a node shaped like the seed's virtual node", () => {
    const node = seedLikeNode("cp-test-virtual-node-linux", "linux");
    const namespace = "cp-test-scheduling";

    before(async () => {
      await core.createNamespace({ body: { metadata: { name: namespace } } });
      await core.createNode({ body: node });
      await renewLease(node);
    });

    after(async () => {
      await core.deleteNamespace({ name: namespace });
      await core.deleteNode({ name: node.metadata!.name! });
    });

    it("kube-scheduler binds a pod with the seed's nodeSelector and toleration to it", async () => {
      const template = (await seedDeployment("virtual-kubelet-linux.yaml")).spec!.template;
      await core.createNamespacedPod({
        namespace,
        body: { metadata: { name: "scheduled", labels: template.metadata?.labels }, spec: template.spec! },
      });
      const nodeName = await waitFor("the pod to be bound", async () => (await core.readNamespacedPod({ namespace, name: "scheduled" })).spec?.nodeName);
      assert.equal(nodeName, node.metadata!.name);
    });

    it("kube-scheduler does not bind a pod without the toleration", async () => {
      const template = (await seedDeployment("virtual-kubelet-linux.yaml")).spec!.template;
      await core.createNamespacedPod({
        namespace,
        body: { metadata: { name: "untolerated" }, spec: { ...template.spec!, tolerations: [] } },
      });
      const reason = await waitFor("the scheduler to report the pod unschedulable", async () => {
        const pod = await core.readNamespacedPod({ namespace, name: "untolerated" });
        return pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.reason === "Unschedulable")?.message;
      });
      assert.match(reason, /untolerated taint/);
    });

    it("kube-controller-manager turns the seed's Deployment into a ReplicaSet and a Pod", async () => {
      const deployment = await seedDeployment("virtual-kubelet-linux.yaml");
      const applied = await cluster.kubectl(["apply", "-n", namespace, "-f", join(seedDir, "virtual-kubelet-linux.yaml")]);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /deployment.apps\/aci-helloworld created/);

      const replicaSet = await waitFor("a ReplicaSet owned by the Deployment", async () =>
        (await apps.listNamespacedReplicaSet({ namespace })).items.find((rs) =>
          rs.metadata?.ownerReferences?.some((o) => o.kind === "Deployment" && o.name === deployment.metadata!.name),
        ),
      );
      const pod = await waitFor("a Pod owned by the ReplicaSet", async () =>
        (await core.listNamespacedPod({ namespace })).items.find((p) =>
          p.metadata?.ownerReferences?.some((o) => o.kind === "ReplicaSet" && o.name === replicaSet.metadata!.name),
        ),
      );
      assert.deepEqual(pod.spec?.nodeSelector, deployment.spec!.template.spec!.nodeSelector);
    });
  });

  it("marks a node Ready=Unknown once its Lease is not renewed within the grace period", { timeout: 180_000 }, async () => {
    const node = seedLikeNode("cp-test-silent-node", "windows");
    await core.createNode({ body: node });
    await renewLease(node);
    try {
      const started = Date.now();
      const ready = await waitFor(
        "the node lifecycle controller to mark the node Unknown",
        async () => {
          const current = await core.readNode({ name: node.metadata!.name! });
          const condition = current.status?.conditions?.find((c) => c.type === "Ready");
          return condition?.status === "Unknown" ? condition : undefined;
        },
        { timeoutMs: 150_000, intervalMs: 1000 },
      );
      assert.equal(ready.reason, "NodeStatusUnknown");
      // Not before the grace period: the Lease and the posted status were fresh when it started.
      assert.ok(Date.now() - started >= cluster.descriptor.nodeMonitorGracePeriodSeconds * 1000 - 2000);
    } finally {
      await core.deleteNode({ name: node.metadata!.name! });
    }
  });

  it("can run a second control plane beside the first, and stops every process it started", { timeout: 180_000 }, async () => {
    const second = await startControlPlane({ binDir: cluster.descriptor.binDir });
    try {
      assert.notEqual(second.descriptor.server, cluster.descriptor.server);
      const version = await cluster.kubectl(["get", "--raw", "/readyz"], { kubeconfig: second.descriptor.adminKubeconfig });
      assert.equal(version.stdout.trim(), "ok");
    } finally {
      await second.stop();
    }
    const port = Number(new URL(second.descriptor.server).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => (socket.destroy(), resolve("connected")));
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    assert.equal(refused, "ECONNREFUSED");
    assert.equal(existsSync(second.descriptor.dir), false, "its temporary directory is removed");
  });

  it("reports a component that cannot start, with the tail of its log, and leaves nothing running", async () => {
    await assert.rejects(startControlPlane({ binDir: "/nonexistent-binaries" }), /the control plane did not start: kube-apiserver cannot become healthy: (etcd|kube-apiserver) exited \(failed to start: spawn \/nonexistent-binaries\/\S+ ENOENT\)/);
  });
});
