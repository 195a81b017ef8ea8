// Benchmark: what `kubectl logs -f` costs in ARM reads. ACI has no streaming log API, so each follower
// reads the container's log every armBudget.logsFollow.pollMs and the group's state every few polls
// (shared/kubelet/handle-kubelet.ts); those reads count against the subscription's ARM read budget.
// Real kubectl processes follow through the real API server to the kubelet API the functions serve;
// reconcile is off, so every read the emulator counts in the window is a follower's.
//
// The window: ACI_CONNECTOR_BENCH_FOLLOW_SECONDS (15 in `npm test`, 60 in `npm run bench`).
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CoreV1Api } from "@kubernetes/client-node";
import { armBudget } from "../../shared/aci/arm-budget.js";
import { containerGroupName } from "../../shared/translate/naming.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "bench-follow";
const podName = "talker";
const windowSeconds = Number(process.env.ACI_CONNECTOR_BENCH_FOLLOW_SECONDS ?? "15");

describe("benchmark: ARM reads of kubectl logs -f", () => {
  let running: RunningConnector;
  let group: string;

  before(async () => {
    assert.ok(Number.isFinite(windowSeconds) && windowSeconds >= 5, `ACI_CONNECTOR_BENCH_FOLLOW_SECONDS=${process.env.ACI_CONNECTOR_BENCH_FOLLOW_SECONDS} must be 5 or more`);
    running = await startRunningConnector(cluster, { connectorName: "bench-follow", kubeletApi: true, reconcile: false });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: podName },
        spec: {
          nodeSelector: { "kubernetes.io/hostname": running.connector.nodeNames[0]! },
          tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
          containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }],
        },
      },
    });
    const pod = await waitFor("the pod Running", async () => {
      const p = await core.readNamespacedPod({ namespace, name: podName });
      return p.status?.phase === "Running" ? p : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    group = containerGroupName({ namespace, name: podName, uid: pod.metadata!.uid! });
    running.emulator.control.appendLogs(group, "app", ["started"]);
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  /** `followers` kubectl logs -f at once for the window; the ARM reads the emulator served meanwhile. */
  async function measure(followers: number): Promise<{ logReads: number; groupReads: number; linesSeen: number }> {
    const { kubectl, adminKubeconfig } = cluster.descriptor;
    const children: ChildProcess[] = [];
    const outputs: string[] = [];
    for (let i = 0; i < followers; i++) {
      const child = spawn(kubectl, [`--kubeconfig=${adminKubeconfig}`, "-n", namespace, "logs", "-f", podName, "--tail=1"], { stdio: ["ignore", "pipe", "ignore"] });
      outputs.push("");
      child.stdout.setEncoding("utf8").on("data", (c: string) => (outputs[i] += c));
      children.push(child);
    }
    try {
      // Counted from the moment every follower has its first answer, so start-up is not in the rate.
      await waitFor("every follower's first line", () => Promise.resolve(outputs.every((o) => o.endsWith("\n")) ? true : undefined), { timeoutMs: 30_000 });
      const before = outputs.map((o) => o.length);
      running.emulator.control.resetCounters();
      for (let s = 1; s <= windowSeconds; s++) {
        await sleep(1000);
        if (s % 5 === 0) running.emulator.control.appendLogs(group, "app", [`tick ${s}`]);
      }
      const counters = running.emulator.control.counters();
      const lastTick = `tick ${Math.floor(windowSeconds / 5) * 5}`;
      // A line appended just before the window closed may still be on its way: give it one poll.
      await waitFor("the last line at every follower", () => Promise.resolve(outputs.every((o) => o.endsWith(`${lastTick}\n`)) ? true : undefined), { timeoutMs: armBudget.logsFollow.pollMs * 3 });
      const appended = outputs.map((o, i) => o.slice(before[i]).split("\n").filter((l) => l.startsWith("tick ")).length);
      return { logReads: counters["containers.listLogs"] ?? 0, groupReads: counters["containerGroups.get"] ?? 0, linesSeen: Math.min(...appended) };
    } finally {
      for (const child of children) child.kill();
      await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once("exit", r)))));
    }
  }

  for (const followers of [1, 10]) {
    it(`prints ARM reads per minute with ${followers} follower${followers > 1 ? "s" : ""} at once`, { timeout: (windowSeconds + 90) * 1000 }, async () => {
      const { logReads, groupReads, linesSeen } = await measure(followers);
      const perMinute = (n: number) => (n * 60) / windowSeconds;
      const total = perMinute(logReads + groupReads);
      console.log(
        `logs -f, ${followers} follower(s), ${windowSeconds} s: ${perMinute(logReads).toFixed(1)} log reads + ${perMinute(groupReads).toFixed(1)} group GETs per minute = ` +
          `${total.toFixed(1)} ARM reads per minute, ${(total / followers).toFixed(1)} per follower; every follower saw ${linesSeen} appended lines`,
      );
      // What the figures rest on: each follower did read (no idle count passed off as cheap), and saw
      // every line appended in the window.
      assert.ok(logReads >= followers, `${logReads} log reads for ${followers} followers`);
      assert.equal(linesSeen, Math.floor(windowSeconds / 5));
    });
  }
});
