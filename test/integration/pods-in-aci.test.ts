// End to end on the real control plane and the emulator, the connector under its restricted role: the
// seed's two Deployments, applied verbatim, run as container groups and show Running with their IP on
// the right virtual node; scaling and deleting leave exactly one group per pod and nothing behind.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreV1Api } from "@kubernetes/client-node";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { testCluster } from "../support/cluster.js";
import { seedDir } from "../support/paths.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "seed";

describe("pods on virtual nodes run in ACI", () => {
  let running: RunningConnector;
  const groupsByPod = () => running.groupsByPod();
  const podsOf = async (app: string) => (await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "e2e" });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  it("runs the seed's Deployments, applied verbatim: Running, READY 1/1, the group's IP, on the seed-named nodes", { timeout: 120_000 }, async () => {
    for (const file of ["virtual-kubelet-linux.yaml", "virtual-kubelet-windows.yaml"]) {
      const applied = await cluster.kubectl(["apply", "-n", namespace, "-f", join(seedDir, file)]);
      assert.equal(applied.code, 0, applied.stderr);
    }
    const rows = await waitFor(
      "both pods Running and ready",
      async () => {
        const out = await cluster.kubectl(["get", "pods", "-n", namespace, "-o", "wide", "--no-headers"]);
        const lines = out.stdout.trim().split("\n").filter((l) => l !== "").map((l) => l.split(/\s+/));
        return lines.length === 2 && lines.every((l) => l[1] === "1/1" && l[2] === "Running") ? lines : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    const [linux, windows] = running.connector.nodeNames;
    const byApp = new Map(rows.map((r) => [r[0]!.replace(/-[a-z0-9]+-[a-z0-9]+$/, ""), r]));
    // NAME READY STATUS RESTARTS AGE IP NODE ...
    assert.equal(byApp.get("aci-helloworld")?.[6], linux);
    assert.equal(byApp.get("nanoserver-iis")?.[6], windows);
    for (const row of rows) assert.match(row[5]!, /^\d+\.\d+\.\d+\.\d+$/);
    const groups = await groupsByPod();
    assert.equal(groups.length, 2);
    // Each pod was written not ready first (ContainerCreating); a kubelet's ready pod carries no reason
    // or message on its Ready and ContainersReady conditions, and the merge patch must not keep the old ones.
    for (const pod of (await core.listNamespacedPod({ namespace })).items) {
      for (const type of ["Ready", "ContainersReady"]) {
        const condition = pod.status?.conditions?.find((c) => c.type === type);
        assert.deepEqual([condition?.status, condition?.reason, condition?.message], ["True", undefined, undefined], `${pod.metadata?.name} ${type}`);
      }
    }
    const events = await core.listNamespacedEvent({ namespace });
    assert.ok(events.items.some((e) => e.reason === "ContainerGroupCreated"), "a ContainerGroupCreated Event");
  });

  it("scales to 5 and back to 1 with exactly one group per pod", { timeout: 180_000 }, async () => {
    const scale = (n: number) => cluster.kubectl(["scale", "-n", namespace, "deployment/aci-helloworld", `--replicas=${n}`]);
    assert.equal((await scale(5)).code, 0);
    await waitFor("5 pods Running", async () => ((await podsOf("aci-helloworld")).filter((p) => p.status?.phase === "Running").length === 5 || undefined), { timeoutMs: 120_000, intervalMs: 1000 });
    assert.equal((await scale(1)).code, 0);
    const expected = async () => {
      const pods = [...(await podsOf("aci-helloworld")), ...(await podsOf("nanoserver-iis"))];
      return pods.map((p) => `${p.metadata!.name}:${p.metadata!.uid}`).sort();
    };
    await waitFor("one group per pod, no more", async () => {
      const [pods, groups] = [await expected(), await groupsByPod()];
      return pods.length === 2 && JSON.stringify(pods) === JSON.stringify(groups) ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
  });

  it("deleting the Deployments deletes every group and every pod", { timeout: 120_000 }, async () => {
    for (const d of ["aci-helloworld", "nanoserver-iis"]) assert.equal((await cluster.kubectl(["delete", "deployment", d, "-n", namespace, "--wait=false"])).code, 0);
    await waitFor("no pods and no groups", async () => ((await core.listNamespacedPod({ namespace })).items.length === 0 && (await groupsByPod()).length === 0 ? true : undefined), {
      timeoutMs: 90_000,
      intervalMs: 1000,
    });
  });
});

describe("pods on virtual nodes in a subnet (VNet mode, as AKS virtual nodes always deploy)", () => {
  const vnetNamespace = "vnet";
  let running: RunningConnector;
  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "vnet", subnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/virtual-node-aci" });
    await core.createNamespace({ body: { metadata: { name: vnetNamespace } } });
  });
  after(async () => {
    await core.deleteNamespace({ name: vnetNamespace }).catch(() => undefined);
    await running.stop();
  });

  it("gives a Running pod without ports its private IP from the subnet, so tools waiting for status.podIP see one", { timeout: 120_000 }, async () => {
    await core.createNamespacedPod({
      namespace: vnetNamespace,
      body: {
        metadata: { name: "worker" },
        spec: {
          containers: [{ name: "main", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }],
          nodeSelector: { "kubernetes.io/os": "linux", type: "virtual-kubelet" },
          tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
        },
      },
    });
    const status = await waitFor("worker Running", async () => {
      const s = (await core.readNamespacedPod({ namespace: vnetNamespace, name: "worker" })).status;
      return s?.phase === "Running" ? s : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    assert.match(status.podIP ?? "", /^10\.\d+\.\d+\.\d+$/);
    const sent = await running.deps.groups.get(groupNameOf(await core.readNamespacedPod({ namespace: vnetNamespace, name: "worker" })));
    assert.equal((sent?.properties?.ipAddress as { type?: string } | undefined)?.type, "Private");
    assert.equal((sent?.properties?.subnetIds as { id: string }[] | undefined)?.[0]?.id.endsWith("/subnets/virtual-node-aci"), true);
  });
});
