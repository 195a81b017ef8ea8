// Benchmark (issue 15): fresh pod status side by side with azure-aci, in one run. For each pod count N,
// each system runs on its own fresh emulator with ARM's token buckets on (they are per principal), with
// the same workload and the same injected container exits (workload.ts, one seed): our connector at the
// default read share, our connector at a frugal share (5 %), and a model of azure-aci v1.6.4's status
// loop built from its code (status/azure-aci-model.ts, every interval and call cited there).
//
// Definitions (status/observations.ts measures them from outside the system):
// - running freshness: the group Running in ACI (the emulator's state read in-process every 100 ms; the
//   start is the last moment it was seen not Running, so no figure is below the truth) -> the pod's
//   status Running written to the API server (seen by a watch);
// - exit freshness: a container exit injected in the emulator -> the pod's status shows the container
//   terminated;
// - delete: the pod's deletion requested (default grace period, as kubectl deletes) -> its group gone
//   from the emulator and the pod gone from the API server (the later of the two);
// - per minute: over a fixed window after every pod is Running, in which the exits happen (their moments
//   in its first half); ARM reads are every GET the emulator served, 429s included, heartbeats' too (both
//   systems have them); API requests are the API server's own count of the system's users' requests.
// Physics first: at equal reads no poller sees exits sooner, so what differs is how reads are spent.
//
// Sizes: `npm test` runs 20 pods; `npm run bench -- status --pods N` (test/bench.ts) sets
// ACI_CONNECTOR_BENCH_STATUS_PODS (100,1000,10000 when N is not given) and the file the last line of the
// run prints (ACI_CONNECTOR_BENCH_STATUS_RESULT); `--window S` sets the window (below). Figures are
// printed, not asserted: a busy machine makes them slower, not wrong; only what would make them
// meaningless fails the test.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { after, describe, it } from "node:test";
import { CoreV1Api } from "@kubernetes/client-node";
import { armBudget } from "../../shared/aci/arm-budget.js";
import { statusPodsEnvVar, statusResultEnvVar, statusWindowEnvVar } from "../bench-arguments.js";
import { countRequestsByUser } from "../support/api-server-metrics.js";
import { testCluster } from "../support/cluster.js";
import { armTraffic, observe, type PodTimes } from "./status/observations.js";
import { censoredPercentile, checkTargets, expectedExitFreshnessMs, formatTable, lateByBurstTenth, resultObject, type SystemRun } from "./status/report.js";
import { azureAciModel, ours, reconcilePeriodMs, type SystemSpec } from "./status/systems.js";
import { benchNamespace, createPods, planWorkload, removeNamespace } from "./status/workload.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);


const sizes = (() => {
  const text = process.env[statusPodsEnvVar] ?? "20";
  const list = text.split(",").map(Number);
  if (!list.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`${statusPodsEnvVar}="${text}" must be whole numbers of pods, e.g. 100,1000`);
  return list;
})();
const frugalShare = 0.05;
const seed = 15;
/** ACI_CONNECTOR_BENCH_STATUS_SYSTEMS (comma-separated names) runs some of them only, e.g. while working on one. */
const systems = (pods: number): SystemSpec[] => {
  const all = [ours("ours", armBudget.reads.defaultShare, pods), ours("ours-frugal-5%", frugalShare, pods), azureAciModel("azure-aci-v1.6.4-model", pods)];
  const only = process.env.ACI_CONNECTOR_BENCH_STATUS_SYSTEMS?.split(",");
  return only === undefined ? all : all.filter((s) => only.includes(s.name));
};

/**
 * As given (`--window`), or long enough for our default share to re-read every pod twice, and at least 2
 * minutes (40 s at the small size of `npm test`); made a whole number of reconcile periods, so that it
 * holds as many ticks (each spends its share of reads when it starts) wherever it begins.
 */
const windowMsFor = (pods: number) => {
  const given = process.env[statusWindowEnvVar];
  const ms = given !== undefined ? Number(given) * 1000 : Math.max(pods <= 20 ? 40_000 : 120_000, 2 * expectedExitFreshnessMs({ pods, readShare: armBudget.reads.defaultShare, periodSeconds: reconcilePeriodMs / 1000 }));
  return Math.ceil(ms / reconcilePeriodMs) * reconcilePeriodMs;
};

/** Whether `done` came true within the time; polled every 200 ms. */
const until = async (done: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
};

async function runSystem(spec: SystemSpec, pods: number): Promise<SystemRun> {
  const windowMs = windowMsFor(pods);
  const plan = planWorkload({ pods, exitCount: Math.max(5, Math.round(pods / 10)), deleteCount: Math.max(5, Math.round(pods / 20)), windowMs, seed });
  const connectorName = `sb-${spec.name.replace(/[^a-z0-9]/g, "").slice(0, 12)}-${pods}`;
  const system = await spec.start(cluster, connectorName);
  const observations = await observe({ admin: cluster.admin, namespace: benchNamespace, control: system.emulator.control, groupOf: (pod) => system.groupOf(pod) });
  const counting = await countRequestsByUser(cluster, { name: connectorName, users: system.users, kinds: ["get pods", "list pods", "watch pods", "update pods/status", "patch pods/status", "delete pods", "create events", "patch events"] });
  try {
    const created = Date.now();
    await createPods(cluster.admin, { pods, nodeName: system.nodeName });
    const allRunning = await until(() => [...observations.pods.values()].filter((t) => t.podRunning !== undefined).length >= pods, Math.max(300_000, pods * 300));
    if (!allRunning) {
      const t = [...observations.pods.values()];
      const where = `${system.emulator.control.groupNames().length} groups in ACI, ${t.filter((x) => x.aciRunningSeen !== undefined).length} Running there, ${t.filter((x) => x.podRunning !== undefined).length} pods Running`;
      assert.fail(`${spec.name}: not every pod Running within the time given (${where}); its first errors: ${system.errorSamples().join(" | ")}`);
    }

    // The window: exits at their planned moments; reads, 429s and API requests counted over it.
    const apiBefore = await counting.snapshot();
    const start = Date.now();
    const burst = armTraffic(system.emulator.control, created, start);
    const exits = plan.exits.map(async (exit) => {
      await new Promise((r) => setTimeout(r, exit.atMs - (Date.now() - start)));
      const t = observations.times(exit.pod);
      const pod = await core.readNamespacedPod({ namespace: benchNamespace, name: exit.pod });
      system.emulator.control.exitContainer(system.groupOf(pod), "app", { exitCode: exit.exitCode });
      t.exitInjected = Date.now();
    });
    await Promise.all(exits);
    await new Promise((r) => setTimeout(r, windowMs - (Date.now() - start)));
    const end = Date.now();
    const apiAfter = await counting.snapshot();
    const traffic = armTraffic(system.emulator.control, start, end);
    const minutes = (end - start) / 60_000;
    const apiRequests = [...apiAfter].reduce((sum, [kind, n]) => sum + n - (apiBefore.get(kind) ?? 0), 0);

    // Exits not yet seen get another window, then count as not seen.
    const exited = () => plan.exits.map((e) => observations.times(e.pod));
    await until(() => exited().every((t) => t.podTerminated !== undefined), windowMs);

    for (const name of plan.deletions) {
      observations.times(name).deleteRequested = Date.now();
      await core.deleteNamespacedPod({ namespace: benchNamespace, name });
    }
    const deleting = () => plan.deletions.map((d) => observations.times(d));
    const finished = (t: PodTimes) => t.groupGone !== undefined && t.podGone !== undefined;
    await until(() => deleting().every(finished), 180_000);

    // Errors are figures, not failures (throttling, a tick's deadline): what they were is printed.
    if (system.errors() > 0) console.log(`${spec.name}, ${pods} pods: ${system.errors()} errors logged, the first kinds: ${system.errorSamples().join(" | ")}`);
    const all = [...observations.pods.values()];
    const started = all.filter((t) => t.podRunning !== undefined && t.aciRunningFrom !== undefined).map((t) => ({ aciRunningFrom: t.aciRunningFrom!, freshnessMs: t.podRunning! - t.aciRunningFrom! }));
    const runningFreshness = started.map((t) => t.freshnessMs);
    console.log(`${spec.name}, ${pods} pods: Running later than 5 s, by tenth of the burst the group started in: ${lateByBurstTenth(started, 5_000).join(" ")}`);
    const exitFreshness = exited().map((t) => (t.podTerminated === undefined ? undefined : t.podTerminated - t.exitInjected!));
    const deletes = deleting().map((t) => (finished(t) ? Math.max(t.groupGone!, t.podGone!) - t.deleteRequested! : undefined));
    return {
      system: spec.name,
      pods,
      figures: {
        armReadsPerMin: Math.round(traffic.reads / minutes),
        throttledPerMin: Math.round(traffic.throttled / minutes),
        runningFreshnessP50Ms: censoredPercentile(runningFreshness, 50),
        runningFreshnessP99Ms: censoredPercentile(runningFreshness, 99),
        exitFreshnessP50Ms: censoredPercentile(exitFreshness, 50),
        exitFreshnessP99Ms: censoredPercentile(exitFreshness, 99),
        deleteP99Ms: censoredPercentile(deletes, 99),
        apiRequestsPerMin: Math.round(apiRequests / minutes),
      },
      counts: {
        running: runningFreshness.length,
        exits: plan.exits.length,
        exitsSeen: exitFreshness.filter((v) => v !== undefined).length,
        deletes: plan.deletions.length,
        deletesDone: deletes.filter((v) => v !== undefined).length,
        errors: system.errors(),
        windowSeconds: Math.round(windowMs / 1000),
        windowReads: traffic.readsByOperation,
        burst: { seconds: Math.round((start - created) / 1000), readsPerMin: Math.round(burst.reads / ((start - created) / 60_000)), creates: burst.creates, throttled: burst.throttled, throttledReads: burst.throttledReads },
      },
    };
  } finally {
    await observations.stop();
    await counting.remove();
    await system.stop();
    await removeNamespace(cluster.admin, 120_000);
  }
}

describe("benchmark: fresh status side by side with azure-aci (issue 15)", () => {
  const runs: SystemRun[] = [];

  after(async () => {
    const result = JSON.stringify(resultObject(runs));
    console.log(result);
    const file = process.env[statusResultEnvVar];
    if (file !== undefined) await writeFile(file, `${result}\n`);
  });

  for (const pods of sizes) {
    it(`${pods} pods`, { timeout: 3_600_000 }, async () => {
      const these: SystemRun[] = [];
      for (const spec of systems(pods)) {
        const run = await runSystem(spec, pods);
        these.push(run);
        runs.push(run);
        console.log(`${spec.name}, ${pods} pods: ${JSON.stringify(run.counts)}`);
      }
      console.log(formatTable(these));
      const oursSpecs = systems(pods).filter((s) => s.readShare !== undefined).map((s) => ({ system: s.name, readShare: s.readShare!, periodSeconds: reconcilePeriodMs / 1000 }));
      for (const line of checkTargets(these, oursSpecs, "azure-aci-v1.6.4-model")) console.log(line);
      // Sanity only: every system ran every pod and saw most exits, or the figures mean nothing.
      for (const run of these) {
        assert.equal(run.counts.running, pods, `${run.system}: running freshness measured for ${run.counts.running} of ${pods} pods`);
        assert.ok(run.figures.armReadsPerMin > 0, `${run.system}: no ARM read counted: the measurement is broken`);
      }
    });
  }
});
