// What `aci-connector status` makes of what it read: each node's health, heartbeat and capacity, pods by
// phase and reason, the connector's container groups by state, orphans, stuck pods, and the connector's
// published state. Tables of realistic objects, one per concern.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Lease, V1Node, V1Pod } from "@kubernetes/client-node";
import type { ContainerGroupSummary } from "../../../shared/aci/container-groups.js";
import { reconcileSummaryAnnotation, type ReconcileSummary } from "../../../shared/status/reconcile-summary.js";
import { buildStatusReport, overdueAfterSeconds, podReason, stuckLimits, type StatusObservation } from "../../../cli/status/report.js";
import { renderStatus } from "../../../cli/status/render.js";

const now = new Date("2026-11-26T08:00:00.000Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const linux = "virtual-kubelet-aci-connector-linux-westeurope";
const windows = "virtual-kubelet-aci-connector-windows-westeurope";
const clusterId = "5b1c7a4e-0000-4000-8000-000000000001";

function node(name: string, overrides: { ready?: string; aci?: { status: string; reason: string; message: string }; tainted?: boolean; annotations?: Record<string, string> } = {}): V1Node {
  return {
    metadata: { name, annotations: overrides.annotations ?? {} },
    spec: { taints: [{ key: "virtual-kubelet.io/provider", value: "azure", effect: "NoSchedule" }, ...(overrides.tainted ? [{ key: "aci-connector.io/aci-unavailable", effect: "NoSchedule" }] : [])] },
    status: {
      allocatable: { cpu: "100", memory: "400Gi", pods: "100" },
      conditions: [
        { type: "Ready", status: overrides.ready ?? "True", reason: "AciConnectorReady", message: "the connector is running and renews this node's Lease" },
        { type: "AciAvailable", status: "True", reason: "AzureAnswers", message: "Azure Resource Manager answers the connector", ...overrides.aci },
      ],
    },
  };
}
// The client gives renewTime as a V1MicroTime, a Date.
const lease = (renewedSecondsAgo: number) => ({ spec: { renewTime: ago(renewedSecondsAgo) } }) as V1Lease;

function pod(name: string, o: { uid?: string; node?: string; phase?: string; reason?: string; message?: string; waiting?: string; cpu?: string; memory?: string; deletedSecondsAgo?: number; boundSecondsAgo?: number } = {}): V1Pod {
  return {
    metadata: { namespace: "default", name, uid: o.uid ?? `uid-${name}`, creationTimestamp: ago(o.boundSecondsAgo ?? 10), ...(o.deletedSecondsAgo !== undefined && { deletionTimestamp: ago(o.deletedSecondsAgo) }) },
    spec: { nodeName: o.node ?? linux, containers: [{ name: "c", image: "nginx", resources: { requests: { cpu: o.cpu ?? "500m", memory: o.memory ?? "1Gi" } } }] },
    status: {
      phase: o.phase ?? "Running",
      ...(o.reason !== undefined && { reason: o.reason }),
      ...(o.message !== undefined && { message: o.message }),
      conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: ago(o.boundSecondsAgo ?? 10) }],
      ...(o.waiting !== undefined && { containerStatuses: [{ name: "c", image: "nginx", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: o.waiting } } }] }),
    },
  };
}

function group(podName: string, o: { uid?: string; node?: string; state?: string; connector?: string; cluster?: string } = {}): ContainerGroupSummary {
  return {
    name: `default-${podName}-0123456789abcdef`,
    provisioningState: o.state ?? "Succeeded",
    tags: { Namespace: "default", PodName: podName, UID: o.uid ?? `uid-${podName}`, NodeName: o.node ?? linux, AciConnector: o.connector ?? "aci-connector", ClusterId: o.cluster ?? clusterId, CreationTimestamp: ago(60).toISOString() },
  };
}

function observed(o: Partial<StatusObservation> = {}): StatusObservation {
  return {
    at: now,
    connectorName: "aci-connector",
    location: "westeurope",
    clusterId,
    nodes: [
      { name: linux, node: node(linux), lease: lease(4) },
      { name: windows, node: node(windows), lease: lease(7) },
    ],
    pods: [],
    groups: [],
    ...o,
  };
}

const tick: ReconcileSummary = {
  at: ago(6).toISOString(),
  durationMs: 420,
  outcome: "errors",
  errors: 1,
  firstError: "deleting container group default-gone-0123: 409 ContainerGroupTransitioning",
  pods: 3,
  groups: 4,
  arm: { windowSeconds: 300, reads: 900, writes: 4, deletes: 2, remainingReads: 180 },
  readBudgetPerMinute: 748,
};

describe("status: the virtual nodes", () => {
  it("shows Ready, ACI's availability, the connector's taint, the Lease's age and requests used of allocatable", () => {
    const unavailable = { status: "False", reason: "AzureUnreachable", message: "ARM did not answer; pods already here keep running" };
    const report = buildStatusReport(
      observed({
        nodes: [
          { name: linux, node: node(linux, { aci: unavailable, tainted: true }), lease: lease(4) },
          { name: windows }, // not registered (removed with remove --os-type Windows)
        ],
        pods: [pod("a", { cpu: "500m", memory: "1Gi" }), pod("b", { cpu: "1", memory: "512Mi", phase: "Pending" }), pod("done", { phase: "Succeeded", cpu: "4" })],
      }),
    );
    const [l, w] = report.nodes;
    assert.deepEqual(l, {
      name: linux,
      registered: true,
      ready: { status: "True", reason: "AciConnectorReady", message: "the connector is running and renews this node's Lease" },
      aciAvailable: unavailable,
      aciUnavailableTaint: true,
      leaseAgeSeconds: 4,
      // A finished pod holds nothing, as the scheduler counts.
      capacity: { cpuCores: { used: 1.5, allocatable: 100 }, memoryBytes: { used: 1.5 * 2 ** 30, allocatable: 400 * 2 ** 30 }, pods: { used: 2, allocatable: 100 } },
    });
    assert.deepEqual(w, { name: windows, registered: false, aciUnavailableTaint: false, capacity: { cpuCores: { used: 0 }, memoryBytes: { used: 0 }, pods: { used: 0 } } });
  });
});

describe("status: pods by phase and reason", () => {
  const cases: { description: string; pod: V1Pod; reason: string }[] = [
    { description: "a running pod", pod: pod("r"), reason: "" },
    { description: "a refused pod (the connector's reason)", pod: pod("x", { phase: "Pending", reason: "UnsupportedPodSpec" }), reason: "UnsupportedPodSpec" },
    { description: "a pod waiting on its container", pod: pod("w", { phase: "Pending", waiting: "ContainerCreating" }), reason: "ContainerCreating" },
    { description: "a pod being deleted", pod: pod("d", { deletedSecondsAgo: 1, reason: "ProviderCreateFailed" }), reason: "Terminating" },
  ];
  for (const c of cases) it(`gives ${c.reason || "no reason"} for ${c.description}`, () => assert.equal(podReason(c.pod), c.reason));

  it("counts them by phase, and by phase and reason", () => {
    const report = buildStatusReport(observed({ pods: [pod("a"), pod("b", { node: windows }), pod("x", { phase: "Pending", reason: "UnsupportedPodSpec" })] }));
    assert.deepEqual(report.pods, {
      total: 3,
      byPhase: { Running: 2, Pending: 1 },
      byPhaseAndReason: [
        { phase: "Pending", reason: "UnsupportedPodSpec", count: 1 },
        { phase: "Running", reason: "", count: 2 },
      ],
    });
  });
});

describe("status: container groups and orphans", () => {
  it("counts the connector's groups by state, leaving out other connectors', other clusters' and other nodes'", () => {
    const groups = [
      group("a"),
      group("b", { state: "Creating" }),
      group("other-connector", { connector: "someone-else" }),
      group("other-cluster", { cluster: "another-cluster-uid" }),
      group("other-node", { node: "aks-nodepool1-0" }),
    ];
    const report = buildStatusReport(observed({ pods: [pod("a"), pod("b", { phase: "Pending" })], groups }));
    assert.deepEqual(report.containerGroups, { total: 2, byState: { Succeeded: 1, Creating: 1 } });
    assert.deepEqual(report.orphans, []);
  });

  it("names a group whose pod UID no longer exists as an orphan, even when a pod of that name exists again", () => {
    const report = buildStatusReport(observed({ pods: [pod("web", { uid: "uid-new" })], groups: [group("web", { uid: "uid-old" }), group("web2", { uid: "uid-new" })] }));
    assert.deepEqual(report.orphans, [{ group: "default-web-0123456789abcdef", state: "Succeeded", pod: { namespace: "default", name: "web", uid: "uid-old", node: linux } }]);
  });

  it("says why the groups are missing when ARM could not list them, and names no orphan or missing group", () => {
    const report = buildStatusReport(observed({ pods: [pod("p", { phase: "Pending", boundSecondsAgo: 600 })], groups: { error: "ARM did not answer: ETIMEDOUT" } }));
    assert.deepEqual(report.containerGroups, { error: "ARM did not answer: ETIMEDOUT" });
    assert.deepEqual(report.orphans, []);
    assert.deepEqual(report.stuck, []);
  });
});

describe("status: stuck pods", () => {
  const limit = stuckLimits.pendingWithoutGroupSeconds;
  const deadline = stuckLimits.terminatingPastDeadlineSeconds;
  const cases: { description: string; pod: V1Pod; hasGroup: boolean; stuck?: { why: string; forSeconds: number } }[] = [
    { description: "pending without a group just after binding", pod: pod("p", { phase: "Pending", boundSecondsAgo: limit - 5 }), hasGroup: false },
    { description: "pending without a group past the limit", pod: pod("p", { phase: "Pending", reason: "UnsupportedPodSpec", message: "spec.containers[0].workingDir: ...", boundSecondsAgo: limit + 15 }), hasGroup: false, stuck: { why: "no-container-group", forSeconds: limit + 15 } },
    { description: "pending with its group (ACI still pulling)", pod: pod("p", { phase: "Pending", boundSecondsAgo: 600 }), hasGroup: true },
    { description: "running without a group (reconcile's to decide)", pod: pod("p", { boundSecondsAgo: 600 }), hasGroup: false },
    { description: "terminating before its deletion time", pod: pod("p", { deletedSecondsAgo: -20 }), hasGroup: true },
    { description: "terminating just past its deletion time", pod: pod("p", { deletedSecondsAgo: deadline - 5 }), hasGroup: true },
    { description: "terminating long past its deletion time", pod: pod("p", { deletedSecondsAgo: deadline + 30 }), hasGroup: true, stuck: { why: "terminating", forSeconds: deadline + 30 } },
  ];
  for (const c of cases) {
    it(`${c.stuck === undefined ? "does not count" : "counts"} a pod ${c.description}`, () => {
      const report = buildStatusReport(observed({ pods: [c.pod], groups: c.hasGroup ? [group("p")] : [] }));
      assert.deepEqual(report.stuck.map((s) => ({ why: s.why, forSeconds: s.forSeconds })), c.stuck === undefined ? [] : [c.stuck]);
    });
  }

  it("says the stuck pod's reason and message", () => {
    const report = buildStatusReport(observed({ pods: [pod("p", { phase: "Pending", reason: "UnsupportedPodSpec", message: "spec.containers[0].workingDir: ACI cannot set it", boundSecondsAgo: 120 })] }));
    assert.deepEqual(report.stuck, [{ namespace: "default", name: "p", uid: "uid-p", node: linux, phase: "Pending", reason: "UnsupportedPodSpec", message: "spec.containers[0].workingDir: ACI cannot set it", why: "no-container-group", forSeconds: 120 }]);
  });
});

describe("status: the connector's published state", () => {
  it("takes the latest tick of any node, its ARM counts against the budget over the same window, and the worst staleness", () => {
    const older = { ...tick, at: ago(80).toISOString(), outcome: "ok" as const, errors: 0 };
    const report = buildStatusReport(
      observed({
        nodes: [
          { name: linux, node: node(linux, { annotations: { [reconcileSummaryAnnotation]: JSON.stringify(tick), "aci-connector.io/status-refresh-seconds": "30" } }), lease: lease(2) },
          { name: windows, node: node(windows, { annotations: { [reconcileSummaryAnnotation]: JSON.stringify(older), "aci-connector.io/status-refresh-seconds": "45" } }), lease: lease(2) },
        ],
      }),
    );
    assert.deepEqual(report.lastTick, { ...tick, ageSeconds: 6, overdue: false });
    // 748 reads a minute over 5 minutes; ARM refills 600 writes a minute.
    assert.deepEqual(report.arm, { windowSeconds: 300, reads: 900, readBudget: 3740, writes: 4, deletes: 2, writeLimit: 3000, remainingReads: 180 });
    assert.deepEqual(report.staleness, { worstSeconds: 45, unknown: false });
  });

  it("calls a tick overdue once none was published for longer than the once-a-minute rule allows", () => {
    const at = (secondsAgo: number) => buildStatusReport(observed({ nodes: [{ name: linux, node: node(linux, { annotations: { [reconcileSummaryAnnotation]: JSON.stringify({ ...tick, at: ago(secondsAgo).toISOString() }) } }) }] })).lastTick;
    assert.deepEqual([at(60), at(overdueAfterSeconds), at(overdueAfterSeconds + 1)].map((t) => t?.overdue), [false, false, true]);
    assert.match(renderStatus(buildStatusReport(observed({ nodes: [{ name: linux, node: node(linux, { annotations: { [reconcileSummaryAnnotation]: JSON.stringify({ ...tick, at: ago(300).toISOString() }) } }) }] }))), /Last reconcile published 300s ago \(OVERDUE: /);
  });

  it('says the staleness is unknown when a node says "unknown", and leaves out what was never published', () => {
    const report = buildStatusReport(observed({ nodes: [{ name: linux, node: node(linux, { annotations: { "aci-connector.io/status-refresh-seconds": "unknown" } }) }] }));
    assert.deepEqual(report.staleness, { unknown: true });
    assert.equal(report.arm, undefined);
    assert.equal(report.lastTick, undefined);
  });
});

describe("status: the screen", () => {
  it("prints every part of the report on one screen", () => {
    const text = renderStatus(
      buildStatusReport(
        observed({
          nodes: [{ name: linux, node: node(linux, { annotations: { [reconcileSummaryAnnotation]: JSON.stringify(tick), "aci-connector.io/status-refresh-seconds": "30" } }), lease: lease(4) }, { name: windows }],
          pods: [pod("a"), pod("x", { phase: "Pending", reason: "UnsupportedPodSpec", message: "spec.containers[0].workingDir: refused", boundSecondsAgo: 90 })],
          groups: [group("a"), group("gone", { uid: "uid-gone" })],
        }),
      ),
    );
    assert.match(text, new RegExp(`^${linux} +True +True +- +4s ago +1/100 +2Gi/400Gi +2/100$`, "m"));
    assert.match(text, new RegExp(`^${windows} +not registered$`, "m"));
    assert.match(text, /^ {2}Pending +UnsupportedPodSpec +1$/m);
    assert.match(text, /^CONTAINER GROUPS: 2 \(by ARM provisioning state\)\n {2}STATE +COUNT\n {2}Succeeded +2$/m);
    assert.match(text, new RegExp(`^ORPHANS \\(a group whose pod no longer exists\\): 1\\n {2}default-gone-0123456789abcdef \\(Succeeded\\): pod default/gone uid uid-gone on ${linux}$`, "m"));
    assert.match(text, new RegExp(`^ {2}default/x on ${linux}: Pending with no container group for 90s, UnsupportedPodSpec: spec.containers\\[0\\].workingDir: refused$`, "m"));
    assert.match(text, /^ {2}ARM in the 5 min before that tick: 900 reads of a budget of 3740, 4 writes and 2 deletes of 3000 each; ARM says 180 reads remain in its bucket$/m);
    assert.match(text, /^ {2}Status staleness: a running pod's status is re-read at least every 30s$/m);
    assert.match(text, /^ {2}Last reconcile published 6s ago: errors, took 420 ms, 3 pods, 4 groups, 1 error, first: deleting container group default-gone-0123: 409 ContainerGroupTransitioning$/m);
  });
});
