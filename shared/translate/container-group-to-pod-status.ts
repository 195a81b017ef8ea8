// A container group (ARM GET, with instanceView) as the pod's status. Fixes azure-aci's gaps: a status
// while the group is still being created (ContainerCreating, not silence), exit codes and reasons of
// every terminated container (Completed too), image pull failures as waiting reasons, restart counts
// with the last state, and a provisioning failure as phase Failed with ACI's own words.
import type { V1ContainerState, V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from "@kubernetes/client-node";
import type { ArmContainerGroup, ArmContainerInstanceView, ArmContainerState, ArmEvent } from "./arm-types.js";

export type ObservedContainerGroup = ArmContainerGroup & { readonly id?: string; readonly name?: string };

const provisioning = new Set(["Pending", "Creating", "Accepted", "Repairing", "Updating"]);

export function containerGroupToPodStatus(group: ObservedContainerGroup, pod: V1Pod, now: Date): V1PodStatus {
  const props = group.properties;
  const state = props.provisioningState ?? "Pending";
  const groupName = group.name ?? "";
  const byName = new Map((props.containers ?? []).map((c) => [c.name, c.properties.instanceView]));
  const initByName = new Map((props.initContainers ?? []).map((c) => [c.name, c.properties.instanceView]));
  const stillProvisioning = provisioning.has(state);

  const statusOf = (name: string, image: string, view: ArmContainerInstanceView | undefined, hasReadinessProbe: boolean): V1ContainerStatus => {
    const current = containerState(view?.currentState, view?.events ?? [], stillProvisioning);
    const previous = view?.previousState?.state === "Terminated" ? containerState(view.previousState, [], false) : undefined;
    const running = current.running !== undefined;
    return {
      name,
      image,
      imageID: image,
      containerID: `aci://${groupName}/${name}`,
      ready: running && (!hasReadinessProbe || !readinessFailedSince(view, current.running?.startedAt)),
      started: running,
      restartCount: view?.restartCount ?? 0,
      state: current,
      ...(previous !== undefined && { lastState: previous }),
    };
  };

  const containerStatuses = (pod.spec?.containers ?? []).map((c) => statusOf(c.name, c.image ?? "", byName.get(c.name), c.readinessProbe !== undefined));
  const initContainerStatuses = (pod.spec?.initContainers ?? []).map((c) => statusOf(c.name, c.image ?? "", initByName.get(c.name), false));
  const initialized = initContainerStatuses.every((s) => s.state?.terminated?.exitCode === 0);
  const containersReady = containerStatuses.every((s) => s.ready);
  const phase = podPhase(state, props.instanceView?.state, containerStatuses);
  const failure = state === "Failed" ? failureOf(props.containers.flatMap((c) => c.properties.instanceView?.events ?? []).concat(props.instanceView?.events ?? [])) : undefined;

  const previousConditions = pod.status?.conditions ?? [];
  const condition = (type: string, ok: boolean, reason?: string): V1PodCondition => {
    const status = ok ? "True" : "False";
    const before = previousConditions.find((c) => c.type === type);
    return {
      type,
      status,
      lastTransitionTime: before?.status === status && before.lastTransitionTime !== undefined ? new Date(before.lastTransitionTime) : now,
      ...(!ok && reason !== undefined && { reason }),
    };
  };
  const ip = props.ipAddress?.ip;
  return {
    phase,
    ...(failure !== undefined && { reason: "ProviderFailed", message: failure }),
    conditions: [
      condition("PodScheduled", true),
      condition("Initialized", initialized, "ContainersNotInitialized"),
      condition("ContainersReady", containersReady, "ContainersNotReady"),
      condition("Ready", containersReady && phase === "Running", "ContainersNotReady"),
    ],
    containerStatuses,
    ...(initContainerStatuses.length > 0 && { initContainerStatuses }),
    ...(ip !== undefined && { podIP: ip, podIPs: [{ ip }] }),
    startTime: pod.status?.startTime === undefined ? now : new Date(pod.status.startTime),
  };
}

function containerState(state: ArmContainerState | undefined, events: readonly ArmEvent[], provisioningGroup: boolean): V1ContainerState {
  if (state?.state === "Running") return { running: { startedAt: dateOf(state.startTime) } };
  if (state?.state === "Terminated") {
    const exitCode = state.exitCode ?? 0;
    const reason = state.detailStatus === "OOMKilled" ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error";
    return {
      terminated: {
        exitCode,
        reason,
        ...(state.detailStatus && !["Completed", "Error", "OOMKilled"].includes(state.detailStatus) && { message: state.detailStatus }),
        ...(state.startTime !== undefined && { startedAt: dateOf(state.startTime) }),
        ...(state.finishTime !== undefined && { finishedAt: dateOf(state.finishTime) }),
      },
    };
  }
  // Waiting, or no state yet: say why, as a kubelet would.
  const pullFailure = [...events].reverse().find((e) => e.type === "Warning" && /pull/i.test(`${e.name} ${e.message}`));
  if (pullFailure !== undefined) return { waiting: { reason: "ErrImagePull", message: pullFailure.message ?? "the image could not be pulled" } };
  const detail = state?.detailStatus;
  if (detail) return { waiting: { reason: detail } };
  return { waiting: { reason: provisioningGroup || state === undefined ? "ContainerCreating" : "Waiting" } };
}

function podPhase(provisioningState: string, groupState: string | undefined, containers: readonly V1ContainerStatus[]): string {
  if (provisioningState === "Failed") return "Failed";
  if (provisioning.has(provisioningState)) return "Pending";
  if (groupState === "Succeeded") return "Succeeded";
  if (groupState === "Failed" || groupState === "Stopped") return "Failed";
  if (groupState === "Running" || containers.some((c) => c.state?.running !== undefined)) return "Running";
  return "Pending";
}

/** ACI's own account of a failed provisioning: its latest warning event. */
function failureOf(events: readonly ArmEvent[]): string {
  const warning = [...events].reverse().find((e) => e.type === "Warning");
  return warning?.message ?? "the container group failed to provision";
}

/** A readiness probe failure reported after the container last started (ACI reports them as events). */
function readinessFailedSince(view: ArmContainerInstanceView | undefined, startedAt: Date | undefined): boolean {
  return (view?.events ?? []).some(
    (e) => /readiness probe failed|unhealthy/i.test(`${e.name} ${e.message}`) && (startedAt === undefined || dateOf(e.lastTimestamp) >= startedAt),
  );
}

function dateOf(value: string | undefined): Date {
  return value === undefined ? new Date(0) : new Date(value);
}
