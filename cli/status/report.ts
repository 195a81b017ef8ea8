// `aci-connector status`: what was read (the cluster, ARM, the connector's published state) turned into
// the report a person or a script reads. Pure: collect.ts reads, render.ts prints, this decides.
import type { V1Lease, V1Node, V1Pod } from "@kubernetes/client-node";
import type { ContainerGroupSummary } from "../../shared/aci/container-groups.js";
import { aciAvailableType, aciUnavailableTaint } from "../../shared/controller/node-conditions.js";
import { statusRefreshAnnotation } from "../../shared/controller/status-refresh.js";
import { parseReconcileSummary, reconcileSummaryAnnotation, summaryRefreshMs, type ReconcileSummary } from "../../shared/status/reconcile-summary.js";
import { tagNames } from "../../shared/translate/naming.js";
import { parseQuantity } from "../../shared/translate/resources.js";

/** Everything status reads, at one moment. */
export interface StatusObservation {
  readonly at: Date;
  readonly connectorName: string;
  readonly location: string;
  /** The cluster's identity (kube-system's UID): the connector's groups carry it as a tag. */
  readonly clusterId: string;
  /** Every node name the connector can have, with the node and its Lease when they exist. */
  readonly nodes: readonly { readonly name: string; readonly node?: V1Node; readonly lease?: V1Lease }[];
  /** The pods bound to those nodes. */
  readonly pods: readonly V1Pod[];
  /** Every group in the ACI resource group (the report keeps the connector's), or why ARM could not list them. */
  readonly groups: readonly ContainerGroupSummary[] | { readonly error: string };
}

/**
 * When a pod counts as stuck. A pod being deleted: its deletionTimestamp already includes its grace
 * period (the API server sets it to the request's time plus gracePeriodSeconds), and the connector
 * finishes a deletion within a reconcile tick (15 s) of ACI's; a minute past it is four missed ticks.
 * A pending pod with no container group: its group is sent on the binding's doorbell within seconds
 * (p99 3.3 s measured) or by the next reconcile tick (15 s); a minute after binding is four ticks, time
 * enough for every retry the connector makes by itself except a refusal's back-off, which then shows
 * here with its reason.
 */
export const stuckLimits = { terminatingPastDeadlineSeconds: 60, pendingWithoutGroupSeconds: 60 } as const;

/** The once-a-minute republication, plus two reconcile periods (15 s) of slack for a slow tick. */
export const overdueAfterSeconds = summaryRefreshMs / 1000 + 30;

/** ARM refills writes and deletes at 10 a second per principal and region (../shared/FACTS.md, "ARM and ACI limits"). */
const armWriteRefillPerMinute = 600;

export interface Condition {
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface Figure {
  readonly used: number;
  readonly allocatable?: number;
}

export interface NodeReport {
  readonly name: string;
  readonly registered: boolean;
  readonly ready?: Condition;
  readonly aciAvailable?: Condition;
  /** The connector's own aci-unavailable:NoSchedule taint: new pods are kept off. */
  readonly aciUnavailableTaint: boolean;
  /** Seconds since the Lease was last renewed (the kubelet's heartbeat). */
  readonly leaseAgeSeconds?: number;
  /** Requests of the pods that still hold resources (not Succeeded or Failed) against allocatable. */
  readonly capacity: { readonly cpuCores: Figure; readonly memoryBytes: Figure; readonly pods: Figure };
  /** The node's aci-connector.io/status-refresh-seconds as published. */
  readonly statusRefresh?: string;
}

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly node: string;
}

export interface StuckPod extends PodRef {
  readonly phase: string;
  readonly reason: string;
  readonly message?: string;
  /** "terminating": still there past its deletion time; "no-container-group": pending and no group in ACI. */
  readonly why: "terminating" | "no-container-group";
  /** Seconds past the deletion time, or since the pod was bound. */
  readonly forSeconds: number;
}

export interface OrphanGroup {
  readonly group: string;
  readonly state: string;
  /** The pod the group's tags name, which no longer exists by that UID. */
  readonly pod: PodRef;
}

export interface StatusReport {
  readonly at: string;
  readonly connector: { readonly name: string; readonly location: string; readonly clusterId: string };
  readonly nodes: readonly NodeReport[];
  readonly pods: { readonly total: number; readonly byPhase: Readonly<Record<string, number>>; readonly byPhaseAndReason: readonly { phase: string; reason: string; count: number }[] };
  readonly containerGroups: { readonly total: number; readonly byState: Readonly<Record<string, number>> } | { readonly error: string };
  readonly orphans: readonly OrphanGroup[];
  readonly stuck: readonly StuckPod[];
  /** ARM requests over the last minutes as the connector published them; absent before its first tick. */
  readonly arm?: {
    readonly windowSeconds: number;
    readonly reads: number;
    readonly readBudget: number;
    readonly writes: number;
    readonly deletes: number;
    readonly writeLimit: number;
    readonly remainingReads?: number;
  };
  /** The longest a running pod's status can be behind ACI at the current pace (seconds), or "unknown". */
  readonly staleness?: { readonly worstSeconds?: number; readonly unknown: boolean };
  /**
   * The last tick the connector published. An unchanged outcome is republished once a minute, so its age
   * runs up to 60 s while reconcile runs every 15 s; `overdue` past `overdueAfterSeconds`: no tick
   * has published for longer than that rule allows (reconcile stopped, or cannot write its nodes).
   */
  readonly lastTick?: ReconcileSummary & { readonly ageSeconds: number; readonly overdue: boolean };
}

export function buildStatusReport(observed: StatusObservation): StatusReport {
  const now = observed.at.getTime();
  const nodeNames = new Set(observed.nodes.map((n) => n.name));
  const groups = "error" in observed.groups ? undefined : observed.groups.filter((g) => ours(g, observed, nodeNames));
  const podUids = new Set(observed.pods.map((p) => p.metadata?.uid));
  const groupUids = new Set((groups ?? []).map((g) => g.tags[tagNames.uid]));
  const summaries = observed.nodes.map((n) => parseReconcileSummary(n.node?.metadata?.annotations?.[reconcileSummaryAnnotation])).filter((s) => s !== undefined);
  const latest = summaries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  return {
    at: observed.at.toISOString(),
    connector: { name: observed.connectorName, location: observed.location, clusterId: observed.clusterId },
    nodes: observed.nodes.map((n) => nodeReport(n, observed.pods, now)),
    pods: podCounts(observed.pods),
    containerGroups: groups === undefined ? { error: (observed.groups as { error: string }).error } : { total: groups.length, byState: countBy(groups.map((g) => g.provisioningState ?? "Unknown")) },
    orphans: (groups ?? []).filter((g) => !podUids.has(g.tags[tagNames.uid])).map(orphanOf),
    // Without the group list nothing can be said of missing groups: only terminating pods then.
    stuck: observed.pods.flatMap((p) => stuckOf(p, groups === undefined ? undefined : groupUids, now)),
    ...(latest !== undefined && {
      arm: {
        windowSeconds: latest.arm.windowSeconds,
        reads: latest.arm.reads,
        readBudget: Math.round((latest.readBudgetPerMinute * latest.arm.windowSeconds) / 60),
        writes: latest.arm.writes,
        deletes: latest.arm.deletes,
        writeLimit: Math.round((armWriteRefillPerMinute * latest.arm.windowSeconds) / 60),
        ...(latest.arm.remainingReads !== undefined && { remainingReads: latest.arm.remainingReads }),
      },
      lastTick: { ...latest, ...ageOf(latest, now) },
    }),
    ...stalenessOf(observed.nodes.map((n) => n.node?.metadata?.annotations?.[statusRefreshAnnotation])),
  };
}

function ageOf(summary: ReconcileSummary, now: number): { ageSeconds: number; overdue: boolean } {
  const ageSeconds = Math.max(0, Math.round((now - Date.parse(summary.at)) / 1000));
  return { ageSeconds, overdue: ageSeconds > overdueAfterSeconds };
}

/** As reconcile decides it: this connector's groups in this cluster, on one of its nodes. */
function ours(group: ContainerGroupSummary, observed: StatusObservation, nodeNames: ReadonlySet<string>): boolean {
  const t = group.tags;
  return t[tagNames.connector] === observed.connectorName && t[tagNames.clusterId] === observed.clusterId && nodeNames.has(t[tagNames.node] ?? "");
}

function nodeReport(entry: StatusObservation["nodes"][number], pods: readonly V1Pod[], now: number): NodeReport {
  const { node, lease } = entry;
  const condition = (type: string): Condition | undefined => {
    const c = node?.status?.conditions?.find((x) => x.type === type);
    return c === undefined ? undefined : { status: c.status, ...(c.reason !== undefined && { reason: c.reason }), ...(c.message !== undefined && { message: c.message }) };
  };
  const renewed = lease?.spec?.renewTime === undefined ? undefined : new Date(lease.spec.renewTime).getTime();
  const holding = pods.filter((p) => p.spec?.nodeName === entry.name && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
  const allocatable = (key: string) => parseQuantity(node?.status?.allocatable?.[key]);
  const figure = (used: number, key: string): Figure => {
    const a = allocatable(key);
    return a === undefined ? { used } : { used, allocatable: a };
  };
  const ready = condition("Ready");
  const aciAvailable = condition(aciAvailableType);
  const refresh = node?.metadata?.annotations?.[statusRefreshAnnotation];
  return {
    name: entry.name,
    registered: node !== undefined,
    ...(ready !== undefined && { ready }),
    ...(aciAvailable !== undefined && { aciAvailable }),
    aciUnavailableTaint: (node?.spec?.taints ?? []).some((t) => t.key === aciUnavailableTaint.key && t.effect === aciUnavailableTaint.effect),
    ...(renewed !== undefined && { leaseAgeSeconds: Math.max(0, Math.round((now - renewed) / 1000)) }),
    capacity: {
      cpuCores: figure(round(sum(holding.map((p) => podRequest(p, "cpu"))), 3), "cpu"),
      memoryBytes: figure(sum(holding.map((p) => podRequest(p, "memory"))), "memory"),
      pods: figure(holding.length, "pods"),
    },
    ...(refresh !== undefined && { statusRefresh: refresh }),
  };
}

/** As the scheduler counts a pod: its containers' requests summed, or its largest init container's when more. */
function podRequest(pod: V1Pod, resource: "cpu" | "memory"): number {
  const of = (containers: readonly { resources?: { requests?: Record<string, string> } }[] | undefined) => (containers ?? []).map((c) => parseQuantity(c.resources?.requests?.[resource]) ?? 0);
  return Math.max(sum(of(pod.spec?.containers)), ...of(pod.spec?.initContainers));
}

/**
 * The reason a person would see in `kubectl get pods`: Terminating while being deleted, the pod's own
 * reason (the connector's UnsupportedPodSpec, ProviderCreateFailed, ...), else its first waiting or
 * terminated container's reason.
 */
export function podReason(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp !== undefined) return "Terminating";
  if (pod.status?.reason !== undefined && pod.status.reason !== "") return pod.status.reason;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason).find((r) => r !== undefined && r !== "") ?? "";
}

function podCounts(pods: readonly V1Pod[]): StatusReport["pods"] {
  const phase = (p: V1Pod) => p.status?.phase ?? "Unknown";
  const pairs = countBy(pods.map((p) => JSON.stringify([phase(p), podReason(p)])));
  return {
    total: pods.length,
    byPhase: countBy(pods.map(phase)),
    byPhaseAndReason: Object.entries(pairs)
      .map(([key, count]) => {
        const [p, reason] = JSON.parse(key) as [string, string];
        return { phase: p, reason, count };
      })
      .sort((a, b) => a.phase.localeCompare(b.phase) || a.reason.localeCompare(b.reason)),
  };
}

function orphanOf(group: ContainerGroupSummary): OrphanGroup {
  const t = group.tags;
  return {
    group: group.name,
    state: group.provisioningState ?? "Unknown",
    pod: { namespace: t[tagNames.namespace] ?? "", name: t[tagNames.podName] ?? "", uid: t[tagNames.uid] ?? "", node: t[tagNames.node] ?? "" },
  };
}

function stuckOf(pod: V1Pod, groupUids: ReadonlySet<string | undefined> | undefined, now: number): StuckPod[] {
  const ref: PodRef = { namespace: pod.metadata?.namespace ?? "", name: pod.metadata?.name ?? "", uid: pod.metadata?.uid ?? "", node: pod.spec?.nodeName ?? "" };
  const base = { ...ref, phase: pod.status?.phase ?? "Unknown", reason: podReason(pod), ...(pod.status?.message !== undefined && { message: pod.status.message }) };
  const deletion = pod.metadata?.deletionTimestamp;
  if (deletion !== undefined) {
    const past = (now - new Date(deletion).getTime()) / 1000;
    return past > stuckLimits.terminatingPastDeadlineSeconds ? [{ ...base, why: "terminating", forSeconds: Math.round(past) }] : [];
  }
  const pending = pod.status?.phase === undefined || pod.status.phase === "Pending";
  if (!pending || groupUids === undefined || groupUids.has(ref.uid)) return [];
  // Bound when PodScheduled turned True (the binding); the creation time when the condition is missing.
  const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "True")?.lastTransitionTime ?? pod.metadata?.creationTimestamp;
  if (scheduled === undefined) return [];
  const waited = (now - new Date(scheduled).getTime()) / 1000;
  return waited > stuckLimits.pendingWithoutGroupSeconds ? [{ ...base, why: "no-container-group", forSeconds: Math.round(waited) }] : [];
}

/** The worst published refresh time over the nodes; unknown when any node says it has no read left. */
function stalenessOf(values: readonly (string | undefined)[]): Pick<StatusReport, "staleness"> {
  const given = values.filter((v) => v !== undefined);
  if (given.length === 0) return {};
  const seconds = given.map(Number).filter((n) => Number.isFinite(n));
  const unknown = given.some((v) => !Number.isFinite(Number(v)));
  return { staleness: { ...(seconds.length > 0 && { worstSeconds: Math.max(...seconds) }), unknown } };
}

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
