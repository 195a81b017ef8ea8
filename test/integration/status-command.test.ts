// `aci-connector status` on a local run, as an operator runs it in another terminal: the seed's two
// Deployments, one pod ACI cannot run (refused), and one orphan (a group with the connector's tags whose
// pod UID never existed, injected through ARM, kept alive by an ARM fault on deletes). The JSON reports
// each; the human view is read under a pseudo-terminal (script(1)) and kept in the test's output; and
// the command reads as a user with read rights only, whose mutating requests the API server counts: none.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import type { ControlPlaneDescriptor } from "../../dev/control-plane/launch.js";
import type { LocalState } from "../../cli/local-state.js";
import type { StatusReport } from "../../cli/status/report.js";
import { stuckLimits } from "../../cli/status/report.js";
import { createAciClient } from "../../shared/aci/client.js";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { readClusterId } from "../../shared/kube/cluster-id.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { parseReconcileSummary, reconcileSummaryAnnotation } from "../../shared/status/reconcile-summary.js";
import { containerGroupName, containerGroupTags } from "../../shared/translate/naming.js";
import { countRequestsByUser } from "../support/api-server-metrics.js";
import { clusterOf } from "../support/cluster.js";
import { projectRoot, seedDir } from "../support/paths.js";
import { saveConnectorOutput } from "../support/test-output.js";
import { waitFor } from "../support/wait.js";

const cli = join(projectRoot, "bin", "aci-connector.js");

async function aciConnector(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Runs a command under a pseudo-terminal, as a person's terminal runs it; returns what the terminal showed. */
function underTerminal(command: string, options: { until?: (screen: string) => boolean; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-q", "-c", command, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
    let screen = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`no screen within the time:\n${screen}`))), options.timeoutMs ?? 60_000);
    child.stdout.on("data", (c: Buffer) => {
      screen += c.toString();
      if (options.until?.(screen) === true) child.kill("SIGTERM");
    });
    child.on("exit", () => (clearTimeout(timer), resolve(screen)));
  });
}

/** A pod with a field ACI cannot run (workingDir), scheduled onto the Linux virtual node. */
const refusedPod = (node: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "refused-workdir", namespace: "default" },
  spec: {
    nodeSelector: { "kubernetes.io/hostname": node },
    tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
    containers: [{ name: "app", image: "nginx", workingDir: "/srv", resources: { requests: { cpu: "250m", memory: "256Mi" } } }],
  },
});

/** Only what status reads. */
const viewerRole = {
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "aci-connector-status-viewer" },
      rules: [
        { apiGroups: [""], resources: ["nodes", "pods", "namespaces"], verbs: ["get", "list"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "aci-connector-status-viewer" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "aci-connector-status-viewer" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "status-viewer" }],
    },
  ],
};

describe("aci-connector status", () => {
  it("reports the seed's pods, a refused pod and an injected orphan, as JSON and on a terminal, without writing", { timeout: 600_000 }, async (t) => {
    const stateDir = await mkdtemp(join(tmpdir(), "aci-connector-status-"));
    const child = spawn(process.execPath, [cli, "local", "--state-dir", stateDir], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const localJson = join(stateDir, "local.json");
      await waitFor("the local run", () => Promise.resolve((existsSync(localJson) && output.includes("aci-connector is running locally")) || undefined), { timeoutMs: 240_000, intervalMs: 500 });
      const local = JSON.parse(readFileSync(localJson, "utf8")) as LocalState;
      const cluster = clusterOf(JSON.parse(readFileSync(join(stateDir, "cluster", "cluster.json"), "utf8")) as ControlPlaneDescriptor);
      const [linuxNode, windowsNode] = local.nodes as [string, string];

      // The seed's Deployments and one pod ACI cannot run.
      const applied = await cluster.kubectl(["apply", "-f", join(seedDir, "virtual-kubelet-linux.yaml"), "-f", join(seedDir, "virtual-kubelet-windows.yaml")]);
      assert.equal(applied.code, 0, applied.stderr);
      const refused = await cluster.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(refusedPod(linuxNode)) });
      assert.equal(refused.code, 0, refused.stderr);

      // The orphan: a group as the connector tags one, for a pod UID that never existed. ARM refuses its
      // deletion (as it refuses a group in transition) so that reconcile cannot take it away first.
      const fault = await aciConnector(["emulator", "fault", "--state-dir", stateDir, "--operation", "containerGroups.delete", "--status", "409", "--code", "ContainerGroupTransitioning", "--seconds", "600"]);
      assert.equal(fault.code, 0, fault.stderr);
      const clusterId = await readClusterId(cluster.admin);
      const orphanPod = { namespace: "default", name: "gone", uid: randomUUID() };
      const orphanName = containerGroupName(orphanPod);
      const arm = createAciClient({ settings: { subscriptionId: local.emulator.subscriptionId, armEndpoint: local.emulator.endpoint, armCaFile: local.emulator.caFile }, credential: emulatorCredential });
      const groups = createContainerGroups(arm, { armEndpoint: local.emulator.endpoint, subscriptionId: local.emulator.subscriptionId, resourceGroup: local.emulator.resourceGroup });
      await groups.createOrUpdate(orphanName, {
        location: local.location,
        tags: containerGroupTags({ ...orphanPod, node: linuxNode, connector: local.connectorName, clusterId, creationTimestamp: new Date().toISOString() }),
        properties: { osType: "Linux", restartPolicy: "Always", containers: [{ name: "app", properties: { image: "nginx", resources: { requests: { cpu: 0.5, memoryInGB: 0.5 } } } }] },
      });

      // Running, refused, and a reconcile tick that tried to delete the orphan and published why it could not.
      const pods = await waitFor(
        "the seed's pods Running and the refused pod refused",
        async () => {
          const list = JSON.parse((await cluster.kubectl(["get", "pods", "-o", "json"])).stdout) as { items: { metadata: { name: string }; status: { phase?: string; reason?: string } }[] };
          const running = list.items.filter((p) => p.status.phase === "Running");
          const refusedNow = list.items.find((p) => p.metadata.name === "refused-workdir" && p.status.reason === "UnsupportedPodSpec");
          return running.length === 2 && refusedNow !== undefined ? list.items : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1000 },
      );
      const tick = await waitFor(
        "a reconcile tick that could not delete the orphan, published on the node",
        async () => {
          const nodeJson = JSON.parse((await cluster.kubectl(["get", "node", linuxNode, "-o", "json"])).stdout) as { metadata: { annotations?: Record<string, string> } };
          const summary = parseReconcileSummary(nodeJson.metadata.annotations?.[reconcileSummaryAnnotation]);
          return summary?.outcome === "errors" && summary.firstError?.includes(orphanName) === true ? summary : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      assert.match(tick.firstError!, /ContainerGroupTransitioning/);
      // The refused pod counts as stuck once it has waited past the limit without a group.
      const refusedPodNow = JSON.parse((await cluster.kubectl(["get", "pod", "refused-workdir", "-o", "json"])).stdout) as { status: { conditions: { type: string; lastTransitionTime: string }[] } };
      const bound = Date.parse(refusedPodNow.status.conditions.find((c) => c.type === "PodScheduled")!.lastTransitionTime);
      const waitMs = bound + (stuckLimits.pendingWithoutGroupSeconds + 2) * 1000 - Date.now();
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));

      // A viewer with read rights only, and the API server counting that user's mutating requests.
      assert.equal((await cluster.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(viewerRole) })).code, 0);
      const viewer = await cluster.userKubeconfig("status-viewer");
      const counted = await countRequestsByUser(cluster, { name: "status-viewer", users: ["status-viewer"], kinds: ["create *", "update *", "patch *", "delete *", "deletecollection *"] });
      try {
        const before = await counted.snapshot();

        const json = await aciConnector(["status", "--local", "--state-dir", stateDir, "--kubeconfig", viewer.path, "--output", "json"]);
        assert.equal(json.code, 0, json.stderr);
        const report = JSON.parse(json.stdout) as StatusReport;
        saveConnectorOutput("status-json", [json.stdout.trim()]);

        // Both nodes Ready, ACI available, untainted, their Leases fresh; requests counted on their node.
        assert.deepEqual(report.nodes.map((n) => [n.name, n.registered, n.ready?.status, n.aciAvailable?.status, n.aciUnavailableTaint]), [
          [linuxNode, true, "True", "True", false],
          [windowsNode, true, "True", "True", false],
        ]);
        for (const n of report.nodes) assert.ok(n.leaseAgeSeconds !== undefined && n.leaseAgeSeconds <= 40, `${n.name}'s Lease is renewed (${n.leaseAgeSeconds}s)`);
        const linux = report.nodes[0]!;
        assert.equal(linux.capacity.pods.used, 2, "the seed's Linux pod and the refused pod");
        assert.ok(linux.capacity.cpuCores.used >= 0.25 && linux.capacity.pods.allocatable !== undefined);
        // Pods by phase and reason.
        assert.equal(report.pods.total, pods.length);
        assert.deepEqual(report.pods.byPhaseAndReason, [
          { phase: "Pending", reason: "UnsupportedPodSpec", count: 1 },
          { phase: "Running", reason: "", count: 2 },
        ]);
        // The groups: the seed's two and the orphan, named with the UID no pod has.
        assert.ok(!("error" in report.containerGroups), JSON.stringify(report.containerGroups));
        assert.equal(report.containerGroups.total, 3);
        assert.deepEqual(report.orphans.map((o) => [o.group, o.pod.uid, o.pod.node]), [[orphanName, orphanPod.uid, linuxNode]]);
        // The refused pod is stuck, with the connector's reason and the field it names.
        assert.deepEqual(report.stuck.map((s) => [s.name, s.why, s.reason]), [["refused-workdir", "no-container-group", "UnsupportedPodSpec"]]);
        assert.match(report.stuck[0]!.message ?? "", /workingDir/);
        // The connector's own state: its ARM requests against the budget, staleness, the last tick.
        assert.ok(report.arm !== undefined && report.arm.reads > 0 && report.arm.readBudget > 0, JSON.stringify(report.arm));
        assert.ok(report.staleness !== undefined, "the status refresh time is published");
        assert.equal(report.lastTick?.outcome, "errors");
        assert.match(report.lastTick.firstError ?? "", new RegExp(orphanName));

        // The human view, on a terminal.
        const command = `${process.execPath} ${cli} status --local --state-dir ${stateDir} --kubeconfig ${viewer.path}`;
        const screen = await underTerminal(command);
        saveConnectorOutput("status-screen", screen.split(/\r?\n/));
        t.diagnostic("aci-connector status, as a terminal showed it:");
        for (const line of screen.split(/\r?\n/)) t.diagnostic(line);
        assert.match(screen, new RegExp(`^${linuxNode} +True +True +- +\\d+s ago `, "m"));
        assert.match(screen, /^ {2}Pending +UnsupportedPodSpec +1\r?$/m);
        assert.match(screen, new RegExp(`^ORPHANS \\(a group whose pod no longer exists\\): 1\\r?\\n {2}${orphanName} `, "m"));
        assert.match(screen, /^STUCK PODS: 1\r?\n {2}default\/refused-workdir on .*: Pending with no container group for \d+s, UnsupportedPodSpec: /m);
        assert.match(screen, /^ {2}Last reconcile published \d+s ago: errors, took \d+ ms, /m);
        // --watch redraws the screen until stopped.
        const watched = await underTerminal(`${command} --watch --interval 1`, { until: (s) => s.split("\x1b[2J").length > 2 });
        assert.ok(watched.split("\x1b[2J").length > 2, "two screens at least");

        const writes = [...(await counted.snapshot())].map(([kind, n]) => [kind, n - (before.get(kind) ?? 0)] as const);
        assert.deepEqual(writes.filter(([kind]) => kind !== "other").map(([kind, n]) => `${kind}: ${n}`), ["create *: 0", "update *: 0", "patch *: 0", "delete *: 0", "deletecollection *: 0"]);
        assert.ok(writes.find(([kind]) => kind === "other")![1] > 0, "its reads were counted");
      } finally {
        await counted.remove();
      }
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0, output);
  });
});
