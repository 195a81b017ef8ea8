// kubectl top's source on a virtual node: the kubelet API's /metrics/resource and /stats/summary served
// by the functions, read over HTTPS with the API server's kubelet client certificate (as metrics-server
// reads them), the numbers from the emulator's Azure Monitor through the real MetricsClient. Time is
// simulated: the emulator and the kubelet API share a clock the test moves forward by minutes, so the
// per-minute data points exist without waiting for them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { containerGroupName } from "../../shared/translate/naming.js";
import { testCluster } from "../support/cluster.js";
import { apiServerKubeletClient, kubeletGet as get } from "../support/kubelet-client.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const rbac = cluster.admin.makeApiClient(RbacAuthorizationV1Api);
const namespace = "resource-metrics";
const podName = "busy";
const minute = 60_000;

/** `name{labels} value [timestamp]` lines of a Prometheus text answer. */
function samples(text: string): { name: string; labels: string; value: number; at?: number }[] {
  return text
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const m = /^(\w+)(\{[^}]*\})? (\S+)(?: (\d+))?$/.exec(l);
      assert.ok(m !== null, `not a sample line: ${l}`);
      return { name: m[1]!, labels: m[2] ?? "", value: Number(m[3]), ...(m[4] !== undefined && { at: Number(m[4]) }) };
    });
}

describe("resource metrics of the virtual nodes (kubectl top's source)", () => {
  let running: RunningConnector;
  let offset = 0;
  const now = () => Date.now() + offset;
  let apiServer: { cert: string; key: string };
  let group: string;
  let startedAt: number;

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "metrics", kubeletApi: true, emulator: { clock: now }, kubeletClock: { now: () => new Date(now()) } });
    apiServer = await apiServerKubeletClient(cluster);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: podName },
        spec: {
          nodeSelector: { "kubernetes.io/hostname": running.connector.nodeNames[0]! },
          tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
          containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: "500m", memory: "256Mi" } } }],
        },
      },
    });
    // Busy from its start: the usage is set while the group is still being created (1.3 s).
    const uid = (await core.readNamespacedPod({ namespace, name: podName })).metadata!.uid!;
    group = containerGroupName({ namespace, name: podName, uid });
    await waitFor("the container group", () => Promise.resolve(running.emulator.control.groupNames().includes(group) || undefined), { timeoutMs: 30_000, intervalMs: 20 });
    running.emulator.control.setUsage(group, "app", { cpuMillicores: 250, memoryBytes: 50_000_000 });
    const pod = await waitFor("the pod Running", async () => {
      const p = await core.readNamespacedPod({ namespace, name: podName });
      return p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.state?.running?.startedAt !== undefined ? p : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    startedAt = new Date(pod.status!.containerStatuses![0]!.state!.running!.startedAt!).getTime();
    assert.equal(running.emulator.control.groupStates()[group], "Running");
    // Reconcile and heartbeats keep their own ARM reads out of what the scrapes are counted against.
    await running.pauseReconcile();
    offset += 3 * minute;
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await rbac.deleteClusterRoleBinding({ name: "resource-metrics-reader" }).catch(() => undefined);
    await running.stop();
  });

  /** What the counter must be: 250 millicores × 60 s / 1000 for each complete minute since the start's. */
  function expectedCoreSeconds(at: number): number {
    let sum = 0;
    for (let m = Math.floor(startedAt / minute) * minute; m + minute <= at; m += minute) sum += (250 * 60) / 1000;
    return sum;
  }

  it("/metrics/resource: the container's counter, working set and start, the pod's and node's sums, one Azure Monitor call a minute, no ARM read", async () => {
    const origin = running.kubeletOrigin!;
    // Both scrapes inside one clock minute: two that straddle its end rightly make two calls.
    const intoMinute = now() % minute;
    if (intoMinute > minute - 10_000) await new Promise((resolve) => setTimeout(resolve, minute - intoMinute + 100));
    running.emulator.control.resetCounters();
    const first = await get(origin, "/metrics/resource", apiServer);
    const second = await get(origin, "/metrics/resource", apiServer);
    assert.equal(first.status, 200, first.body);
    assert.match(first.contentType, /^text\/plain; version=0\.0\.4/);
    assert.deepEqual(running.emulator.control.counters(), { "metrics.getBatch": 1 }, "two scrapes in one minute: one call, and nothing of ARM");
    assert.equal(second.body, first.body);
    console.log(`/metrics/resource answered:\n${first.body}`);

    const lines = samples(first.body);
    const one = (name: string, labels = "") => {
      const found = lines.filter((l) => l.name === name && l.labels === labels);
      assert.equal(found.length, 1, `${name}${labels} in\n${first.body}`);
      return found[0]!;
    };
    const containerLabels = `{container="app",namespace="${namespace}",pod="${podName}"}`;
    const podLabels = `{namespace="${namespace}",pod="${podName}"}`;
    const lastMinuteEnd = Math.floor(now() / minute) * minute;
    const cpu = one("container_cpu_usage_seconds_total", containerLabels);
    assert.equal(cpu.at, lastMinuteEnd, "stamped with the end of the last complete minute");
    assert.ok(Math.abs(cpu.value - expectedCoreSeconds(lastMinuteEnd)) < 1e-6, `${cpu.value} vs ${expectedCoreSeconds(lastMinuteEnd)}`);
    assert.ok(cpu.value > 0.25 * 60, "at least one whole busy minute");
    assert.deepEqual(one("container_memory_working_set_bytes", containerLabels), { name: "container_memory_working_set_bytes", labels: containerLabels, value: 50_000_000, at: lastMinuteEnd });
    assert.equal(one("container_start_time_seconds", containerLabels).value, startedAt / 1000);
    assert.equal(one("pod_cpu_usage_seconds_total", podLabels).value, cpu.value);
    assert.equal(one("pod_memory_working_set_bytes", podLabels).value, 50_000_000);
    assert.equal(one("node_cpu_usage_seconds_total").value, cpu.value);
    assert.equal(one("node_memory_working_set_bytes").value, 50_000_000);
    assert.equal(one("scrape_error").value, 0);
    assert.equal(one("resource_scrape_error").value, 0);

    // A minute later the counter has grown by that minute's 250 millicores × 60 s.
    offset += minute;
    const later = samples((await get(origin, "/metrics/resource", apiServer)).body).find((l) => l.name === "container_cpu_usage_seconds_total")!;
    assert.ok(Math.abs(later.value - cpu.value - 15) < 1e-6, `${later.value} - ${cpu.value}`);
    assert.equal(later.at, lastMinuteEnd + minute);
  });

  it("/stats/summary: the Summary API's node, pod and container with cpu and memory", async () => {
    const answer = await get(running.kubeletOrigin!, "/stats/summary", apiServer);
    assert.equal(answer.status, 200, answer.body);
    const summary = JSON.parse(answer.body) as {
      node: { nodeName: string; cpu: { usageNanoCores: number }; memory: { workingSetBytes: number } };
      pods: { podRef: { name: string; namespace: string }; containers: { name: string; startTime: string; cpu: { time: string; usageNanoCores: number; usageCoreNanoSeconds: number }; memory: { workingSetBytes: number; usageBytes: number } }[]; cpu: { usageNanoCores: number } }[];
    };
    assert.equal(summary.node.nodeName, running.connector.nodeNames[0]);
    assert.deepEqual(summary.pods.map((p) => [p.podRef.namespace, p.podRef.name]), [[namespace, podName]]);
    const app = summary.pods[0]!.containers[0]!;
    assert.equal(app.name, "app");
    assert.equal(app.cpu.usageNanoCores, 250_000_000);
    assert.equal(app.memory.workingSetBytes, 50_000_000);
    assert.equal(app.memory.usageBytes, 50_000_000);
    assert.equal(app.startTime, new Date(Math.floor(startedAt / 1000) * 1000).toISOString().replace(".000Z", "Z"));
    assert.equal(app.cpu.time, new Date(Math.floor(now() / minute) * minute).toISOString().replace(".000Z", "Z"));
    assert.equal(summary.node.cpu.usageNanoCores, 250_000_000);
    assert.equal(summary.node.memory.workingSetBytes, 50_000_000);
  });

  it("Azure Monitor failing: scrape_error 1 with a 200, a log line, no crash", async () => {
    offset += minute; // a new minute: nothing kept
    running.emulator.control.injectFault({ operation: "metrics.getBatch", status: 503, code: "ServiceUnavailable", count: 10 });
    const answer = await get(running.kubeletOrigin!, "/metrics/resource", apiServer);
    running.emulator.control.clearFaults();
    assert.equal(answer.status, 200);
    assert.match(answer.body, /^scrape_error 1$/m);
    assert.doesNotMatch(answer.body, /^container_cpu_usage_seconds_total/m);
    assert.ok(running.logs.some((l) => /Azure Monitor's usage could not be read/.test(l) && /503/.test(l)), running.logs.join("\n"));
  });

  it("refuses anyone else: no credentials (401); a token without nodes/metrics or nodes/stats (403), then allowed by a role that has them", async () => {
    const origin = running.kubeletOrigin!;
    for (const path of ["/metrics/resource", "/stats/summary"]) {
      const bare = await get(origin, path);
      assert.equal(bare.status, 401, path);
      assert.doesNotMatch(bare.body, new RegExp(podName));
    }
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "reader" } } });
    const token = (await core.createNamespacedServiceAccountToken({ namespace, name: "reader", body: { spec: { audiences: [], expirationSeconds: 600 } } })).status!.token;
    const metricsDenied = await get(origin, "/metrics/resource", { token });
    assert.equal(metricsDenied.status, 403);
    assert.match(metricsDenied.body, /subresource=metrics/);
    const statsDenied = await get(origin, "/stats/summary", { token });
    assert.equal(statsDenied.status, 403);
    assert.match(statsDenied.body, /subresource=stats/);
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: "resource-metrics-reader" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:kubelet-api-admin" },
        subjects: [{ kind: "ServiceAccount", name: "reader", namespace }],
      },
    });
    await waitFor("the binding to take effect", async () => ((await get(origin, "/metrics/resource", { token })).status === 200 ? true : undefined));
    assert.equal((await get(origin, "/stats/summary", { token })).status, 200);
  });
});
