// ACI evicting a Spot container group, said on the pod as a kubelet says an eviction
// (pkg/kubelet/eviction/eviction_manager.go, evictPod): phase Failed, reason "Evicted", a message, the
// DisruptionTarget condition (reason TerminationByKubelet), and a Warning Event "Evicted".
//
// ACI restarts an evicted Spot group by itself ("If an eviction occurs, the container groups hosting the
// customer workloads are automatically restarted", learn.microsoft.com/azure/container-instances/
// container-instances-spot-containers-overview), but how a GET shows one is documented nowhere: an
// eviction is read from any event of the group or its containers that speaks of it, on a group that is
// Spot. The emulator's own shape is in docs/emulator.md ("Spot eviction").
import type { V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from "@kubernetes/client-node";
import { readObservedGroup } from "./observed-group.js";
import { isRecord } from "./values.js";

export const evictedReason = "Evicted";
/** The condition a kubelet adds to a pod it evicts (Kubernetes 1.26+), which a Job's podFailurePolicy can match. */
export const disruptionTarget = { type: "DisruptionTarget", reason: "TerminationByKubelet" } as const;
/** What a kubelet reports for a container it killed: SIGKILL. */
const killedExitCode = 137;

export interface SpotEviction {
  /** ACI's words for it. */
  readonly detail: string;
  readonly at?: Date;
}

/** The eviction ACI reports on a Spot group's GET, or undefined. Never throws, whatever the answer holds. */
export function spotEvictionOf(answer: unknown): SpotEviction | undefined {
  const properties = isRecord(answer) && isRecord(answer.properties) ? answer.properties : {};
  if (properties.priority !== "Spot") return undefined;
  const group = readObservedGroup(answer);
  const events = [...group.groupEvents, ...[...group.containers.values()].flatMap((c) => c?.events ?? [])];
  const evicted = events.find((e) => /evict/i.test(`${e.name} ${e.message ?? ""}`));
  if (evicted === undefined) return undefined;
  return { detail: evicted.message ?? evicted.name, ...(evicted.lastTimestamp !== undefined && { at: evicted.lastTimestamp }) };
}

/** Whether the connector already said a pod was evicted (it is final, as a kubelet's eviction is). */
export function isEvicted(pod: V1Pod): boolean {
  return pod.status?.phase === "Failed" && pod.status.reason === evictedReason;
}

export function evictionMessage(eviction: SpotEviction): string {
  return `ACI evicted the pod's Spot container group (Azure needed the capacity back): ${eviction.detail}`;
}

/**
 * The pod's status once evicted, from the status its group shows: Failed, every container terminated as
 * a killed one (ACI's restart of the group is not the pod's: the connector deletes that group).
 */
export function evictedPodStatus(status: V1PodStatus, eviction: SpotEviction, now: Date): V1PodStatus {
  const message = evictionMessage(eviction);
  const finishedAt = eviction.at ?? now;
  const killed = (c: V1ContainerStatus): V1ContainerStatus => {
    const startedAt = c.state?.running?.startedAt ?? c.state?.terminated?.startedAt;
    const terminated = c.state?.terminated ?? { exitCode: killedExitCode, reason: "Error", message, ...(startedAt !== undefined && { startedAt }), finishedAt };
    return { ...c, ready: false, started: false, state: { terminated } };
  };
  const names = (status.containerStatuses ?? []).map((c) => c.name).join(" ");
  // The kubelet's words for them (GenerateContainersReadyCondition): Go prints the names as [a b].
  const notReady = (c: V1PodCondition): V1PodCondition =>
    ["Ready", "ContainersReady"].includes(c.type) && c.status === "True" ? { type: c.type, status: "False", lastTransitionTime: now, reason: "ContainersNotReady", message: `containers with unready status: [${names}]` } : c;
  return {
    ...status,
    phase: "Failed",
    reason: evictedReason,
    message,
    conditions: [...(status.conditions ?? []).map(notReady), { type: disruptionTarget.type, status: "True", lastTransitionTime: now, reason: disruptionTarget.reason, message }],
    ...(status.containerStatuses !== undefined && { containerStatuses: status.containerStatuses.map(killed) }),
  };
}
