// reconcile: for each virtual node, the pods bound to it against the container groups tagged for it.
// Creates what is missing, deletes orphans, finishes deletions and refreshes status, within a budget of
// ARM reads: one paged list, and GETs only for groups whose state can be changing plus a slow rotation
// through the rest. The source of truth: anything a webhook or event missed is repaired here.
import { createHash } from "node:crypto";
import type { V1Pod } from "@kubernetes/client-node";
import type { ContainerGroupSummary } from "../aci/container-groups.js";
import { AciError } from "../aci/errors.js";
import { describeKubeError } from "../kube/errors.js";
import { tagNames } from "../translate/naming.js";
import { groupNameOf, syncPod, type PodSyncDependencies, type PodSyncOutcome } from "./pod-sync.js";

export interface ReconcileOptions {
  /** The tick number (e.g. minutes since epoch × 4 for 15 s ticks): drives the rotation. */
  readonly tick: number;
  /** Every running group is read at least once per this many ticks (default 20: 5 minutes at 15 s). */
  readonly rotationTicks?: number;
  /** At most this many GETs per tick, changing groups first (default 50). */
  readonly maxGetsPerTick?: number;
  readonly abortSignal?: AbortSignal;
}

export interface ReconcileReport {
  readonly pods: number;
  readonly groups: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly gets: number;
  readonly orphansDeleted: readonly string[];
  readonly errors: readonly string[];
  /** Set when ARM throttled this tick: nothing more is sent before this time. */
  readonly retryAfterMs?: number;
}

const changing = new Set(["Pending", "Creating", "Accepted", "Repairing", "Updating"]);

export async function reconcile(deps: PodSyncDependencies, options: ReconcileOptions): Promise<ReconcileReport> {
  const opts = options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal };
  const rotation = options.rotationTicks ?? 20;
  const budget = options.maxGetsPerTick ?? 50;
  const connector = deps.translation.connectorName;

  const pods: V1Pod[] = [];
  for (const node of deps.nodes.keys()) {
    try {
      pods.push(...(await deps.pods.listPodsOnNode(node, opts)));
    } catch (error) {
      // Nothing can be decided without the pods (a group whose pod is unknown is not an orphan yet).
      throw new Error(`reconcile cannot list the pods of ${node}: ${describeKubeError(error)}`, { cause: error });
    }
  }
  const groups = (await deps.groups.list(opts)).filter((g) => g.tags[tagNames.connector] === connector && deps.nodes.has(g.tags[tagNames.node] ?? ""));
  const byName = new Map(groups.map((g) => [g.name, g]));
  const outcomes: Record<string, number> = {};
  const errors: string[] = [];
  let gets = 0;
  let retryAfterMs: number | undefined;

  // Orphans: groups of this connector whose pod (by exact UID) is not bound to one of its nodes.
  const wanted = new Set(pods.map(groupNameOf));
  const orphansDeleted: string[] = [];
  for (const group of groups) {
    if (wanted.has(group.name)) continue;
    try {
      await deps.groups.delete(group.name, opts);
      orphansDeleted.push(group.name);
      deps.log.info("orphaned container group deleted", { group: group.name, pod: `${group.tags[tagNames.namespace]}/${group.tags[tagNames.podName]}` });
    } catch (error) {
      errors.push(describe(error));
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
      if (pod.metadata?.deletionTimestamp !== undefined || group === undefined) {
        outcome = await syncPod(deps, pod, group === undefined ? null : undefined, options.abortSignal);
      } else {
        if (gets >= budget) continue;
        gets++;
        outcome = await syncPod(deps, pod, undefined, options.abortSignal);
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    } catch (error) {
      if (error instanceof AciError && error.kind === "throttled") retryAfterMs = error.details.retryAfterMs ?? 60_000;
      errors.push(describe(error));
    }
  }
  if (errors.length > 0) deps.log.warn("reconcile finished with errors", { errors: errors.length, first: errors[0] });
  return { pods: pods.length, groups: groups.length, outcomes, gets, orphansDeleted, errors, ...(retryAfterMs !== undefined && { retryAfterMs }) };
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
