// What the connector does for one pod bound to one of its virtual nodes, whoever asks (a webhook
// doorbell, an ARM event, or reconcile): create the pod's container group, report its status, finish its
// deletion. Every step is idempotent and safe to repeat, in any order.
import type { V1ConfigMap, V1Pod, V1PodStatus, V1Secret } from "@kubernetes/client-node";
import type { ContainerGroups, WireContainerGroup } from "../aci/container-groups.js";
import { AciError } from "../aci/errors.js";
import type { LocationCapabilities } from "../aci/location-capabilities.js";
import { aciDefaultCreationRates } from "../aci/location-health.js";
import type { PodClient } from "../kube/pod-client.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";
import { telemetryOf, secondsBetween, type Telemetry } from "../telemetry/telemetry.js";
import type { ArmContainerGroup } from "../translate/arm-types.js";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../translate/container-group-to-pod-status.js";
import { containerGroupName } from "../translate/naming.js";
import { podToContainerGroup, type TranslationSettings } from "../translate/pod-to-container-group.js";
import { TranslationError } from "../translate/problems.js";
import { mandatoryReferenceEvent, skippedReferenceEvents, waitingForReferencesStatus } from "../translate/missing-references.js";
import { referencedNames } from "../translate/references.js";
import { evictedPodStatus, evictedReason, isEvicted, spotEvictionOf, type SpotEviction } from "../translate/spot-eviction.js";
import { createdCondition, nextCreateAttempt, refusedCondition } from "./create-backoff.js";

export interface PodSyncDependencies {
  /** The Kubernetes calls for pods bound to a node, made as that node (node-identity.ts). */
  readonly podsAs: (node: string) => PodClient;
  readonly groups: ContainerGroups;
  /** What the region can run, read once in a while and kept (a pod's size is checked against it). */
  readonly capabilities: LocationCapabilities;
  readonly clock: Clock;
  readonly log: Logger;
  readonly translation: TranslationSettings;
  /** The connector's nodes and their OS. */
  readonly nodes: ReadonlyMap<string, "Linux" | "Windows">;
  /** Where each sync is traced and its latencies measured; nothing is recorded without it. */
  readonly telemetry?: Telemetry;
}

/** The reason on the status of a pod ACI cannot run; the message lists every problem. */
export const refusedReason = "UnsupportedPodSpec";
export const groupLostReason = "ContainerGroupNotFound";
/** The reason on a pending pod whose container group ARM refused; the message has ARM's words. */
export const createFailedReason = "ProviderCreateFailed";
/** The reason on a pending pod whose create waits because ARM throttles the connector's writes. */
export const creationThrottledReason = "ContainerGroupCreationThrottled";
/**
 * Said once per pod while it waits (no time in it, so the same words are not written again every tick):
 * a creation-rate limit is ACI's quota, raised by a support request; ARM's own write limit passes by itself.
 */
export const creationThrottledMessage = `ARM is throttling the connector's container group creations (ACI allows ${aciDefaultCreationRates} by default; a quota request raises them): the group is created when ARM allows it again`;

export type PodSyncOutcome = "created" | "refused" | "create-failed" | "backing-off" | "status-updated" | "evicted" | "unchanged" | "deleting" | "deleted" | "ignored";

export const groupNameOf = (pod: V1Pod) =>
  containerGroupName({ namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! });

/**
 * What is known of a pod's container group: its GET result; "unlisted" when this tick's list did not
 * have it (a list can be older than the pod's group, so an unlisted group is read again before a pod
 * is failed for it); or undefined to have it read here.
 */
export type KnownGroup = WireContainerGroup | "unlisted" | undefined;

export interface SyncOptions {
  /** The pod was read a moment ago (a doorbell's, an event's): no need to read it again before a PUT. */
  readonly podIsFresh?: boolean;
  /** When the webhook rang the doorbell this sync answers: the PUT it leads to is timed from it. */
  readonly rungAt?: Date;
}

/** Brings one pod and its group together: one span of telemetry per pod on the connector's nodes. */
export async function syncPod(deps: PodSyncDependencies, pod: V1Pod, group: KnownGroup, abortSignal?: AbortSignal, sync: SyncOptions = {}): Promise<PodSyncOutcome> {
  const node = pod.spec?.nodeName;
  if (node === undefined || !deps.nodes.has(node)) return "ignored";
  const identity = { namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid!, node };
  return telemetryOf(deps).podSync(identity, () => syncBoundPod(deps, pod, node, group, abortSignal, sync));
}

async function syncBoundPod(deps: PodSyncDependencies, pod: V1Pod, node: string, group: KnownGroup, abortSignal: AbortSignal | undefined, sync: SyncOptions): Promise<PodSyncOutcome> {
  const name = groupNameOf(pod);
  if (pod.metadata?.deletionTimestamp !== undefined) return finishDeletion(deps, pod, node, abortSignal);
  // An evicted pod's group goes, as a kubelet kills an evicted pod's containers: ACI restarts an evicted
  // Spot group by itself, and it would run and bill for a pod that is Failed for good. No read first.
  if (isEvicted(pod)) return group === "unlisted" ? "unchanged" : removeEvictedGroup(deps, pod, name, abortSignal);
  const phase = pod.status?.phase;
  // An unlisted group is read before a running pod is failed for it; a pending pod's PUT of the same
  // name is harmless, and a finished pod needs nothing, so neither costs a read.
  const readFirst = group === undefined || (group === "unlisted" && phase === "Running");
  const current = readFirst ? await deps.groups.get(name, { abortSignal }) : group === "unlisted" ? undefined : group;

  if (current === undefined) {
    if (phase === "Succeeded" || phase === "Failed") return "unchanged";
    if (phase === "Running") {
      // Its group vanished under it (deleted outside the connector), confirmed by a GET just now: say so;
      // never recreate it silently.
      return (await writeStatus(deps, pod, node, { phase: "Failed", reason: groupLostReason, message: `container group ${name} no longer exists in ACI` }, abortSignal))
        ? "status-updated"
        : "unchanged";
    }
    return createGroup(deps, pod, node, sync, abortSignal);
  }
  const eviction = spotEvictionOf(current);
  if (eviction !== undefined) return evict(deps, pod, node, current, eviction, abortSignal);
  const status = containerGroupToPodStatus(current as ObservedContainerGroup, pod, deps.clock.now());
  if (!(await writeStatus(deps, pod, node, status, abortSignal))) return "unchanged";
  if (status.phase === "Running" && pod.status?.phase !== "Running") timeRunningSeen(deps, status);
  for (const e of transitionEvents(pod.status, status)) await event(deps, pod, node, "Warning", e.reason, e.note, abortSignal);
  return "status-updated";
}

/**
 * ACI evicted the pod's Spot group: the pod fails as a kubelet's evicted pod does (its controller, a
 * ReplicaSet say, makes a new one), then its group is deleted.
 */
async function evict(deps: PodSyncDependencies, pod: V1Pod, node: string, group: WireContainerGroup, eviction: SpotEviction, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  const now = deps.clock.now();
  const status = evictedPodStatus(containerGroupToPodStatus(group as ObservedContainerGroup, pod, now), eviction, now);
  if (await writeStatus(deps, pod, node, status, abortSignal)) await event(deps, pod, node, "Warning", evictedReason, status.message!, abortSignal);
  deps.log.warn("pod evicted with its Spot container group", { namespace: pod.metadata!.namespace, pod: pod.metadata!.name, group: groupNameOf(pod) });
  await removeEvictedGroup(deps, pod, groupNameOf(pod), abortSignal);
  return "evicted";
}

async function removeEvictedGroup(deps: PodSyncDependencies, pod: V1Pod, name: string, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  if ((await deps.groups.delete(name, { abortSignal })) !== "absent") deps.log.info("evicted pod's container group deleted", { namespace: pod.metadata!.namespace, pod: pod.metadata!.name, group: name });
  return "evicted";
}

/** What a user must hear about when the status moves: an image that cannot be pulled, a failed group. */
function transitionEvents(before: V1PodStatus | undefined, after: V1PodStatus): { reason: string; note: string }[] {
  const events: { reason: string; note: string }[] = [];
  for (const c of after.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    const was = before?.containerStatuses?.find((b) => b.name === c.name)?.state?.waiting?.reason;
    if (waiting?.reason === "ErrImagePull" && was !== "ErrImagePull") events.push({ reason: "ErrImagePull", note: `container ${c.name}: ${waiting.message ?? "the image could not be pulled"}` });
  }
  if (after.reason === "ProviderFailed" && before?.reason !== "ProviderFailed") events.push({ reason: "ProviderFailed", note: after.message ?? "the container group failed" });
  return events;
}

/**
 * The pod just turned Running: how long after ACI's containers started (the latest start: the group runs
 * once all of them do) did its status say so. How stale the connector's view of a start is.
 */
function timeRunningSeen(deps: PodSyncDependencies, status: V1PodStatus): void {
  const starts = (status.containerStatuses ?? []).flatMap((c) => (c.state?.running?.startedAt === undefined ? [] : [new Date(c.state.running.startedAt).getTime()]));
  if (starts.length === 0) return;
  telemetryOf(deps).aciRunningToPodRunning(secondsBetween(new Date(Math.max(...starts)), deps.clock.now()));
}

async function createGroup(deps: PodSyncDependencies, listed: V1Pod, node: string, sync: SyncOptions, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  const fresh = sync.podIsFresh === true;
  const now = deps.clock.now();
  const retryAt = nextCreateAttempt(listed.status?.conditions);
  if (retryAt !== undefined && retryAt > now) return "backing-off";
  const pods = deps.podsAs(node);
  const ns = listed.metadata!.namespace!;
  // The pod as it is now, not as a list of up to a tick ago had it: a pod deleted (or replaced by a
  // namesake) since must not get a group, or a Job's container would run again.
  const pod = fresh ? listed : await pods.findPodOnNode({ namespace: ns, name: listed.metadata!.name! }, node, { abortSignal });
  if (pod === undefined || pod.metadata?.uid !== listed.metadata?.uid || pod.metadata?.deletionTimestamp !== undefined) return "ignored";
  const freshRetryAt = nextCreateAttempt(pod.status?.conditions);
  if (freshRetryAt !== undefined && freshRetryAt > now) return "backing-off";

  const wanted = referencedNames(pod);
  const secrets = new Map<string, V1Secret>();
  const configMaps = new Map<string, V1ConfigMap>();
  for (const s of wanted.secrets) {
    const secret = await pods.getSecret({ namespace: ns, name: s }, { abortSignal });
    if (secret !== undefined) secrets.set(s, secret);
  }
  for (const c of wanted.configMaps) {
    const configMap = await pods.getConfigMap({ namespace: ns, name: c }, { abortSignal });
    if (configMap !== undefined) configMaps.set(c, configMap);
  }
  const region = await deps.capabilities.read();
  // Not known (ARM failed, and never answered before): no refusal on a guess, ACI decides the size.
  if ("unknown" in region) deps.log.warn("region capabilities unknown: ACI decides the group's size", { namespace: ns, pod: pod.metadata!.name, error: region.unknown });
  let body: ArmContainerGroup;
  let name: string;
  try {
    const translation = podToContainerGroup({
      pod,
      references: { secrets, configMaps },
      node: { name: node, os: deps.nodes.get(node)! },
      settings: deps.translation,
      ...("capabilities" in region && { capabilities: region.capabilities }),
    });
    ({ body, name } = translation);
    for (const notice of translation.notices) await event(deps, pod, node, "Normal", "Adapted", notice, abortSignal);
    for (const skipped of skippedReferenceEvents(translation.skippedReferences)) await event(deps, pod, node, "Warning", skipped.reason, skipped.note, abortSignal);
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    return error.problems.every((p) => p.missingReference !== undefined) ? waitForReferences(deps, pod, node, error, abortSignal) : refuse(deps, pod, node, error, abortSignal);
  }
  try {
    await deps.groups.createOrUpdate(name, body, { abortSignal });
    if (sync.rungAt !== undefined) telemetryOf(deps).doorbellToPut(secondsBetween(sync.rungAt, deps.clock.now()));
  } catch (error) {
    // Throttling is remembered for every call (arm-throttle.ts), and an error without an answer from ARM
    // (deadline, network) says nothing about this pod: both are retried by the next reconcile.
    if (error instanceof AciError && error.kind === "throttled") {
      await tellCreationThrottled(deps, pod, node, abortSignal);
      throw error;
    }
    if (!(error instanceof AciError) || error.details.statusCode === undefined) throw error;
    return createRefused(deps, pod, node, error, abortSignal);
  }
  const created = containerGroupToPodStatus({ ...body, name, properties: { ...body.properties, provisioningState: "Pending" } }, pod, deps.clock.now());
  await writeStatus(deps, pod, node, { ...created, conditions: [...(created.conditions ?? []), createdCondition(deps.clock.now())] }, abortSignal);
  await event(deps, pod, node, "Normal", "ContainerGroupCreated", `created container group ${name} in ${deps.translation.location}`, abortSignal);
  deps.log.info("container group created", { namespace: ns, pod: pod.metadata!.name, group: name });
  return "created";
}

/**
 * A pod ACI cannot run as written. An unsupported spec never changes: with restartPolicy Never or
 * OnFailure the pod fails; with Always it stays Pending, saying why (a ReplicaSet would replace a Failed
 * pod at once, and the new one would fail the same way, in a loop).
 */
async function refuse(deps: PodSyncDependencies, pod: V1Pod, node: string, error: TranslationError, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  const message = error.problems.map((p) => `${p.path}: ${p.message}`).join("; ");
  const waits = pod.spec?.restartPolicy === "Always" || pod.spec?.restartPolicy === undefined;
  if (await writeStatus(deps, pod, node, { phase: waits ? "Pending" : "Failed", reason: refusedReason, message }, abortSignal)) {
    await event(deps, pod, node, "Warning", refusedReason, message, abortSignal);
    deps.log.warn("pod refused", { namespace: pod.metadata!.namespace, pod: pod.metadata!.name, problems: error.problems.length });
  }
  return "refused";
}

/**
 * A pod whose only problems are Secrets or ConfigMaps that do not exist (yet): it waits, as a kubelet
 * waits, whatever its restartPolicy (kube-root-ca.crt appears just after its namespace, a Secret is often
 * applied after the Deployment); the next doorbell or reconcile tick tries again.
 */
async function waitForReferences(deps: PodSyncDependencies, pod: V1Pod, node: string, error: TranslationError, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  if (await writeStatus(deps, pod, node, waitingForReferencesStatus(pod, error.problems), abortSignal)) {
    for (const e of error.problems.map((p) => mandatoryReferenceEvent(p.missingReference!))) await event(deps, pod, node, "Warning", e.reason, e.note, abortSignal);
    deps.log.warn("pod waits for Secrets or ConfigMaps", { namespace: pod.metadata!.namespace, pod: pod.metadata!.name, missing: error.problems.length });
  }
  return "refused";
}

/**
 * ARM answered the PUT with an error it will give again until something changes (a 400, a missing
 * resource group, a refused identity or subnet, a body too large, a region out of capacity): tell the
 * user in ARM's words, and try again only after the pod's back-off (create-backoff.ts), so a few such
 * pods cannot spend the connector's whole write budget.
 */
async function createRefused(deps: PodSyncDependencies, pod: V1Pod, node: string, error: AciError, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  const now = deps.clock.now();
  const condition = refusedCondition(pod.status?.conditions, now, error.details.code ?? `HTTP${error.details.statusCode}`, error.message);
  const next = nextCreateAttempt([condition])!;
  const message = `${error.message} (next attempt after ${next.toISOString().slice(0, 19)}Z)`;
  await writeStatus(deps, pod, node, { phase: "Pending", reason: createFailedReason, message, conditions: [condition] }, abortSignal);
  await event(deps, pod, node, "Warning", createFailedReason, message, abortSignal);
  deps.log.warn("container group refused by ARM", { namespace: pod.metadata!.namespace, pod: pod.metadata!.name, status: error.details.statusCode, code: error.details.code, next: next.toISOString() });
  return "create-failed";
}

/**
 * Tells a pod waiting for its container group that ARM throttles creations: its status says so (Pending,
 * with a reason kubectl shows) and a Warning Event, once while the wait lasts. Only a pod with nothing
 * else to say: a refusal or a missing Secret is its own, truer story. Never fails the caller.
 */
export async function tellCreationThrottled(deps: PodSyncDependencies, pod: V1Pod, node: string, abortSignal?: AbortSignal): Promise<void> {
  const reason = pod.status?.reason;
  if ((reason !== undefined && reason !== creationThrottledReason) || pod.status?.phase !== "Pending") return;
  try {
    const written = await writeStatus(deps, pod, node, { phase: "Pending", reason: creationThrottledReason, message: creationThrottledMessage }, abortSignal);
    // Rewording a pod already told (an earlier version's words) is no news: one Warning per wait.
    if (written && reason === undefined) await event(deps, pod, node, "Warning", creationThrottledReason, creationThrottledMessage, abortSignal);
  } catch (error) {
    deps.log.warn("could not tell a pod its creation waits", { namespace: pod.metadata?.namespace, pod: pod.metadata?.name, error: (error as Error).message });
  }
}

/** A kubelet's part in deletion: stop the containers (delete the group), then delete the pod for good. */
async function finishDeletion(deps: PodSyncDependencies, pod: V1Pod, node: string, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  const name = groupNameOf(pod);
  const result = await deps.groups.delete(name, { abortSignal });
  if (result === "deleting") return "deleting";
  const ref = { namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! };
  await deps.podsAs(node).deletePodNow(ref, { abortSignal });
  deps.log.info("pod deleted", { namespace: ref.namespace, pod: ref.name, group: name });
  return "deleted";
}

/**
 * Writes status only when it says something new, and only to this pod (not a namesake created since);
 * returns whether it wrote.
 */
async function writeStatus(deps: PodSyncDependencies, pod: V1Pod, node: string, status: V1PodStatus, abortSignal?: AbortSignal): Promise<boolean> {
  if (!statusChanged(pod.status, status)) return false;
  // A merge patch keeps a field it does not mention: a reason and message that no longer hold (a refusal
  // before the group was created, say, or ContainersNotReady on a Ready condition now True) are removed
  // explicitly, on the pod and on each condition (conditions merge by type).
  const conditions = status.conditions?.map((c) => clearingStale(pod.status?.conditions?.find((b) => b.type === c.type), c));
  const ref = { namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! };
  return deps.podsAs(node).patchPodStatus(ref, { ...clearingStale(pod.status, status), ...(conditions && { conditions }) }, { abortSignal });
}

/** `after`, with null (delete, in a merge patch) for each reason or message `before` had and `after` has not. */
function clearingStale<T extends { reason?: string; message?: string }>(before: T | undefined, after: T): T {
  const stale = (["reason", "message"] as const).filter((k) => after[k] === undefined && before?.[k] !== undefined);
  return { ...after, ...Object.fromEntries(stale.map((k) => [k, null])) };
}

/** Compares what a user sees (phase, reason, message, IP, each container's state), not timestamps of conditions. */
export function statusChanged(before: V1PodStatus | undefined, after: V1PodStatus): boolean {
  // The API server keeps times to the second: compare at that precision, or every tick would rewrite.
  const seconds = (_key: string, value: unknown) => (typeof value === "string" ? value.replace(/^(\d{4}-\d\d-\d\dT[\d:]+)\.\d+Z$/, "$1Z") : value);
  const view = (s: V1PodStatus | undefined) =>
    JSON.stringify({
      phase: s?.phase,
      reason: s?.reason,
      message: s?.message,
      podIP: s?.podIP,
      ready: s?.conditions?.find((c) => c.type === "Ready")?.status,
      // The API server gives back an empty lastState ({}) for a container that never ended: no last state.
      containers: (s?.containerStatuses ?? []).map((c) => ({ n: c.name, s: c.state, l: isEmpty(c.lastState) ? undefined : c.lastState, r: c.restartCount, ready: c.ready })),
      init: (s?.initContainerStatuses ?? []).map((c) => ({ n: c.name, s: c.state })),
    }, seconds);
  return view(before) !== view(after);
}

function isEmpty(value: object | undefined): boolean {
  return value === undefined || Object.keys(value).length === 0;
}

async function event(deps: PodSyncDependencies, pod: V1Pod, node: string, type: "Normal" | "Warning", reason: string, note: string, abortSignal?: AbortSignal): Promise<void> {
  try {
    await deps.podsAs(node).recordEvent({ pod, type, reason, note, reportingInstance: node }, { abortSignal });
  } catch (error) {
    // An Event is a courtesy: failing to record one must not fail the work it reports.
    deps.log.warn("event not recorded", { reason, error: (error as Error).message });
  }
}
