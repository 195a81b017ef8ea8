// Each of the connector's three paths proven alone, because reconcile repairs within a tick whatever
// another path got wrong, and so hides it: the webhook's doorbells through the relay to podEvents; the
// emulator's ARM events to aciEvents; and the two together with reconcile off, as a pod lives in Azure
// between two ticks. Reconcile alone is proven in pod-lifecycle.test.ts ("with the webhook down").
// Every error a path reports fails its test.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { podToContainerGroup } from "../../shared/translate/pod-to-container-group.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);

/** A pod the scheduler places on `node` (as the seed's are placed: by nodeSelector and toleration). */
function podFor(node: string, name: string, extra: Partial<V1Pod["spec"]> = {}): V1Pod {
  return {
    metadata: { name },
    spec: {
      containers: [{ name: "main", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }],
      nodeSelector: { "kubernetes.io/os": "linux", type: "virtual-kubelet", "kubernetes.io/hostname": node },
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
      ...extra,
    },
  };
}

async function newNamespace(name: string): Promise<string> {
  await core.createNamespace({ body: { metadata: { name } } });
  // Every pod mounts this ConfigMap; the controller-manager publishes it a moment after the namespace.
  await waitFor("kube-root-ca.crt", () => core.readNamespacedConfigMap({ namespace: name, name: "kube-root-ca.crt" }));
  return name;
}

const until = <T>(what: string, check: () => Promise<T | undefined>) => waitFor(what, check, { timeoutMs: 60_000, intervalMs: 250 });
const phaseOf = async (namespace: string, name: string) => (await core.readNamespacedPod({ namespace, name })).status;
const gone = (namespace: string, name: string) => async () => ((await core.listNamespacedPod({ namespace })).items.some((p) => p.metadata?.name === name) ? undefined : true);

describe("each path alone", () => {
  let running: RunningConnector;
  const node = () => running.connector.nodeNames[0]!;
  const eventReasons = async (namespace: string, name: string) =>
    (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` })).items.map((e) => e.reason);

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "alone", reconcile: false, periodMs: 2000 });
  });
  afterEach(() => {
    assert.deepEqual(running.unexpectedErrors(), [], "errors the paths reported");
    assert.equal(running.reconcileTicks(), 0, "reconcile stayed off, so it cannot have repaired anything");
  });
  after(() => running.stop());

  describe("the doorbells alone: webhook → relay → podEvents (ARM events off)", () => {
    let ns: string;
    before(async () => {
      running.setArmEvents(false);
      ns = await newNamespace("alone-doorbells");
    });
    after(() => running.setArmEvents(true));

    it("a new pod gets its group, a Pending status saying ContainerCreating, and a ContainerGroupCreated Event", async () => {
      const created = await core.createNamespacedPod({ namespace: ns, body: podFor(node(), "web") });
      const status = await until("the status podEvents writes", async () => {
        const s = await phaseOf(ns, "web");
        return s?.conditions?.some((c) => c.type === "aci-connector.io/ContainerGroupCreated") ? s : undefined;
      });
      assert.equal(status.phase, "Pending");
      assert.equal(status.containerStatuses?.[0]?.state?.waiting?.reason, "ContainerCreating");
      assert.deepEqual((await running.groupsByPod()).filter((g) => g.startsWith("web:")), [`web:${created.metadata!.uid}`]);
      assert.ok((await eventReasons(ns, "web")).includes("ContainerGroupCreated"));
    });

    it("a deleted pod's group is deleted and the pod goes for good", async () => {
      const pod = await core.readNamespacedPod({ namespace: ns, name: "web" });
      await core.deleteNamespacedPod({ namespace: ns, name: "web" });
      await until("web gone", gone(ns, "web"));
      assert.ok(!running.emulator.control.groupNames().includes(groupNameOf(pod)));
    });

    it("an unsupported pod under Never: Failed, every problem named, a Warning Event, no group", async () => {
      await core.createNamespacedPod({ namespace: ns, body: podFor(node(), "odd", { restartPolicy: "Never", hostNetwork: true, containers: [{ name: "main", image: "mcr.microsoft.com/azuredocs/aci-helloworld", workingDir: "/srv" }] }) });
      const status = await until("the refusal", async () => {
        const s = await phaseOf(ns, "odd");
        return s?.reason === "UnsupportedPodSpec" ? s : undefined;
      });
      assert.equal(status.phase, "Failed");
      assert.match(status.message ?? "", /spec\.hostNetwork/);
      assert.match(status.message ?? "", /spec\.containers\[0\]\.workingDir/);
      assert.ok((await eventReasons(ns, "odd")).includes("UnsupportedPodSpec"));
      assert.deepEqual((await running.groupsByPod()).filter((g) => g.startsWith("odd:")), []);
    });
  });

  describe("the ARM events alone: system topic → aciEvents (doorbells off)", () => {
    let ns: string;
    before(async () => {
      running.setDoorbells(false);
      ns = await newNamespace("alone-arm-events");
    });
    after(() => running.setDoorbells(true));

    it("a group written for a bound pod (podEvents died after its PUT): the write event brings the pod to Running with the group's IP", async () => {
      const body = podFor(node(), "written");
      body.spec!.nodeName = node();
      const pod = await core.createNamespacedPod({ namespace: ns, body });
      const rootCa = await core.readNamespacedConfigMap({ namespace: ns, name: "kube-root-ca.crt" });
      const translation = podToContainerGroup({ pod, references: { secrets: new Map(), configMaps: new Map([["kube-root-ca.crt", rootCa]]) }, node: { name: node(), os: "Linux" }, settings: running.deps.translation });
      await running.deps.groups.createOrUpdate(translation.name, translation.body);
      const status = await until("Running", async () => {
        const s = await phaseOf(ns, "written");
        return s?.phase === "Running" ? s : undefined;
      });
      const group = await running.deps.groups.get(translation.name);
      assert.equal(status.podIP, (group?.properties?.ipAddress as { ip?: string } | undefined)?.ip);
      assert.equal(status.containerStatuses?.[0]?.ready, true);
    });
  });

  describe("doorbells and ARM events together, reconcile off: a pod's whole life between two ticks", () => {
    let ns: string;
    before(async () => {
      ns = await newNamespace("alone-fast-path");
    });

    it("created, Running and deleted without reconcile", async () => {
      const created = await core.createNamespacedPod({ namespace: ns, body: podFor(node(), "quick") });
      await until("Running", async () => ((await phaseOf(ns, "quick"))?.phase === "Running" ? true : undefined));
      await core.deleteNamespacedPod({ namespace: ns, name: "quick" });
      await until("quick gone", gone(ns, "quick"));
      assert.ok(!running.emulator.control.groupNames().includes(groupNameOf(created)));
    });
  });
});
