// Benchmark (issue 15, "The API server's side at scale"): what one reconcile tick costs the API server
// when N pods run on one virtual node, and how long the tick takes. Prints, per tick and per minute at
// production's period (15 s, functions/triggers.ts): the connector's requests by kind as the API server
// dispatched them (its users only: API Priority and Fairness counts them), the bytes of a list of the
// node's pods, whether the lists came from the watch cache or reached etcd, the tick's duration split
// into listing pods, listing ARM and the rest (syncs, orphan checks), and ARM reads.
//
// The workload skips what other benchmarks measure: the pods are bound by name (spec.nodeName set at
// creation, so the scheduler and the webhook's doorbell play no part), each gets its container group
// through the connector's own pod sync, and its status is written Running by the same sync once ACI
// runs it. Then reconcile runs a minute of ticks (four, 15 s apart, as the timer runs them), and nothing
// else of the connector runs but its heartbeats (they are counted with its requests).
//
// Sizes: `npm test` runs 50 pods; `npm run bench` 1,000 and 10,000 (ACI_CONNECTOR_BENCH_RECONCILE_PODS).
// Figures are printed, never asserted: only that every pod was listed and no tick failed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { groupNameOf, syncPod } from "../../shared/controller/pod-sync.js";
import { reconcilePodsEnvVar } from "../bench-arguments.js";
import { countRequestsByUser, countsSince, podListSources, podListSourcesSince, readApiServerMetrics, type RequestKind, type RequestsByUser } from "../support/api-server-metrics.js";
import { testCluster } from "../support/cluster.js";
import { nodeUser } from "../../shared/kube/node-identity.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { forEachAtMost } from "../../shared/runtime/for-each-at-most.js";
import { percentile } from "./status/observations.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "reconcile-scale";

const sizes = (() => {
  const text = process.env[reconcilePodsEnvVar] ?? "50";
  const list = text.split(",").map(Number);
  if (!list.every((n, i) => Number.isInteger(n) && n > 0 && (i === 0 || n > list[i - 1]!))) throw new Error(`${reconcilePodsEnvVar}="${text}" must be growing whole numbers of pods, e.g. 1000,10000`);
  return list;
})();
/** Production's reconcile period (functions/triggers.ts: every 15 s). */
const periodMs = 15_000;
/** A minute of ticks at that period. */
const ticks = 60_000 / periodMs;
/** The ticks run that far apart: a real minute in `npm run bench`; 1 s in `npm test`, to stay short. */
const tickSpacingMs = process.env[reconcilePodsEnvVar] === undefined ? 1000 : periodMs;
/** How many pods are created, and synced, at once while the workload is set up. */
const setupConcurrency = 16;
const kinds: RequestKind[] = ["list pods", "get pods", "patch pods/status", "create events", "get nodes", "patch nodes/status", "get leases", "update leases"];

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/** Where a tick's time went, timed around the connector's ports from outside (reconcile itself is untouched). */
interface TickTimes {
  listPodsMs: number;
  listArmMs: number;
}

describe("benchmark: reconcile at scale, the API server's side", () => {
  let running: RunningConnector;
  let requests: RequestsByUser;
  let node: string;
  const times: TickTimes = { listPodsMs: 0, listArmMs: 0 };

  before(async () => {
    running = await startRunningConnector(cluster, {
      connectorName: "reconcile-scale",
      periodMs,
      heartbeatPeriodMs: 10_000,
      webhook: false,
      armEvents: false,
      reconcile: false,
      // ACI's quotas raised, as a subscription running this many pods would have them.
      emulator: { quota: { containerGroups: 100_000, standardCores: 100_000, createsPer5Min: 1_000_000, createsPerHour: 1_000_000 } },
    });
    node = running.connector.nodeNames[0]!;
    const pods = running.deps.podsAs(node);
    const listPods = pods.listPodsOnNode.bind(pods);
    pods.listPodsOnNode = async (name, o) => {
      const started = performance.now();
      try {
        return await listPods(name, o);
      } finally {
        times.listPodsMs += performance.now() - started;
      }
    };
    const { groups } = running.deps;
    const listGroups = groups.list.bind(groups);
    groups.list = async (o) => {
      const started = performance.now();
      try {
        return await listGroups(o);
      } finally {
        times.listArmMs += performance.now() - started;
      }
    };
    requests = await countRequestsByUser(cluster, { name: "reconcile-scale", users: [running.connector.identity.user, ...running.connector.nodeNames.map(nodeUser)], kinds });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  after(async () => {
    await requests?.remove();
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running?.stop();
  });

  let created = 0;
  for (const size of sizes) {
    it(`${size} pods`, { timeout: 1_800_000 }, async () => {
      const setupStarted = Date.now();
      const names = Array.from({ length: size - created }, (_, i) => `pod-${String(created + i).padStart(5, "0")}`);
      const fresh: V1Pod[] = [];
      await forEachAtMost(setupConcurrency, names, async (name) => {
        fresh.push(
          await core.createNamespacedPod({
            namespace,
            body: {
              metadata: { name, labels: { app: "reconcile-scale" } },
              spec: {
                nodeName: node,
                containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: "10m", memory: "64Mi" } } }],
                tolerations: [
                  { key: "virtual-kubelet.io/provider", operator: "Exists" },
                  // The test control plane evicts a NotReady node's pods after 10 s (test/run.ts), and a
                  // heartbeat can be that late while thousands of pods are set up on a busy machine:
                  // evictions are not what this measures.
                  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
                  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
                ],
              },
            },
          }),
        );
      });
      created = size;
      // Each group created by the connector's own sync, then the pod's status written Running by it.
      await forEachAtMost(setupConcurrency, fresh, async (pod) => void (await syncPod(running.deps, pod, undefined, undefined, { podIsFresh: true })));
      const groupNames = new Set(fresh.map(groupNameOf));
      await waitFor(
        `${fresh.length} container groups Running in the emulator`,
        () => Promise.resolve(Object.entries(running.emulator.control.groupStates()).filter(([name, state]) => groupNames.has(name) && state === "Running").length === groupNames.size || undefined),
        { timeoutMs: 600_000, intervalMs: 500 },
      );
      await forEachAtMost(setupConcurrency, fresh, async (pod) => void (await syncPod(running.deps, pod, undefined)));
      const setupSeconds = (Date.now() - setupStarted) / 1000;

      // A minute of ticks at production's pace (tickSpacingMs), each measured on its own, and the four as
      // a whole: their totals are a minute's (heartbeats, every 10 s, as many as fell in that time).
      const durations: number[] = [];
      const lines: string[] = [];
      const minuteBefore = { lists: podListSources(await readApiServerMetrics(cluster)), requests: await requests.snapshot() };
      running.emulator.control.resetCounters();
      const minuteStarted = performance.now();
      const waitUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
      for (let t = 0; t < ticks; t++) {
        await waitUntil(minuteStarted + t * tickSpacingMs);
        const metricsBefore = podListSources(await readApiServerMetrics(cluster));
        const requestsBefore = await requests.snapshot();
        times.listPodsMs = 0;
        times.listArmMs = 0;
        const started = performance.now();
        const report = await running.reconcileOnce();
        const tookMs = performance.now() - started;
        const lists = podListSourcesSince(metricsBefore, podListSources(await readApiServerMetrics(cluster)));
        const byKind = countsSince(requestsBefore, await requests.snapshot());
        durations.push(tookMs);
        assert.equal(report.pods, size, `tick ${t + 1} listed ${report.pods} pods, not ${size}`);
        assert.deepEqual(report.errors, [], `tick ${t + 1} had errors`);
        lines.push(
          `  tick ${t + 1}: ${Math.round(tookMs)} ms (list pods ${Math.round(times.listPodsMs)} ms, list ARM ${Math.round(times.listArmMs)} ms, syncs and the rest ${Math.round(tookMs - times.listPodsMs - times.listArmMs)} ms); ` +
            `API requests ${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ") || "none"}; ` +
            `pod lists: watch cache ${lists.cacheByNodeIndex} by node index + ${lists.cacheScanning} scanning (${lists.cacheObjectsFetched} pods gone through), storage ${lists.storage}, etcd requests on pods ${lists.etcdRequests}; ARM reads ${report.reads}`,
        );
      }
      await waitUntil(minuteStarted + ticks * tickSpacingMs);
      const minuteMs = performance.now() - minuteStarted;
      const minuteLists = podListSourcesSince(minuteBefore.lists, podListSources(await readApiServerMetrics(cluster)));
      const minuteRequests = countsSince(minuteBefore.requests, await requests.snapshot());
      const counters = running.emulator.control.counters();
      const armReads = (counters["containerGroups.listByResourceGroup"] ?? 0) + (counters["containerGroups.get"] ?? 0);

      // The bytes of one list of the node's pods, from an identical request of the bench's own (one page,
      // from the watch cache): apiserver_response_sizes counts far less than that for a list this long.
      const sizeBefore = podListSources(await readApiServerMetrics(cluster));
      const raw = await cluster.kubectl(["get", "--raw", `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}&resourceVersion=0`]);
      assert.equal(raw.code, 0, raw.stderr);
      const counted = podListSourcesSince(sizeBefore, podListSources(await readApiServerMetrics(cluster))).listResponseBytes;
      const listBytes = Buffer.byteLength(raw.stdout);

      console.log(`${size} pods on one virtual node (set up in ${setupSeconds.toFixed(0)} s: pods bound by name, groups and Running status by the connector's own sync)`);
      for (const line of lines) console.log(line);
      console.log(`  tick duration: p50 ${Math.round(percentile(durations, 50))} ms, max ${Math.round(Math.max(...durations))} ms (period ${periodMs / 1000} s)`);
      console.log(`  one list of the node's pods: ${mb(listBytes)} of JSON (${Math.round(listBytes / size)} bytes a pod; the API server's apiserver_response_sizes counted ${mb(counted)} for it)`);
      console.log(
        `  per minute (${ticks} ticks over ${(minuteMs / 1000).toFixed(0)} s, heartbeats included): API requests ${[...minuteRequests].filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ")}; ` +
          `pod list JSON ${mb(listBytes * ticks)}; pod lists from the watch cache ${minuteLists.cacheByNodeIndex + minuteLists.cacheScanning}, reaching storage ${minuteLists.storage}; ARM reads ${armReads}`,
      );
    });
  }
});
