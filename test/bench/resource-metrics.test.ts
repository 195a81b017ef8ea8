// Benchmark: what metrics-server's scrape of /metrics/resource every 15 s costs. Azure Monitor calls
// (metrics:getBatch, one per 50 container groups per minute, answers kept for the minute) and ARM reads
// (expected: none: the pods come from the API server, the groups' names from the pods) per minute, for a
// node with N Running pods. The scrapes go over HTTPS with the API server's kubelet client certificate
// to the kubelet API as the functions serve it. Time is simulated: the emulator and the kubelet API share
// a clock that each scrape moves 15 s forward, so five minutes of scrapes take seconds; reconcile is
// paused meanwhile, so every request the emulator counts is a scrape's.
//
// Sizes: ACI_CONNECTOR_BENCH_METRICS_PODS, 10 and 30 in `npm test`, 100 and 1000 under `npm run bench`.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { azureMonitorBudget } from "../../shared/aci/arm-budget.js";
import { testCluster } from "../support/cluster.js";
import { apiServerKubeletClient, kubeletGet } from "../support/kubelet-client.js";
import { reconcileTickOverran, startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const apps = cluster.admin.makeApiClient(AppsV1Api);
const namespace = "bench-metrics";
const minute = 60_000;
const scrapeEveryMs = 15_000;
const simulatedMinutes = 5;

const sizes = (() => {
  const text = process.env.ACI_CONNECTOR_BENCH_METRICS_PODS ?? "10,30";
  const parsed = text.split(",").map(Number);
  if (!parsed.every((n, i) => Number.isInteger(n) && n > 0 && (i === 0 || n > parsed[i - 1]!))) throw new Error(`ACI_CONNECTOR_BENCH_METRICS_PODS="${text}" must be growing whole numbers, e.g. 100,1000`);
  return parsed;
})();

describe("benchmark: Azure Monitor calls and ARM reads of metrics-server's scrapes", () => {
  let running: RunningConnector;
  let offset = 0;
  const now = () => Date.now() + offset;
  let apiServer: { cert: string; key: string };

  before(async () => {
    running = await startRunningConnector(cluster, {
      connectorName: "bench-metrics",
      kubeletApi: true,
      emulator: { clock: now, quota: { containerGroups: 5000, standardCores: 5000, createsPer5Min: 100_000, createsPerHour: 100_000 } },
      kubeletClock: { now: () => new Date(now()) },
    });
    // At 1,000 pods a reconcile tick can outrun its deadline on a busy machine: the next one goes on.
    running.expectErrors(reconcileTickOverran);
    apiServer = await apiServerKubeletClient(cluster);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "busy" },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: "busy" } },
          template: {
            metadata: { labels: { app: "busy" } },
            spec: {
              nodeSelector: { "kubernetes.io/hostname": running.connector.nodeNames[0]! },
              tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
              containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: "100m", memory: "128Mi" } } }],
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

  for (const pods of sizes) {
    it(`${pods} pods, scraped every 15 s for ${simulatedMinutes} simulated minutes`, { timeout: 900_000 }, async () => {
      running.setReconcile(true);
      const scaled = await cluster.kubectl(["scale", "-n", namespace, "deployment/busy", `--replicas=${pods}`]);
      assert.equal(scaled.code, 0, scaled.stderr);
      await waitFor(`${pods} pods Running`, async () => {
        const list = (await core.listNamespacedPod({ namespace })).items;
        return list.filter((p) => p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.state?.running !== undefined).length >= pods ? true : undefined;
      }, { timeoutMs: 600_000, intervalMs: 1000 });
      await running.pauseReconcile();
      // Every group busy, so every pod has samples (metrics-server drops a container whose counter is 0).
      for (const group of running.emulator.control.groupNames()) running.emulator.control.setUsage(group, "app", { cpuMillicores: 200, memoryBytes: 64_000_000 });
      offset += 2 * minute;
      // From the start of a simulated minute, so the window holds whole minutes.
      offset += minute - (now() % minute);
      running.emulator.control.resetCounters();
      const wallStart = Date.now();
      let scrapes = 0;
      let lastBody = "";
      for (let t = 0; t < simulatedMinutes * minute; t += scrapeEveryMs) {
        const answer = await kubeletGet(running.kubeletOrigin!, "/metrics/resource", apiServer, 60_000);
        assert.equal(answer.status, 200, answer.body);
        lastBody = answer.body;
        scrapes += 1;
        offset += scrapeEveryMs;
      }
      const wallSeconds = (Date.now() - wallStart) / 1000;
      const counters = running.emulator.control.counters();
      const monitorCalls = counters["metrics.getBatch"] ?? 0;
      // The heartbeats go on (their ARM probe, location.listUsage, is theirs, not a scrape's).
      const armReads = Object.entries(counters).filter(([op]) => op !== "metrics.getBatch" && op !== "location.listUsage").reduce((sum, [, n]) => sum + n, 0);
      const sampled = lastBody.split("\n").filter((l) => l.startsWith("container_cpu_usage_seconds_total{")).length;
      console.log(
        `resource metrics, ${pods} pods: ${scrapes} scrapes every 15 s over ${simulatedMinutes} simulated minutes (${wallSeconds.toFixed(1)} s of wall time): ` +
          `${(monitorCalls / simulatedMinutes).toFixed(1)} Azure Monitor calls per minute, ${(armReads / simulatedMinutes).toFixed(1)} ARM reads per minute; ` +
          `the last scrape had ${sampled} containers with a CPU sample`,
      );
      assert.equal(armReads, 0, `ARM requests during the scrapes: ${JSON.stringify(counters)}`);
      assert.equal(monitorCalls, simulatedMinutes * Math.ceil(pods / azureMonitorBudget.maxResourcesPerCall));
      assert.equal(sampled, pods);
    });
  }
});
