// Benchmark: pods on the virtual node, end to end (real control plane, webhook, relay, reconcile,
// emulator). Prints ARM reads and writes per reconcile tick in steady state, the time from a binding's
// doorbell to the PUT it caused, and from ACI Running to the pod's Running status.
// Figures are printed, not asserted: a busy machine makes them slower, not wrong.
//
// Sizes: `npm test` runs small ones; `npm run bench` the full ones (ACI_CONNECTOR_BENCH_PODS=100,1000).
// Every figure is of the pods a run added, measured at moments observed in this process:
// - doorbell -> PUT pairs each PUT with the doorbell whose delivery made it (AsyncLocalStorage follows the
//   relay's delivery into podEvents); a PUT that reconcile made is counted, not paired.
// - ACI Running -> pod Running: an observer reads the emulator's state in-process (no ARM request) every
//   few ms; the start is the last moment it saw the group not yet Running, so no figure is below the truth.
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { armBudget } from "../../shared/aci/arm-budget.js";
import { readsPerTick, type ReconcileReport } from "../../shared/controller/reconcile.js";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { testCluster } from "../support/cluster.js";
import { reconcileTickOverran, startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const apps = cluster.admin.makeApiClient(AppsV1Api);
const namespace = "scale";

/** Replica counts, one run each, growing: ACI_CONNECTOR_BENCH_PODS, small unless `npm run bench` sets it. */
const benchSizes = (() => {
  const text = process.env.ACI_CONNECTOR_BENCH_PODS ?? "10,30";
  const sizes = text.split(",").map(Number);
  if (!sizes.every((n, i) => Number.isInteger(n) && n > 0 && (i === 0 || n > sizes[i - 1]!))) throw new Error(`ACI_CONNECTOR_BENCH_PODS="${text}" must be growing whole numbers, e.g. 100,1000`);
  return sizes;
})();

const observerIntervalMs = 100;
const periodMs = 3000;
const tickBudget = readsPerTick(armBudget.reads.defaultShare, periodMs / 1000);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (v: number) => `${Math.round(v)} ms`;
const spread = (values: number[]) => `p50 ${ms(percentile(values, 50))}, p90 ${ms(percentile(values, 90))}, p99 ${ms(percentile(values, 99))}`;

interface Doorbell {
  readonly pod: string;
  readonly at: number;
}

/** What one run saw; a new one per run, so no figure carries over from an earlier run. */
interface RunObservations {
  readonly puts: { group: string; at: number; doorbell: Doorbell | undefined }[];
  /** Group name -> the last moment the observer saw it not Running, and the first it saw it Running. */
  readonly aciRunning: Map<string, { notYet: number; seen?: number }>;
  /** Pod name -> when the connector wrote its status Running. */
  readonly runningWritten: Map<string, number>;
}

describe("benchmark: pods at scale", () => {
  let running: RunningConnector;
  let current: RunObservations | undefined;
  const causedBy = new AsyncLocalStorage<Doorbell>();

  before(async () => {
    // ACI's regional quotas raised, as a subscription running this many pods would have them.
    running = await startRunningConnector(cluster, {
      connectorName: "scale",
      periodMs,
      emulator: { quota: { containerGroups: 5000, standardCores: 5000, createsPer5Min: 100_000, createsPerHour: 100_000 } },
    });
    // A reconcile tick that outruns its deadline (a busy machine, many pods) ends and the next tick goes
    // on: a figure to print, not a failure.
    running.expectErrors(reconcileTickOverran);
    // Instrument the connector's own calls (observing, not changing them). A doorbell's delivery runs in
    // the AsyncLocalStorage context of its publish, so the PUT it makes knows its doorbell.
    const { relay, deps } = running;
    const publish = relay.publish.bind(relay);
    relay.publish = (event, o) => causedBy.run({ pod: event.name, at: Date.now() }, () => publish(event, o));
    const put = deps.groups.createOrUpdate.bind(deps.groups);
    deps.groups.createOrUpdate = (name, body, o) => (current?.puts.push({ group: name, at: Date.now(), doorbell: causedBy.getStore() }), put(name, body, o));
    const linux = deps.podsAs(running.connector.nodeNames[0]!);
    const patch = linux.patchPodStatus.bind(linux);
    linux.patchPodStatus = (ref, status, o) => {
      if (status.phase === "Running" && current !== undefined && !current.runningWritten.has(ref.name)) current.runningWritten.set(ref.name, Date.now());
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
    console.log(`reconcile ticks stopped by their deadline: ${running.errors.filter((e) => reconcileTickOverran.test(e)).length}`);
    await running.stop();
  });

  for (const replicas of benchSizes) {
    it(`${replicas} pods`, { timeout: 900_000 }, async () => {
      const run: RunObservations = { puts: [], aciRunning: new Map(), runningWritten: new Map() };
      current = run;
      const groupsBefore = new Set(running.emulator.control.groupNames());
      // The observer: the emulator's own view of each new group, read in-process, never through ARM.
      const observer = setInterval(() => {
        const now = Date.now();
        for (const [group, state] of Object.entries(running.emulator.control.groupStates())) {
          if (groupsBefore.has(group)) continue;
          const seen = run.aciRunning.get(group);
          if (state === "Running") {
            if (seen !== undefined && seen.seen === undefined) seen.seen = now;
          } else if (seen?.seen === undefined) run.aciRunning.set(group, { notYet: now });
        }
      }, observerIntervalMs);

      let allRunning = NaN;
      let pods: V1Pod[] = [];
      try {
        const started = Date.now();
        const scaled = await cluster.kubectl(["scale", "-n", namespace, "deployment/burst", `--replicas=${replicas}`]);
        assert.equal(scaled.code, 0, scaled.stderr);
        pods = await waitFor(
          `${replicas} pods Running`,
          async () => {
            const list = (await core.listNamespacedPod({ namespace, labelSelector: "app=burst" })).items;
            return list.filter((p) => p.status?.phase === "Running").length >= replicas ? list : undefined;
          },
          { timeoutMs: 840_000, intervalMs: 2000 },
        );
        allRunning = Date.now() - started;
      } finally {
        clearInterval(observer);
      }

      // Steady state: what reconcile reads and writes per tick once nothing is changing. The timer's tick
      // in flight and every doorbell delivery are waited for first, so none of them is counted.
      await running.pauseReconcile();
      await running.relay.drain();
      running.emulator.control.resetCounters();
      const ticks = 20;
      const reports: ReconcileReport[] = [];
      for (let t = 0; t < ticks; t++) reports.push(await running.reconcileOnce());
      const counters = running.emulator.control.counters();
      running.setReconcile(true);
      current = undefined;
      const reads = (counters["containerGroups.listByResourceGroup"] ?? 0) + (counters["containerGroups.get"] ?? 0);
      const writes = (counters["containerGroups.createOrUpdate"] ?? 0) + (counters["containerGroups.delete"] ?? 0);

      // The pods this run added, and for each the first PUT of its group in this run.
      const added = pods.filter((p) => !groupsBefore.has(groupNameOf(p)));
      const podOfGroup = new Map(added.map((p) => [groupNameOf(p), p.metadata!.name!]));
      const firstPuts = new Map<string, RunObservations["puts"][number]>();
      for (const p of run.puts) if (podOfGroup.has(p.group) && !firstPuts.has(p.group)) firstPuts.set(p.group, p);
      const doorbellToPut: number[] = [];
      let byReconcile = 0;
      for (const [group, p] of firstPuts) {
        if (p.doorbell === undefined || p.doorbell.pod !== podOfGroup.get(group)) {
          byReconcile++;
          continue;
        }
        const gap = p.at - p.doorbell.at;
        assert.ok(gap >= 0, `a PUT before the doorbell that made it (${group}): the measurement is wrong`);
        doorbellToPut.push(gap);
      }
      const aciRunningToPod: number[] = [];
      let unseen = 0;
      for (const [group, pod] of podOfGroup) {
        const seen = run.aciRunning.get(group);
        const written = run.runningWritten.get(pod);
        if (seen?.seen === undefined || written === undefined) unseen++;
        else aciRunningToPod.push(written - seen.notYet);
      }

      console.log(`${replicas} pods (${added.length} added by this run): all Running ${ms(allRunning)} after the scale`);
      console.log(`  ARM per reconcile tick, steady state (${ticks} ticks): ${(reads / ticks).toFixed(2)} reads (${counters["containerGroups.listByResourceGroup"] ?? 0} list pages, ${counters["containerGroups.get"] ?? 0} GETs), ${(writes / ticks).toFixed(2)} writes`);
      const refresh = reports.map((r) => r.refreshSeconds ?? NaN);
      console.log(`  running pods re-read at least every ${Math.max(...refresh)} s (worst of the ${ticks} ticks; reconcile period ${periodMs / 1000} s, read share ${armBudget.reads.defaultShare}: ${tickBudget} reads a tick)`);
      console.log(`  binding doorbell -> the PUT it caused: ${spread(doorbellToPut)} (${doorbellToPut.length} of ${firstPuts.size} first PUTs; ${byReconcile} made by reconcile, not a doorbell)`);
      console.log(`  ACI Running -> pod Running written: ${spread(aciRunningToPod)} (${aciRunningToPod.length} pods; ACI Running as an observer polling every ${observerIntervalMs} ms saw it, so up to ${observerIntervalMs} ms over; ${unseen} left out, not seen before Running or not written)`);
      console.log(`  note: ACI's default quota allows 100 creations per 5 minutes; the emulator's is raised here, so in Azure ${replicas} pods need at least ${Math.ceil(replicas / 100) * 5} minutes unless the quota is raised`);
      // Sanity only: every pod has its group, every added pod was PUT, and a tick never reads more than its budget.
      assert.equal((await running.groupsByPod()).length, replicas);
      assert.equal(firstPuts.size, added.length);
      assert.ok(doorbellToPut.length > 0, "no PUT was paired with a doorbell: the webhook path or the pairing is broken");
      // At most the budget, and the reads already dispatched when it ran out (one per concurrent sync).
      assert.ok(reads / ticks <= tickBudget + armBudget.syncConcurrency, `${reads / ticks} reads a tick, over the budget of ${tickBudget}`);
    });
  }
});
