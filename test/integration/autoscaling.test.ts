// kubectl top and a HorizontalPodAutoscaler on a virtual node, end to end: the emulator's usage
// (setUsage, what ACI publishes in Azure Monitor) → the kubelet API's /metrics/resource on the functions →
// metrics-server (started with the tests' control plane, test/run.ts) → the API server's aggregator →
// kubectl top and kube-controller-manager's HPA controller, which scales a Deployment whose every pod
// becomes its own container group. The tests' control plane runs the HPA controller every 5 s and
// scales in after 15 s of lower recommendations (Kubernetes' defaults: 15 s and 5 minutes).
//
// Azure Monitor has one data point a minute and the kubelet API counts whole minutes only
// (docs/decisions/resource-metrics.md), so in real time a new usage reaches metrics-server one to two
// minutes late and each HPA step waits that long. Here the emulator's and the kubelet API's clock run
// `speed` times faster than the wall clock (metrics-server, the HPA and the connector keep real time):
// the minutes pass in seconds. The times printed are wall-clock seconds of this run.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, AutoscalingV2Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { containerGroupName } from "../../shared/translate/naming.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const apps = cluster.admin.makeApiClient(AppsV1Api);
const autoscaling = cluster.admin.makeApiClient(AutoscalingV2Api);
const namespace = "autoscaling";
const mebibyte = 1024 * 1024;
/** A minute of Azure Monitor in 6 s: the emulator's and kubelet API's clock. */
const speed = 10;
const startedAt = Date.now();
const simulatedNow = () => startedAt + (Date.now() - startedAt) * speed;
/** Each pod's CPU request: what the HPA's utilization is a percentage of. */
const requestMillicores = 100;
const idle = { cpuMillicores: 5, memoryBytes: 48 * mebibyte };
/**
 * Busy: the whole request, as much CPU as ACI gives a group of one container (its limit is capped at
 * the group's request), so 200 % of the 50 % target: the HPA doubles the Deployment at each step,
 * 1 → 2 → 4 → 5, and each step needs the new pods' own usage, read through their own groups.
 */
const busy = { cpuMillicores: requestMillicores, memoryBytes: 96 * mebibyte };

/** A `kubectl top` table as rows of columns, by the first column (the name). */
function topRows(stdout: string): Map<string, string[]> {
  const lines = stdout.trim().split("\n").slice(1);
  return new Map(lines.map((line) => line.trim().split(/\s+/)).map((cols) => [cols[0]!, cols.slice(1)]));
}
const millicores = (text: string) => (text.endsWith("m") ? Number(text.slice(0, -1)) : Number(text) * 1000);

describe("kubectl top and a HorizontalPodAutoscaler on a virtual node", () => {
  let running: RunningConnector;
  let linux: string;
  const metricsServerLog = cluster.descriptor.logs["metrics-server"];
  let logOffset = 0;
  /** The usage each pod of the namespace is given, by pod name (a Deployment's pods: by its prefix). */
  const usageByPod: { prefix: string; usage: typeof idle }[] = [];
  const usageErrors: string[] = [];
  let driving = true;
  let driver: Promise<void> = Promise.resolve();
  /** What each group's container was last given, so a usage is set once per change. */
  const given = new Map<string, typeof idle>();

  before(async () => {
    assert.ok(metricsServerLog !== undefined, "the tests' control plane runs metrics-server (test/run.ts)");
    logOffset = (await readFile(metricsServerLog, "utf8")).length;
    running = await startRunningConnector(cluster, {
      connectorName: "autoscale",
      kubeletApi: true,
      emulator: { clock: simulatedNow },
      kubeletClock: { now: () => new Date(simulatedNow()) },
    });
    linux = running.connector.nodeNames[0]!;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // As ACI would report them: every Running pod's group gets its usage as soon as it appears, so a
    // new replica of a busy Deployment is busy too (each pod is a container group of its own).
    driver = (async () => {
      while (driving) {
        const pods = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.status?.phase === "Running" && p.metadata?.deletionTimestamp === undefined);
        for (const pod of pods) {
          const usage = usageByPod.find((u) => pod.metadata!.name!.startsWith(u.prefix))?.usage;
          if (usage === undefined) continue;
          const group = containerGroupName({ namespace, name: pod.metadata!.name!, uid: pod.metadata!.uid! });
          for (const container of pod.spec!.containers) {
            const key = `${group}/${container.name}`;
            if (given.get(key) === usage) continue;
            try {
              running.emulator.control.setUsage(group, container.name, usage);
              given.set(key, usage);
            } catch (error) {
              // A group deleted between the list and here; kept to explain a failure.
              usageErrors.push(`${group}/${container.name}: ${(error as Error).message}`);
            }
          }
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
  });

  after(async () => {
    driving = false;
    await driver.catch(() => undefined);
    if (usageErrors.length > 0) console.log(`setUsage failed ${usageErrors.length} time(s), e.g. ${usageErrors[0]}`);
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  it("the metrics API is served through the aggregator: the APIService is Available and answers for nodes", async () => {
    const apiService = await cluster.kubectl(["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "jsonpath={.status.conditions[?(@.type==\"Available\")].status}"]);
    assert.equal(apiService.stdout, "True", apiService.stderr);
    const nodes = await cluster.kubectl(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes"]);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.equal((JSON.parse(nodes.stdout) as { kind: string }).kind, "NodeMetricsList");
  });

  it("kubectl top pods and top nodes show a pod on a virtual node and the virtual nodes with the emulated usage", { timeout: 180_000 }, async () => {
    const steady = { cpuMillicores: 40, memoryBytes: 64 * mebibyte };
    usageByPod.push({ prefix: "steady", usage: steady });
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "steady" },
        spec: {
          nodeSelector: { "kubernetes.io/hostname": linux },
          tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
          containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: `${requestMillicores}m`, memory: "128Mi" } } }],
        },
      },
    });
    try {
      await topShowsSteady();
    } finally {
      await core.deleteNamespacedPod({ namespace, name: "steady" });
    }
  });

  async function topShowsSteady() {
    const steady = usageByPod.find((u) => u.prefix === "steady")!.usage;
    await waitFor("the pod Running", async () => ((await core.readNamespacedPod({ namespace, name: "steady" })).status?.phase === "Running" ? true : undefined), { timeoutMs: 90_000, intervalMs: 500 });
    const runningAt = Date.now();
    const pods = await waitFor(
      "kubectl top pods to show steady with 40m and 64Mi",
      async () => {
        const top = await cluster.kubectl(["top", "pods", "-n", namespace, "--no-headers=false"]);
        const row = topRows(top.stdout).get("steady");
        return row !== undefined && Math.abs(millicores(row[0]!) - steady.cpuMillicores) <= 2 && row[1] === "64Mi" ? top.stdout : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 2000 },
    );
    console.log(`kubectl top pods, ${Math.round((Date.now() - runningAt) / 1000)} s after the pod was Running:\n${pods}`);
    const nodes = await waitFor(
      "kubectl top nodes to show the Linux virtual node with the pod's usage",
      async () => {
        const top = await cluster.kubectl(["top", "nodes"]);
        const rows = topRows(top.stdout);
        const row = rows.get(linux);
        return row !== undefined && Math.abs(millicores(row[0]!) - steady.cpuMillicores) <= 2 && row[2] === "64Mi" && rows.has(running.connector.nodeNames[1]!) ? top.stdout : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2000 },
    );
    console.log(`kubectl top nodes:\n${nodes}`);
    // The Windows node shares the functions' address with the Linux one, but has no pod: it shows none
    // of the Linux pod's usage (each node's scrape has a path of its own, metrics.k8s.io/resource-metrics-path).
    const windows = topRows(nodes).get(running.connector.nodeNames[1]!)!;
    assert.ok(windows[0] === "<unknown>" || millicores(windows[0]!) === 0, `the Windows node shows no usage: ${windows.join(" ")}`);
  }

  it("an HPA scales a Deployment on the virtual node out to 5 pods, each its own container group, and back in when usage drops", { timeout: 420_000 }, async () => {
    usageByPod.push({ prefix: "web-", usage: idle });
    const web = usageByPod.at(-1)!;
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: "web" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: {
              nodeSelector: { "kubernetes.io/hostname": linux },
              tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
              containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: `${requestMillicores}m`, memory: "128Mi" } } }],
            },
          },
        },
      },
    });
    await autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace,
      body: {
        metadata: { name: "web" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
          minReplicas: 1,
          maxReplicas: 5,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }],
        },
      },
    });
    const runningWebPods = async () =>
      (await core.listNamespacedPod({ namespace, labelSelector: "app=web" })).items.filter((p) => p.status?.phase === "Running" && p.metadata?.deletionTimestamp === undefined);
    const hpaStatus = async () => (await autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace, name: "web" })).status;
    // Idle first, until the HPA has read it: it sees the metrics and keeps one replica.
    await waitFor(
      "the HPA to read the idle pod's utilization",
      async () => {
        const status = await hpaStatus();
        const utilization = status?.currentMetrics?.[0]?.resource?.current.averageUtilization;
        return utilization !== undefined && utilization <= 10 && status?.currentReplicas === 1 ? true : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    );

    web.usage = busy;
    const busyAt = Date.now();
    const steps: string[] = [];
    const five = await waitFor(
      "5 web pods Running (the HPA at 5 replicas)",
      async () => {
        const pods = await runningWebPods();
        const desired = (await hpaStatus())?.desiredReplicas;
        const step = `${desired}/${pods.length}`;
        if (steps.at(-1) !== step) steps.push(step);
        return pods.length === 5 ? pods : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 1000 },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; desired/Running replicas went ${steps.join(" → ")}`, { cause: error });
    });
    const scaledOutMs = Date.now() - busyAt;
    console.log(`HPA: "busy" to 5 replicas Running in ${Math.round(scaledOutMs / 1000)} s (desired/Running: ${steps.join(" → ")})`);
    const groupOf = (p: V1Pod) => `${p.metadata!.name}:${p.metadata!.uid}`;
    const webGroups = async () => (await running.groupsByPod()).filter((g) => g.startsWith("web-"));
    assert.deepEqual(await webGroups(), five.map(groupOf).sort(), "each Running pod is its own container group, and there is no other");

    web.usage = idle;
    const idleAt = Date.now();
    const one = await waitFor(
      "the web Deployment back at 1 pod, the removed pods' groups deleted",
      async () => {
        const pods = await runningWebPods();
        const all = (await core.listNamespacedPod({ namespace, labelSelector: "app=web" })).items;
        if (pods.length !== 1 || all.length !== 1) return undefined;
        const groups = await webGroups();
        return groups.length === 1 && groups[0] === groupOf(pods[0]!) ? pods[0] : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    console.log(`HPA: "idle" to 1 replica, the other 4 groups deleted, in ${Math.round((Date.now() - idleAt) / 1000)} s`);
    assert.ok(five.some((p) => p.metadata!.uid === one.metadata!.uid), "the pod kept is one of the five");
  });

  it("metrics-server scraped the virtual nodes without an error", async () => {
    const lines = (await readFile(metricsServerLog!, "utf8")).slice(logOffset).split("\n");
    // klog's error and warning lines (E1125 ..., W1125 ...) about the virtual nodes or their pods, e.g.
    // "Failed to scrape node", or "Got duplicate pod point" when two nodes' scrapes both list a pod.
    const ours = [...running.connector.nodeNames, `pod="${namespace}/`];
    const errors = lines.filter((line) => /^[EW]\d{4} /.test(line) && ours.some((mark) => line.includes(mark)));
    assert.deepEqual(errors, [], `metrics-server's log (${metricsServerLog}) has errors for the virtual nodes`);
  });
});
