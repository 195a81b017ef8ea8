// Creates beyond ACI's creation quota (100 per 5 minutes and 300 per hour by default, answered 429 with
// Retry-After; the emulator's is lowered to 2 here): the connector sends nothing more before ARM's time,
// and the pods that wait say why in `kubectl get pods` and a Warning Event, and their node says how many wait.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api } from "@kubernetes/client-node";
import { creationThrottledReason } from "../../shared/controller/pod-sync.js";
import { creationsThrottledType } from "../../shared/controller/creation-waits.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "quota";

describe("creates at ACI's creation quota", () => {
  let running: RunningConnector;

  before(async () => {
    running = await startRunningConnector(cluster, {
      connectorName: "quota",
      periodMs: 2000,
      emulator: { quota: { containerGroups: 100, standardCores: 100, createsPer5Min: 2, createsPerHour: 300 } },
    });
    // The 429s are what this test brings about.
    running.expectErrors(/429|not sent: ARM asked the connector to send no writes/);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  const linuxNodeCondition = async () =>
    (await core.readNode({ name: running.connector.nodeNames[0]! })).status?.conditions?.find((c) => c.type === creationsThrottledType);

  it("runs what the quota allows, tells the others why they wait, and sends no create before ARM's time", { timeout: 90_000 }, async () => {
    const calm = await waitFor("the node saying no pod waits", async () => ((await linuxNodeCondition())?.status === "False" ? linuxNodeCondition() : undefined), { timeoutMs: 20_000, intervalMs: 500 });
    assert.equal(calm.message, "no pod waits for its container group to be created");
    for (let i = 0; i < 4; i++) {
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: `burst-${i}` },
          spec: {
            containers: [{ name: "main", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }],
            nodeSelector: { "kubernetes.io/os": "linux", type: "virtual-kubelet" },
            tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
          },
        },
      });
    }
    const pods = await waitFor(
      "two pods Running and two waiting with the reason",
      async () => {
        const items = (await core.listNamespacedPod({ namespace })).items;
        const runningPods = items.filter((p) => p.status?.phase === "Running");
        const waiting = items.filter((p) => p.status?.phase === "Pending" && p.status.reason === creationThrottledReason);
        return runningPods.length === 2 && waiting.length === 2 ? waiting : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    // kubectl's STATUS column shows the pod's reason.
    const table = await cluster.kubectl(["get", "pods", "-n", namespace, "--no-headers"]);
    assert.equal(table.stdout.split("\n").filter((l) => l.includes(creationThrottledReason)).length, 2, table.stdout);
    for (const pod of pods) {
      const events = (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod.metadata!.name}` })).items;
      assert.ok(events.some((e) => e.reason === creationThrottledReason && e.type === "Warning" && /100 creations per 5 minutes/.test(e.message ?? "")), pod.metadata!.name);
    }
    // The node says how many wait and why (`kubectl describe node`).
    const throttled = await waitFor("the node counting the waiting pods", async () => {
      const condition = await linuxNodeCondition();
      return condition?.status === "True" && /^2 pods wait/.test(condition.message ?? "") ? condition : undefined;
    }, { timeoutMs: 20_000, intervalMs: 500 });
    assert.equal(throttled.reason, creationThrottledReason);
    assert.match(throttled.message!, /^2 pods wait for their container groups: ARM is throttling the connector's container group creations \(ACI allows 100 creations per 5 minutes/);
    // No spinning: the emulator's Retry-After is 60 s, and for the ticks that follow no PUT reaches it.
    const puts = () => running.emulator.control.counters()["containerGroups.createOrUpdate"] ?? 0;
    const sent = puts();
    assert.ok(sent <= 4, `${sent} PUTs for 4 pods`);
    const ticks = running.reconcileTicks();
    await waitFor("five more reconcile ticks", () => Promise.resolve(running.reconcileTicks() >= ticks + 5 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
    assert.equal(puts(), sent, "a PUT before the time ARM gave");
  });
});
