// Benchmark: 100 and 1,000 pods on the virtual node, end to end (real control plane, webhook, relay,
// reconcile, emulator). Prints ARM reads and writes per reconcile tick, the time from binding (the
// webhook's doorbell) to the PUT, and from ACI Running (the container's start) to pod Running.
// Figures are printed, not asserted: a busy machine makes them slower, not wrong.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { reconcile } from "../../shared/controller/reconcile.js";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const apps = cluster.admin.makeApiClient(AppsV1Api);
const namespace = "scale";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (v: number) => `${Math.round(v)} ms`;

describe("benchmark: pods at scale", () => {
  let running: RunningConnector;
  const doorbellAt = new Map<string, number>(); // pod name -> first doorbell
  const putAt = new Map<string, number>(); // group name -> first PUT
  const runningWrittenAt = new Map<string, number>(); // pod name -> status Running written

  before(async () => {
    // ACI's regional quotas raised, as a subscription running this many pods would have them.
    running = await startRunningConnector(cluster, {
      connectorName: "scale",
      periodMs: 3000,
      emulator: { quota: { containerGroups: 5000, standardCores: 5000, createsPer5Min: 100_000, createsPerHour: 100_000 } },
    });
    // Instrument the connector's own calls (counting, not changing them).
    const { relay, deps } = running;
    const publish = relay.publish.bind(relay);
    relay.publish = (event, o) => (doorbellAt.has(event.name) || doorbellAt.set(event.name, Date.now()), publish(event, o));
    const put = deps.groups.createOrUpdate.bind(deps.groups);
    deps.groups.createOrUpdate = (name, body, o) => (putAt.has(name) || putAt.set(name, Date.now()), put(name, body, o));
    const linux = deps.podsAs(running.connector.nodeNames[0]!);
    const patch = linux.patchPodStatus.bind(linux);
    linux.patchPodStatus = (ref, status, o) => {
      if (status.phase === "Running" && !runningWrittenAt.has(ref.name)) runningWrittenAt.set(ref.name, Date.now());
      return patch(ref, status, o);
    };
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "burst" },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: "burst" } },
          template: {
            metadata: { labels: { app: "burst" } },
            spec: {
              containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: "10m", memory: "64Mi" } } }],
              nodeSelector: { "kubernetes.io/hostname": running.connector.nodeNames[0]! },
              tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
            },
          },
        },
      },
    });
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  for (const replicas of [100, 1000]) {
    it(`${replicas} pods`, { timeout: 900_000 }, async () => {
      const started = Date.now();
      const scaled = await cluster.kubectl(["scale", "-n", namespace, "deployment/burst", `--replicas=${replicas}`]);
      assert.equal(scaled.code, 0, scaled.stderr);
      const pods = await waitFor(
        `${replicas} pods Running`,
        async () => {
          const list = (await core.listNamespacedPod({ namespace, labelSelector: "app=burst" })).items;
          return list.filter((p) => p.status?.phase === "Running").length >= replicas ? list : undefined;
        },
        { timeoutMs: 840_000, intervalMs: 2000 },
      );
      const allRunning = Date.now() - started;

      // Steady state: what reconcile reads and writes per tick once nothing is changing.
      running.setReconcile(false);
      await new Promise((r) => setTimeout(r, 3500)); // let a tick in flight finish
      running.emulator.control.resetCounters();
      const ticks = 20;
      for (let t = 0; t < ticks; t++) await reconcile(running.deps, { tick: t });
      const counters = running.emulator.control.counters();
      running.setReconcile(true);
      const reads = (counters["containerGroups.listByResourceGroup"] ?? 0) + (counters["containerGroups.get"] ?? 0);
      const writes = (counters["containerGroups.createOrUpdate"] ?? 0) + (counters["containerGroups.delete"] ?? 0);

      const bindToPut: number[] = [];
      const aciRunningToPod: number[] = [];
      for (const pod of pods) {
        const bell = doorbellAt.get(pod.metadata!.name!);
        const put = putAt.get(groupNameOf(pod));
        if (bell !== undefined && put !== undefined) bindToPut.push(put - bell);
        const startedAt = pod.status?.containerStatuses?.[0]?.state?.running?.startedAt;
        const written = runningWrittenAt.get(pod.metadata!.name!);
        if (startedAt !== undefined && written !== undefined) aciRunningToPod.push(written - new Date(startedAt).getTime());
      }
      console.log(`${replicas} pods: all Running ${ms(allRunning)} after the scale`);
      console.log(`  ARM per reconcile tick, steady state (${ticks} ticks): ${(reads / ticks).toFixed(2)} reads (${counters["containerGroups.listByResourceGroup"] ?? 0} list pages, ${counters["containerGroups.get"] ?? 0} GETs), ${(writes / ticks).toFixed(2)} writes`);
      console.log(`  binding (doorbell) -> PUT: p50 ${ms(percentile(bindToPut, 50))}, p90 ${ms(percentile(bindToPut, 90))}, p99 ${ms(percentile(bindToPut, 99))} (${bindToPut.length} pods)`);
      console.log(`  ACI Running -> pod Running written: p50 ${ms(percentile(aciRunningToPod, 50))}, p90 ${ms(percentile(aciRunningToPod, 90))}, p99 ${ms(percentile(aciRunningToPod, 99))} (${aciRunningToPod.length} pods)`);
      console.log(`  note: ACI's default quota allows 100 creations per 5 minutes; the emulator's is raised here, so in Azure ${replicas} pods need at least ${Math.ceil(replicas / 100) * 5} minutes unless the quota is raised`);
      // Sanity only: every pod has its group, and a tick never reads more than its budget.
      assert.equal((await running.groupsByPod()).length, replicas);
      assert.ok(reads / ticks <= Math.ceil(replicas / 100) + 50);
    });
  }
});
