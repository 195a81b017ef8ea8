// reconcile: for each virtual node, the pods bound to it against the container groups tagged for it.
// Creates what is missing, deletes orphans, finishes deletions and refreshes status, within a budget of
// ARM reads: one paged list, and GETs only for groups whose state can be changing plus a slow rotation
// through the rest. The source of truth: anything a webhook or event missed is repaired here.
//
// It works from lists that age while it runs, so nothing is destroyed on their word alone: a group
// missing from the pod list is deleted only once its own pod is confirmed gone, a running pod is failed
// only once a GET confirms its group is gone, and a group is created only for the pod as it is now.
import { createHash } from "node:crypto";
import type { V1Pod } from "@kubernetes/client-node";
import { armBudget } from "../aci/arm-budget.js";
import type { ContainerGroupSummary } from "../aci/container-groups.js";
import { AciError } from "../aci/errors.js";
import { describeKubeError } from "../kube/errors.js";
import { tagNames } from "../translate/naming.js";
import { groupNameOf, syncPod, type PodSyncDependencies, type PodSyncOutcome } from "./pod-sync.js";

export interface ReconcileOptions {
  /** The tick number (e.g. minutes since epoch × 4 for 15 s ticks): drives the rotation. */
  readonly tick: number;
  /** Every running group is read at least once per this many ticks (default armBudget.rotationTicks). */
  readonly rotationTicks?: number;
  /** At most this many GETs per tick, changing groups first (default armBudget.maxGetsPerTick). */
  readonly maxGetsPerTick?: number;
  readonly abortSignal?: AbortSignal;
}

export interface ReconcileReport {
  readonly pods: number;
  readonly groups: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly gets: number;
  readonly orphansDeleted: readonly string[];
  /** Groups not in the pod list whose pod turned out to be there after all (bound while the lists were read). */
  readonly orphansSpared: readonly string[];
  readonly errors: readonly string[];
  /** Set when ARM throttled this tick: nothing more is sent before this time. */
  readonly retryAfterMs?: number;
}

const changing = new Set(["Pending", "Creating", "Accepted", "Repairing", "Updating"]);

export async function reconcile(deps: PodSyncDependencies, options: ReconcileOptions): Promise<ReconcileReport> {
  const opts = { abortSignal: options.abortSignal };
  const rotation = options.rotationTicks ?? armBudget.rotationTicks;
  const budget = options.maxGetsPerTick ?? armBudget.maxGetsPerTick;
  const outcomes: Record<string, number> = {};
  const errors: string[] = [];
  const orphansDeleted: string[] = [];
  const orphansSpared: string[] = [];
  let gets = 0;
  let retryAfterMs: number | undefined;
  const noted = (error: unknown) => {
    if (error instanceof AciError && error.kind === "throttled") retryAfterMs = error.details.retryAfterMs ?? armBudget.defaultRetryAfterMs;
    errors.push(describe(error));
  };

  const pods: V1Pod[] = [];
  for (const node of deps.nodes.keys()) {
    try {
      pods.push(...(await deps.podsAs(node).listPodsOnNode(node, opts)));
    } catch (error) {
      // Nothing can be decided without the pods (a group whose pod is unknown is not an orphan yet).
      throw new Error(`reconcile cannot list the pods of ${node}: ${describeKubeError(error)}`, { cause: error });
    }
  }
  let groups: ContainerGroupSummary[];
  try {
    groups = (await deps.groups.list(opts)).filter((g) => ours(deps, g));
  } catch (error) {
    noted(error);
    return { pods: pods.length, groups: 0, outcomes, gets, orphansDeleted, orphansSpared, errors, retryAfterMs };
  }
  const byName = new Map(groups.map((g) => [g.name, g]));

  // Orphans: groups of this connector whose pod (by exact UID) is not bound to one of its nodes. The
  // pod list is older than the group list, so a candidate's own pod is looked up once more first.
  const wanted = new Set(pods.map(groupNameOf));
  for (const group of groups) {
    if (wanted.has(group.name) || retryAfterMs !== undefined) continue;
    try {
      if (await ownerStillBound(deps, group, options.abortSignal)) {
        orphansSpared.push(group.name);
        continue;
      }
      await deps.groups.delete(group.name, opts);
      orphansDeleted.push(group.name);
      deps.log.info("orphaned container group deleted", { group: group.name, pod: `${group.tags[tagNames.namespace]}/${group.tags[tagNames.podName]}` });
    } catch (error) {
      noted(error);
    }
  }

  // Reads first for the groups that can be changing, then the rotation, within the budget.
  const work = pods
    .map((pod) => {
      const group = byName.get(groupNameOf(pod));
      const priority = pod.metadata?.deletionTimestamp !== undefined || group === undefined ? 0 : readPriority(pod, group, options.tick, rotation);
      return { pod, group, priority };
    })
    .filter((w): w is { pod: V1Pod; group: ContainerGroupSummary | undefined; priority: 0 | 1 } => w.priority !== undefined)
    .sort((a, b) => a.priority - b.priority);

  for (const { pod, group } of work) {
    if (retryAfterMs !== undefined) break;
    try {
      let outcome: PodSyncOutcome;
      if (pod.metadata?.deletionTimestamp !== undefined) {
        outcome = await syncPod(deps, pod, undefined, options.abortSignal);
      } else if (group === undefined) {
        // A running pod's missing group is read before the pod is failed for it: that read is budgeted.
        if (pod.status?.phase === "Running") {
          if (gets >= budget) continue;
          gets++;
        }
        outcome = await syncPod(deps, pod, "unlisted", options.abortSignal);
      } else {
        if (gets >= budget) continue;
        gets++;
        outcome = await syncPod(deps, pod, undefined, options.abortSignal);
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    } catch (error) {
      noted(error);
    }
  }
  if (errors.length > 0) deps.log.warn("reconcile finished with errors", { errors: errors.length, first: errors[0] });
  return { pods: pods.length, groups: groups.length, outcomes, gets, orphansDeleted, orphansSpared, errors, retryAfterMs };
}

/**
 * This connector's groups in this cluster on its nodes. A group of another cluster (a connector of the
 * same name sharing the resource group) is never touched; nor is one without a cluster tag, which only
 * an older version of the connector can have made.
 */
function ours(deps: PodSyncDependencies, group: ContainerGroupSummary): boolean {
  const t = group.tags;
  return t[tagNames.connector] === deps.translation.connectorName && t[tagNames.clusterId] === deps.translation.clusterId && deps.nodes.has(t[tagNames.node] ?? "");
}

/** Whether the pod a group was made for (its tags name it) is bound to the group's node right now. */
async function ownerStillBound(deps: PodSyncDependencies, group: ContainerGroupSummary, abortSignal?: AbortSignal): Promise<boolean> {
  const { [tagNames.namespace]: namespace, [tagNames.podName]: name, [tagNames.uid]: uid, [tagNames.node]: node } = group.tags;
  if (namespace === undefined || name === undefined || node === undefined) return false;
  const pod = await deps.podsAs(node).findPodOnNode({ namespace, name }, node, { abortSignal });
  return pod !== undefined && pod.metadata?.uid === uid;
}

/** 0: read this tick (can be changing); 1: read if the budget allows (its rotation slot); undefined: skip. */
function readPriority(pod: V1Pod, group: ContainerGroupSummary, tick: number, rotation: number): 0 | 1 | undefined {
  const phase = pod.status?.phase;
  if (changing.has(group.provisioningState ?? "Pending") || phase === undefined || phase === "Pending") return 0;
  const finished = group.provisioningState === "Succeeded" || group.provisioningState === "Failed";
  // A finished pod on a finished group: nothing can change any more, so it is never polled.
  if ((phase === "Succeeded" || phase === "Failed") && finished) return undefined;
  return inRotation(group.name, tick, rotation) ? 1 : undefined;
}

/** Each group gets one slot in `rotation` ticks, spread by a hash of its name: stateless between runs. */
function inRotation(name: string, tick: number, rotation: number): boolean {
  const slot = createHash("sha256").update(name).digest().readUInt32BE(0) % rotation;
  return tick % rotation === slot;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
