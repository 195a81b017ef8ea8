// A Spot pod end to end, on the real control plane and the emulator: a Deployment's pod asks for Spot
// (annotation aci-connector.io/priority), runs in a Spot container group without an IP, and when ACI
// evicts the group (the emulator's control API) the pod shows what a kubelet's evicted pod shows: phase
// Failed, reason Evicted, the DisruptionTarget condition and a Warning Event "Evicted". Its group is
// deleted (ACI would restart it and bill for a pod that is over), and the ReplicaSet replaces the pod.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, CoreV1Api, type V1Deployment, type V1Pod } from "@kubernetes/client-node";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const apps = cluster.admin.makeApiClient(AppsV1Api);
const namespace = "spot";
const waitMs = 60_000;

function spotDeployment(name: string, priority: string): V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { "aci-connector.io/priority": priority } },
        spec: {
          containers: [{ name: "web", image: "mcr.microsoft.com/azuredocs/aci-helloworld", ports: [{ containerPort: 80 }] }],
          nodeSelector: { "kubernetes.io/os": "linux", type: "virtual-kubelet" },
          tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
        },
      },
    },
  };
}

describe("a Spot pod, Running and then evicted by ACI", () => {
  let running: RunningConnector;
  const podsOf = async (app: string) => (await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
  const eventsOf = async (pod: V1Pod) => (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.uid=${pod.metadata!.uid}` })).items;

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "spot", periodMs: 1000 });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  it("runs in a Spot group without an IP, evicted: Failed/Evicted as a kubelet says it, its group gone, a new pod running", { timeout: 4 * waitMs }, async () => {
    await apps.createNamespacedDeployment({ namespace, body: spotDeployment("batch", "Spot") });
    const first = await waitFor("the Spot pod Running", async () => (await podsOf("batch")).find((p) => p.status?.phase === "Running"), { timeoutMs: waitMs, intervalMs: 250 });
    const firstGroup = groupNameOf(first);
    const group = await running.emulator.client.containerGroups.get(running.emulator.resourceGroup, firstGroup);
    assert.deepEqual([group.priority, group.ipAddress, first.status?.podIP], ["Spot", undefined, undefined]);
    const adapted = (await eventsOf(first)).filter((e) => e.reason === "Adapted").map((e) => e.message);
    assert.ok(adapted.some((m) => /no IP address: the pod's ports \(80\/TCP\) cannot be reached/.test(m ?? "")), adapted.join("\n"));

    running.emulator.control.evictGroup(firstGroup);

    const evicted = await waitFor("the pod Evicted", async () => {
      const pod = await core.readNamespacedPod({ namespace, name: first.metadata!.name! });
      return pod.status?.phase === "Failed" ? pod : undefined;
    }, { timeoutMs: waitMs, intervalMs: 250 });
    assert.equal(evicted.status?.reason, "Evicted");
    assert.match(evicted.status?.message ?? "", /^ACI evicted the pod's Spot container group \(Azure needed the capacity back\): The Spot container group was evicted/);
    const disruption = evicted.status?.conditions?.find((c) => c.type === "DisruptionTarget");
    assert.deepEqual([disruption?.status, disruption?.reason], ["True", "TerminationByKubelet"]);
    assert.deepEqual(evicted.status?.containerStatuses?.map((c) => [c.name, c.state?.terminated?.exitCode, c.ready]), [["web", 137, false]]);
    const out = await cluster.kubectl(["get", "pod", first.metadata!.name!, "-n", namespace, "--no-headers"]);
    // The printer puts a terminated container's reason over the pod's, as for a pod a kubelet evicts today
    // (its killed containers terminated Error, 137): `kubectl describe` and the Event say Evicted.
    assert.equal(out.stdout.trim().split(/\s+/)[2], "Error", out.stdout);
    const events = await waitFor("a Warning Event Evicted", async () => (await eventsOf(first)).filter((e) => e.reason === "Evicted").at(0), { timeoutMs: waitMs, intervalMs: 250 });
    assert.equal(events.type, "Warning");
    assert.equal(events.message, evicted.status?.message);

    // The evicted pod's group goes; the ReplicaSet's new pod runs in a group of its own; nothing else is left.
    const replacement = await waitFor("a new pod Running", async () => (await podsOf("batch")).find((p) => p.metadata!.uid !== first.metadata!.uid && p.status?.phase === "Running"), {
      timeoutMs: waitMs,
      intervalMs: 250,
    });
    await waitFor("only the new pod's group", () => {
      const names = running.emulator.control.groupNames();
      return Promise.resolve(names.length === 1 && names[0] === groupNameOf(replacement) ? true : undefined);
    }, { timeoutMs: waitMs, intervalMs: 250 });
    assert.ok(running.emulator.control.history().deleted.some((d) => d.name === firstGroup));
    // The evicted pod stays, Failed, as a kubelet's does, until the pod garbage collector or a user removes it.
    assert.equal((await core.readNamespacedPod({ namespace, name: first.metadata!.name! })).status?.reason, "Evicted");
  });

  it("an unknown priority is refused naming the annotation and its values; the pod waits, saying so", { timeout: waitMs + 10_000 }, async () => {
    await apps.createNamespacedDeployment({ namespace, body: spotDeployment("typo", "spot") });
    const pod = await waitFor("the pod refused", async () => (await podsOf("typo")).find((p) => p.status?.reason === "UnsupportedPodSpec"), { timeoutMs: waitMs, intervalMs: 250 });
    assert.equal(pod.status?.phase, "Pending");
    assert.equal(pod.status?.message, 'metadata.annotations["aci-connector.io/priority"]: must be Regular or Spot, not "spot"');
  });
});
