// reconcile: for each virtual node, the pods bound to it against the container groups tagged for it.
// Creates what is missing, deletes orphans, finishes deletions and refreshes status, within a share of
// ARM's read refill: the paged list (not every tick at scale: group-list-memory.ts), GETs of the groups
// whose state can be changing, and with what is left a rotation through the running pods, least
// recently read first. The source of truth: anything a webhook or event missed is repaired here.
//
// It works from lists that age while it runs, so nothing is destroyed on their word alone: a group
// missing from the pod list is deleted only once its own pod is confirmed gone, a running pod is failed
// only once a GET confirms its group is gone, and a group is created only for the pod as it is now.
import type { V1Pod } from "@kubernetes/client-node";
import { armBudget } from "../aci/arm-budget.js";
import type { ContainerGroupSummary } from "../aci/container-groups.js";
import { AciError } from "../aci/errors.js";
import { armRequestKinds, type ArmRequestKind } from "../aci/arm-throttle.js";
import { describeKubeError } from "../kube/errors.js";
import { forEachAtMost } from "../runtime/for-each-at-most.js";
import { telemetryOf, podPhases, secondsBetween, type PodPhase } from "../telemetry/telemetry.js";
import { tagNames } from "../translate/naming.js";
import { isEvicted } from "../translate/spot-eviction.js";
import { groupNameOf, syncPod, tellCreationThrottled, type PodSyncDependencies, type PodSyncOutcome } from "./pod-sync.js";
import { leastRecentlyReadFirst, type ReadLedger } from "./read-ledger.js";
import type { GroupListMemory, KeptList } from "./group-list-memory.js";

export interface ReconcileOptions {
  /** ARM reads this tick may spend, list pages included (readsPerTick of the share and the period). */
  readonly readsPerTick: number;
  /** The reconcile timer's period: running pods are re-read every `period × running / reads left` seconds. */
  readonly periodSeconds: number;
  /** Reads this process has sent to ARM so far (the ARM client's meter): the tick spends by this count. */
  readonly readsSent: () => number;
  /** What ARM last said remains of its read bucket, shared with the principal's other tools. */
  readonly readsRemaining?: () => number | undefined;
  /** When each group was last read, kept between ticks. */
  readonly ledger: ReadLedger;
  /** The last list of container groups, kept between ticks so that it need not be read every tick. */
  readonly groupList: GroupListMemory;
  /** How long a request of the kind would wait now in this instance's pacing of ARM (arm-pacing.ts). */
  readonly armWaitMs?: (kind: ArmRequestKind) => number;
  /**
   * How long the tick has until its deadline (`abortSignal`'s), in real time as the pacing's waits are:
   * a sync whose requests would wait past it is not begun.
   */
  readonly timeLeftMs?: () => number;
  readonly abortSignal?: AbortSignal;
}

export interface ReconcileReport {
  readonly pods: number;
  readonly groups: number;
  /** Whether this tick listed the container groups; else it worked from the last list (group-list-memory.ts). */
  readonly listed: boolean;
  readonly outcomes: Readonly<Record<string, number>>;
  /** ARM reads sent during the tick (by the meter: lists, GETs, and any other function of this instance). */
  readonly reads: number;
  /** Running pods on settled groups, and how many of them were read again this tick. */
  readonly rotation: { readonly running: number; readonly read: number };
  /**
   * At this tick's pace, every running pod's status is re-read at least this often (seconds): how late
   * a container's exit can be seen. Undefined when no read was left for them.
   */
  readonly refreshSeconds?: number;
  readonly orphansDeleted: readonly string[];
  /** Groups not in the pod list whose pod turned out to be there after all (bound while the lists were read). */
  readonly orphansSpared: readonly string[];
  readonly errors: readonly string[];
  /** Set when ARM throttled this tick: nothing more is sent before this time. */
  readonly retryAfterMs?: number;
  /** Per node, the pods whose container group's creation ARM held back this tick (its creation quota or write limit). */
  readonly creationsWaiting: Readonly<Record<string, number>>;
}

/** The reads a tick may spend: `share` of ARM's refill over one period (187 at half and 15 s). */
export function readsPerTick(share: number, periodSeconds: number): number {
  return Math.floor(share * armBudget.buckets.reads.refillPerSecond * periodSeconds);
}

const changing = new Set(["Pending", "Creating", "Accepted", "Repairing", "Updating"]);
/** ARM's terminal provisioning states (the resource provider contract): nothing more happens to the group. */
const terminal = new Set(["Succeeded", "Failed", "Canceled"]);

interface Work {
  readonly pod: V1Pod;
  readonly group: ContainerGroupSummary | undefined;
}

/** One tick, timed by its outcome (ok, errors, or failed when it could not even list the pods). */
export async function reconcile(deps: PodSyncDependencies, options: ReconcileOptions): Promise<ReconcileReport> {
  const telemetry = telemetryOf(deps);
  const started = deps.clock.now();
  try {
    const report = await reconcileTick(deps, options);
    telemetry.reconcileTick(secondsBetween(started, deps.clock.now()), report.errors.length > 0 ? "errors" : "ok");
    return report;
  } catch (error) {
    telemetry.reconcileTick(secondsBetween(started, deps.clock.now()), "failed");
    throw error;
  } finally {
    options.ledger.tickEnded(options.readsSent());
  }
}

async function reconcileTick(deps: PodSyncDependencies, options: ReconcileOptions): Promise<ReconcileReport> {
  const opts = { abortSignal: options.abortSignal };
  const readsAtStart = options.readsSent();
  const spent = () => options.readsSent() - readsAtStart;
  // What the instance's other functions read since the last tick ended (aciEvents, the kubelet API) comes
  // out of the rotation's reads too, so the share holds over the whole period and not only while a tick
  // runs. The urgent reads are not held back for it: a pod waiting for its group must not wait for that.
  const readsBetweenTicks = readsAtStart - (options.ledger.readsAtTickEnd() ?? readsAtStart);
  const outcomes: Record<string, number> = {};
  const errors: string[] = [];
  const orphansDeleted: string[] = [];
  const orphansSpared: string[] = [];
  let retryAfterMs: number | undefined;
  // ARM's buckets are per kind: a throttled write (a burst of creates) stops the creates, not the reads.
  // A throttling of no named kind stops everything.
  const throttled = new Set<ArmRequestKind>();
  const creationsWaiting: Record<string, number> = Object.fromEntries([...deps.nodes.keys()].map((node) => [node, 0]));
  const waitsForCreation = (pod: V1Pod) => void (creationsWaiting[pod.spec!.nodeName!] = (creationsWaiting[pod.spec!.nodeName!] ?? 0) + 1);
  // Stops these kinds for the rest of the tick, and reports the longest wait for them.
  const stop = (kinds: readonly ArmRequestKind[], waitMs: number) => {
    for (const kind of kinds) throttled.add(kind);
    retryAfterMs = Math.max(retryAfterMs ?? 0, waitMs);
  };
  const noted = (error: unknown, work?: Work) => {
    if (error instanceof AciError && error.kind === "throttled") {
      const kind = error.details.throttledKind;
      stop(kind === undefined ? armRequestKinds : [kind], error.details.retryAfterMs ?? armBudget.defaultRetryAfterMs);
      if (kind === "writes" && work !== undefined && needsCreation(work)) waitsForCreation(work.pod);
    }
    errors.push(describe(error));
  };
  const pods: V1Pod[] = [];
  let listed = false;
  const report = (groups: number, rotation: ReconcileReport["rotation"], refreshSeconds?: number): ReconcileReport => ({
    pods: pods.length,
    groups,
    listed,
    outcomes,
    reads: spent(),
    rotation,
    refreshSeconds,
    orphansDeleted,
    orphansSpared,
    errors,
    retryAfterMs,
    creationsWaiting,
  });

  for (const node of deps.nodes.keys()) {
    try {
      pods.push(...(await deps.podsAs(node).listPodsOnNode(node, opts)));
    } catch (error) {
      // Nothing can be decided without the pods (a group whose pod is unknown is not an orphan yet).
      throw new Error(`reconcile cannot list the pods of ${node}: ${describeKubeError(error)}`, { cause: error });
    }
  }
  telemetryOf(deps).podsByPhase(countByPhase(pods));
  let list: KeptList | undefined = options.groupList.reuse();
  if (list === undefined) {
    try {
      // Its cost is its own pages: the meter would also count what other functions read meanwhile.
      const { groups, pages } = await deps.groups.list(opts);
      list = options.groupList.remember(groups.filter((g) => ours(deps, g)), pages, options.readsPerTick);
      listed = true;
    } catch (error) {
      noted(error);
      return report(0, { running: 0, read: 0 });
    }
  }
  const groups = list.groups;
  const byName = new Map(groups.map((g) => [g.name, g]));
  if (listed) options.ledger.keepOnly(new Set(groups.map((g) => g.name)));

  // Orphans: groups of this connector whose pod (by exact UID) is not bound to one of its nodes, looked
  // for right after a list only (a kept list names groups deleted since). The pod list is older than the
  // group list, so a candidate's own pod is looked up once more first.
  const wanted = new Set(pods.map(groupNameOf));
  for (const group of listed ? groups : []) {
    if (wanted.has(group.name) || throttled.has("deletes")) continue;
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

  // First the pods whose group can be changing (or is missing, or going), every tick within the budget;
  // then running pods on settled groups, least recently read first, with what is left.
  const urgent: Work[] = [];
  const settled: Work[] = [];
  for (const pod of pods) {
    const group = byName.get(groupNameOf(pod));
    const kind = pod.metadata?.deletionTimestamp !== undefined || group === undefined ? "urgent" : readKind(pod, group);
    if (kind === "urgent") urgent.push({ pod, group });
    else if (kind === "settled") settled.push({ pod, group });
  }
  let rotationReads = 0;
  // The meter counts a read once it is sent; the syncs running at once may not have sent theirs yet, so
  // each read is also counted here as it is decided.
  const readsAfterList = spent();
  let readsDecided = 0;
  const takeRead = (rotation: boolean) => {
    if (Math.max(spent(), readsAfterList + readsDecided) + (rotation ? readsBetweenTicks : 0) >= options.readsPerTick) return false;
    readsDecided++;
    return true;
  };
  // Others share ARM's bucket (other tools of the principal, and in a burst this connector's doorbells
  // and events): reads of groups that exist can wait, since a group's write raises an event anyway;
  // creations and deletions go on.
  const bucketLow = () => (options.readsRemaining?.() ?? Number.POSITIVE_INFINITY) < armBudget.reads.keepInBucket;

  // In a burst the doorbells fill this instance's line for ARM's refill (writes at 10 a second): a sync
  // that would wait past the tick's deadline would only be cut off there, after spending a read. Like a
  // throttling by ARM, the kind stops for the rest of the tick, and pods waiting for a group hear why.
  const stoppedPastDeadline = (kind: ArmRequestKind) => {
    const waitMs = options.armWaitMs?.(kind) ?? 0;
    if (options.timeLeftMs === undefined || waitMs <= options.timeLeftMs()) return false;
    stop([kind], waitMs);
    errors.push(`this instance's ${kind} to ARM are spoken for ${Math.ceil(waitMs / 1000)} s ahead, past the tick's deadline: the rest wait for the next tick`);
    return true;
  };
  const attempted = new Set<Work>();
  let leftAtDeadline = 0;
  const sync = async (work: Work, rotation: boolean) => {
    // Past the tick's deadline every call would fail at once: the rest waits for the next tick, counted
    // as one error rather than one per pod (ten thousand in a burst).
    if (options.abortSignal?.aborted) return void leftAtDeadline++;
    // Every kind is looked at (no short cut): each one held back this tick is known, and said once.
    if (kindsOf(work).filter((kind) => throttled.has(kind) || stoppedPastDeadline(kind)).length > 0) return;
    attempted.add(work);
    const { pod, group } = work;
    try {
      let outcome: PodSyncOutcome;
      if (pod.metadata?.deletionTimestamp !== undefined) {
        outcome = await syncPod(deps, pod, undefined, options.abortSignal);
      } else if (group === undefined) {
        // A running pod's missing group is read before the pod is failed for it, and so is the group of
        // a pod the kept list cannot show (bound since), before one is made: both reads are budgeted. A
        // finished pod needs nothing.
        const finished = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
        const known = listed || finished ? "unlisted" : undefined;
        if ((pod.status?.phase === "Running" || known === undefined) && !takeRead(false)) return;
        outcome = await syncPod(deps, pod, known, options.abortSignal);
      } else {
        if (bucketLow() || !takeRead(rotation)) return;
        if (rotation) rotationReads++;
        options.ledger.record(group.name, deps.clock.now().getTime());
        outcome = await syncPod(deps, pod, undefined, options.abortSignal);
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    } catch (error) {
      noted(error, work);
    }
  };
  await forEachAtMost(armBudget.syncConcurrency, urgent, (w) => sync(w, false));
  await forEachAtMost(armBudget.syncConcurrency, leastRecentlyReadFirst(options.ledger, settled, (w) => w.group!.name), (w) => sync(w, true));
  // Writes throttled: every pod still waiting for its group hears why (once; no ARM call). Those whose
  // create was tried this tick heard it from their own sync.
  if (throttled.has("writes")) {
    const waiting = urgent.filter((w) => needsCreation(w) && !attempted.has(w));
    for (const { pod } of waiting) waitsForCreation(pod);
    // Past the deadline each write would fail: they hear it at the next tick.
    if (!options.abortSignal?.aborted) await forEachAtMost(armBudget.syncConcurrency, waiting, ({ pod }) => tellCreationThrottled(deps, pod, pod.spec!.nodeName!, options.abortSignal));
  }

  if (leftAtDeadline > 0) errors.push(`the tick's deadline passed with ${leftAtDeadline} pods not synced: they wait for the next tick`);
  const refreshSeconds = refreshSecondsOf(settled.length, rotationReads, list, listed, options.periodSeconds);
  if (errors.length > 0) deps.log.warn("reconcile finished with errors", { errors: errors.length, first: errors[0] });
  return report(groups.length, { running: settled.length, read: rotationReads }, refreshSeconds);
}

/**
 * Every running pod is re-read at least this often at this tick's pace (seconds), or undefined when no
 * read was left for them. The list's pages count at their average over its ticks, not on the tick that
 * paid them, so the figure holds from tick to tick.
 */
function refreshSecondsOf(running: number, rotationReads: number, list: KeptList, listed: boolean, periodSeconds: number): number | undefined {
  if (running <= rotationReads) return periodSeconds;
  if (rotationReads === 0) return undefined;
  const readsPerRound = Math.max(1, rotationReads + (listed ? list.pages : 0) - list.pages / list.everyTicks);
  return Math.ceil(running / readsPerRound) * periodSeconds;
}

/** The kinds of ARM request a pod's sync may send: a deletion deletes, a creation reads and writes, the rest read. */
function kindsOf(work: Work): readonly ArmRequestKind[] {
  if (work.pod.metadata?.deletionTimestamp !== undefined) return ["deletes"];
  return work.group === undefined ? ["reads", "writes"] : ["reads"];
}

/** Pods by phase; a pod without one yet is Pending, as the API server defaults it. */
function countByPhase(pods: readonly V1Pod[]): Record<PodPhase, number> {
  const counts = Object.fromEntries(podPhases.map((phase) => [phase, 0])) as Record<PodPhase, number>;
  for (const pod of pods) {
    const phase = pod.status?.phase ?? "Pending";
    counts[(podPhases as readonly string[]).includes(phase) ? (phase as PodPhase) : "Unknown"]++;
  }
  return counts;
}

/** A pod that is not going and has no group yet: what it waits for is its group's creation. */
function needsCreation(work: Work): boolean {
  return work.group === undefined && work.pod.metadata?.deletionTimestamp === undefined;
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

/** "urgent": read every tick (can be changing); "settled": read in the rotation; "finished": never read again. */
function readKind(pod: V1Pod, group: ContainerGroupSummary): "urgent" | "settled" | "finished" {
  const phase = pod.status?.phase;
  // Its group is still there (ACI restarts an evicted Spot group): it goes at the next sync.
  if (isEvicted(pod)) return "urgent";
  if (changing.has(group.provisioningState ?? "Pending") || phase === undefined || phase === "Pending") return "urgent";
  // A finished pod on a finished group: nothing can change any more, so it is never polled.
  return (phase === "Succeeded" || phase === "Failed") && terminal.has(group.provisioningState ?? "") ? "finished" : "settled";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
