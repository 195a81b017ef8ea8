// A container group (ARM GET, with instanceView) as the pod's status. Fixes azure-aci's gaps: a status
// while the group is still being created (ContainerCreating, not silence), exit codes and reasons of
// every terminated container (Completed too), image pull failures as waiting reasons, restart counts
// with the last state, and a provisioning failure as phase Failed with ACI's own words. Init containers
// show as a kubelet shows them (pkg/kubelet/kubelet_pods.go, pkg/kubelet/status/generate.go), so
// `kubectl get pods` prints Init:0/1, PodInitializing, Init:Error or Init:CrashLoopBackOff.
import type { V1ContainerState, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from "@kubernetes/client-node";
import type { ArmContainerGroup } from "./arm-types.js";
import { readObservedGroup, type ObservedEvent, type ObservedInstance, type ObservedState } from "./observed-group.js";
import { isRecord, timeOf } from "./values.js";

export type ObservedContainerGroup = ArmContainerGroup & { readonly id?: string; readonly name?: string };

const provisioning = new Set(["Pending", "Creating", "Accepted", "Repairing", "Updating"]);

/**
 * The pod's status from what a GET of its group returned. Whatever the answer holds, typed as ARM
 * documents it or not, it is read defensively (observed-group.ts): this never throws.
 */
export function containerGroupToPodStatus(answer: ObservedContainerGroup, pod: V1Pod, now: Date): V1PodStatus {
  const group = readObservedGroup(answer);
  const state = group.provisioningState;
  const stillProvisioning = provisioning.has(state);

  // The pod comes from the API server: its containers have names. Anything else is skipped, not thrown on.
  const specContainers = (list: unknown) => (Array.isArray(list) ? list.filter((c): c is { name: string; image?: unknown; readinessProbe?: unknown } => isRecord(c) && typeof c.name === "string") : []);
  const imageOf = (c: { image?: unknown }) => (typeof c.image === "string" ? c.image : "");
  const containers = specContainers(pod.spec?.containers);
  const initContainers = specContainers(pod.spec?.initContainers);

  const statusOf = (name: string, image: string, view: ObservedInstance | undefined, ready: (current: V1ContainerState) => boolean, initializing = false): V1ContainerStatus => {
    const previous = view?.previousState?.state === "Terminated" ? terminatedState(view.previousState) : undefined;
    const current = containerState(view?.currentState, view?.events ?? [], {
      provisioning: stillProvisioning,
      initializing,
      podHasInitContainers: initContainers.length > 0,
      // Waiting after a restart: backing off, whether or not ARM still shows the run that ended.
      backingOff: (view?.restartCount ?? 0) > 0,
    });
    return {
      name,
      image,
      imageID: image,
      containerID: `aci://${group.name}/${name}`,
      ready: ready(current),
      started: current.running !== undefined,
      restartCount: view?.restartCount ?? 0,
      state: current,
      ...(previous !== undefined && { lastState: previous }),
    };
  };

  // As a kubelet says it: an init container is ready once it has exited 0.
  const initContainerStatuses = initContainers.map((c) => statusOf(c.name, imageOf(c), group.initContainers.get(c.name), (s) => s.terminated?.exitCode === 0));
  const incompleteInitContainers = initContainerStatuses.filter((s) => !s.ready).map((s) => s.name);
  // An init container that exited non-zero and is not started again: the pod cannot initialize.
  const initFailed = initContainerStatuses.some((s) => (s.state?.terminated?.exitCode ?? 0) !== 0);
  // Kubernetes starts a pod's containers only after every init container has exited 0, so a container that
  // has started shows that too (ARM may list an init container without its instanceView).
  const initialized =
    incompleteInitContainers.length === 0 ||
    containers.some((c) => ["Running", "Terminated"].includes(group.containers.get(c.name)?.currentState?.state ?? ""));
  const containerStatuses = containers.map((c) => {
    const view = group.containers.get(c.name);
    const hasReadinessProbe = c.readinessProbe !== undefined && c.readinessProbe !== null;
    const ready = (current: V1ContainerState) => current.running !== undefined && (!hasReadinessProbe || !readinessFailedSince(view, current.running.startedAt));
    return statusOf(c.name, imageOf(c), view, ready, !initialized);
  });
  const containersReady = containerStatuses.every((s) => s.ready);
  // A kubelet fails the pod when an init container failed and the pod's restartPolicy is Never (getPhase).
  const phase = initFailed && pod.spec?.restartPolicy === "Never" ? "Failed" : podPhase(state, group.groupState, containerStatuses, initialized);
  // A failed init container says why the group failed, as a kubelet's pod says it: no reason of its own.
  const failure = state === "Failed" && !initFailed ? failureOf([...[...group.initContainers.values(), ...group.containers.values()].flatMap((v) => v?.events ?? []), ...group.groupEvents]) : undefined;

  const previousConditions = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const condition = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition => {
    const status = ok ? "True" : "False";
    const before = previousConditions.find((c) => c?.type === type);
    return {
      type,
      status,
      lastTransitionTime: (before?.status === status && timeOf(before.lastTransitionTime)) || now,
      ...(!ok && { reason }),
      ...(!ok && message !== undefined && { message }),
    };
  };
  return {
    phase,
    ...(failure !== undefined && { reason: "ProviderFailed", message: failure }),
    conditions: [
      condition("PodScheduled", true),
      // The kubelet's words (GeneratePodInitializedCondition): Go prints the names as [a b].
      condition("Initialized", initialized, "ContainersNotInitialized", `containers with incomplete status: [${incompleteInitContainers.join(" ")}]`),
      condition("ContainersReady", containersReady, "ContainersNotReady"),
      condition("Ready", containersReady && phase === "Running", "ContainersNotReady"),
    ],
    containerStatuses,
    ...(initContainerStatuses.length > 0 && { initContainerStatuses }),
    ...(group.ip !== undefined && { podIP: group.ip, podIPs: [{ ip: group.ip }] }),
    startTime: timeOf(pod.status?.startTime) ?? now,
  };
}

/** What decides a waiting container's reason, beyond ACI's own word for it. */
interface WaitingContext {
  /** The group is still being (re)created. */
  readonly provisioning: boolean;
  /** A container of a pod whose init containers have not all completed: it waits for them. */
  readonly initializing: boolean;
  /** A kubelet's default reason for a container not yet created is then PodInitializing, not ContainerCreating. */
  readonly podHasInitContainers: boolean;
  /** It ran, terminated, and waits to be started again. */
  readonly backingOff: boolean;
}

function containerState(state: ObservedState | undefined, events: readonly ObservedEvent[], context: WaitingContext): V1ContainerState {
  // A start time ARM did not give, or gave unreadable, is left out rather than made up (as 1970).
  if (state?.state === "Running") return { running: { ...(state.startTime !== undefined && { startedAt: state.startTime }) } };
  if (state?.state === "Terminated") return terminatedState(state);
  // Waiting, or no state yet: say why, as a kubelet would.
  const pullFailure = [...events].reverse().find((e) => e.type === "Warning" && /pull/i.test(`${e.name} ${e.message ?? ""}`));
  if (pullFailure !== undefined) return { waiting: { reason: "ErrImagePull", message: pullFailure.message ?? "the image could not be pulled" } };
  // A kubelet's reason for a container that waits for the pod's init containers.
  if (context.initializing) return { waiting: { reason: "PodInitializing" } };
  const detail = state?.detailStatus;
  if (detail) return { waiting: { reason: detail } };
  // ACI's Waiting "indicates either init containers are still running, or the container is backing off
  // due to a crash loop" (learn.microsoft.com/azure/container-instances/container-state): the latter is
  // a kubelet's CrashLoopBackOff.
  if (context.backingOff) return { waiting: { reason: "CrashLoopBackOff" } };
  // The kubelet's default for a container not created yet (convertToAPIContainerStatuses).
  if (context.podHasInitContainers) return { waiting: { reason: "PodInitializing" } };
  return { waiting: { reason: context.provisioning || state === undefined ? "ContainerCreating" : "Waiting" } };
}

function terminatedState(state: ObservedState): V1ContainerState {
  const exitCode = state.exitCode ?? 0;
  const reason = state.detailStatus === "OOMKilled" ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error";
  return {
    terminated: {
      exitCode,
      reason,
      ...(state.detailStatus && !["Completed", "Error", "OOMKilled"].includes(state.detailStatus) && { message: state.detailStatus }),
      ...(state.startTime !== undefined && { startedAt: state.startTime }),
      ...(state.finishTime !== undefined && { finishedAt: state.finishTime }),
    },
  };
}

function podPhase(provisioningState: string, groupState: string | undefined, containers: readonly V1ContainerStatus[], initialized: boolean): string {
  if (provisioningState === "Failed") return "Failed";
  if (provisioning.has(provisioningState)) return "Pending";
  if (groupState === "Succeeded") return "Succeeded";
  if (groupState === "Failed" || groupState === "Stopped") return "Failed";
  // Kubernetes: a pod is Pending while its init containers run, Running once its containers are.
  if (initialized && (groupState === "Running" || containers.some((c) => c.state?.running !== undefined))) return "Running";
  return "Pending";
}

/** ACI's own account of a failed provisioning: its latest warning event. */
function failureOf(events: readonly ObservedEvent[]): string {
  const warning = [...events].reverse().find((e) => e.type === "Warning");
  return warning?.message ?? "the container group failed to provision";
}

/** A readiness probe failure reported after the container last started (ACI reports them as events). */
function readinessFailedSince(view: ObservedInstance | undefined, startedAt: Date | undefined): boolean {
  return (view?.events ?? []).some(
    (e) => /readiness probe failed|unhealthy/i.test(`${e.name} ${e.message ?? ""}`) && (startedAt === undefined || (e.lastTimestamp !== undefined && e.lastTimestamp >= startedAt)),
  );
}
