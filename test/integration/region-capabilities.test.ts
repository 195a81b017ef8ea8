// End to end on the real control plane and the emulator: an 8-CPU, 32Gi pod runs where its region allows
// it, and is refused where it does not, with the field and the region's own figure, which the connector
// read from the region's capabilities through the SDK. The regions: the emulator's default (every region
// as Microsoft documents it today: 31 CPU, 240 GB), and westus served with eastus's capabilities as ARM
// listed them in 2021 (4 CPU and 16 GB for a public group). Reconcile alone creates the groups (no
// webhook): the two connectors run one after the other in this process.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { capabilitiesRecordedInEastUs2021 } from "../../dev/emulator/index.js";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);

/** 8 CPU and 32Gi in one container, for the connector's Linux node. */
function bigPod(node: string): V1Pod {
  return {
    metadata: { name: "big" },
    spec: {
      containers: [{ name: "main", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: "8", memory: "32Gi" } } }],
      nodeSelector: { "kubernetes.io/hostname": node },
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
    },
  };
}

describe("an 8-CPU, 32Gi pod and its region's capabilities", () => {
  describe("in a region as Microsoft documents every region today (31 CPU, 240 GB)", () => {
    const namespace = "sizes-documented";
    let running: RunningConnector;
    before(async () => {
      running = await startRunningConnector(cluster, { connectorName: "sizes", location: "westeurope", webhook: false });
      await core.createNamespace({ body: { metadata: { name: namespace } } });
    });
    after(async () => {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
      await running.stop();
    });

    it("runs: Running, its group asking ACI for 8 CPU and 34.4 GB", { timeout: 120_000 }, async () => {
      await core.createNamespacedPod({ namespace, body: bigPod(running.connector.nodeNames[0]!) });
      const pod = await waitFor("big Running", async () => {
        const p = await core.readNamespacedPod({ namespace, name: "big" });
        return p.status?.phase === "Running" ? p : undefined;
      }, { timeoutMs: 90_000, intervalMs: 500 });
      const group = await running.deps.groups.get(groupNameOf(pod));
      const containers = group?.properties?.containers as { properties: { resources: { requests: unknown } } }[];
      // 32Gi is 34.36 GB; ACI's 0.1 GB granularity, rounded up.
      assert.deepEqual(containers[0]?.properties.resources.requests, { cpu: 8, memoryInGB: 34.4 });
      assert.ok((running.emulator.control.counters()["location.listCapabilities"] ?? 0) >= 1, "the connector read the region's capabilities");
    });
  });

  describe("in a region whose public groups have at most 4 CPU and 16 GB", () => {
    const namespace = "sizes-smaller";
    let running: RunningConnector;
    before(async () => {
      running = await startRunningConnector(cluster, { connectorName: "smaller", location: "westus", webhook: false, emulator: { capabilities: { westus: capabilitiesRecordedInEastUs2021 } } });
      await core.createNamespace({ body: { metadata: { name: namespace } } });
    });
    after(async () => {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
      await running.stop();
    });

    it("is refused: Pending, UnsupportedPodSpec naming each field with the region's figures, the same in a Warning Event, no group in ACI", { timeout: 120_000 }, async () => {
      await core.createNamespacedPod({ namespace, body: bigPod(running.connector.nodeNames[0]!) });
      const status = await waitFor("big refused", async () => {
        const s = (await core.readNamespacedPod({ namespace, name: "big" })).status;
        return s?.reason === "UnsupportedPodSpec" ? s : undefined;
      }, { timeoutMs: 90_000, intervalMs: 500 });
      // restartPolicy Always (the API server's default): the pod stays Pending, saying why.
      assert.equal(status.phase, "Pending");
      assert.equal(
        status.message,
        "spec.containers[*].resources.requests.cpu: the pod's containers request 8 CPU in all; ACI runs at most 4 CPU and 16 GB in one Linux container group in westus; " +
          "spec.containers[*].resources.requests.memory: the pod's containers request 34.4 GB of memory in all (GB of 10^9 bytes: 1Gi is 1.07 GB); ACI runs at most 4 CPU and 16 GB in one Linux container group in westus",
      );
      const events = await waitFor("the Warning Event", async () => {
        const list = (await core.listNamespacedEvent({ namespace, fieldSelector: "involvedObject.name=big,reason=UnsupportedPodSpec" })).items;
        return list.length > 0 ? list : undefined;
      });
      assert.deepEqual(events.map((e) => [e.type, e.message]), [["Warning", status.message]]);
      assert.deepEqual(running.emulator.control.history().created, [], "nothing was sent to ACI");
    });
  });
});
