// A pod waiting for a Secret or ConfigMap that does not exist (yet), told in the words the tools know.
// A kubelet keeps such a pod Pending with each container waiting as `CreateContainerConfigError` and a
// message such as `secret "x" not found` (kubelet_pods.go, makeEnvironmentVariables); the
// virtual-kubelet core library, which azure-aci runs on, also records the Events
// `MandatorySecretNotFound`, `MandatoryConfigMapKeyNotFound`, ... and, for an optional reference the pod
// runs without, `OptionalSecretNotFound`, ... (internal/podutils/env.go). Alerts match those reasons.
// An image pull Secret that does not exist never holds a pod back: the kubelet pulls without it and warns
// `FailedToRetrieveImagePullSecret` (kubelet_pods.go, getPullSecretsForPod; the wording as
// kubernetes.io's "Pull an Image from a Private Registry" quotes it).
import type { V1Container, V1ContainerStatus, V1Pod, V1PodStatus } from "@kubernetes/client-node";
import type { MissingReference, Problem, SkippedReference } from "./problems.js";

export const configErrorReason = "CreateContainerConfigError";

export interface ReferenceEvent {
  readonly reason: string;
  readonly note: string;
}

/** The kubelet's words: `secret "x" not found`, `couldn't find key k in ConfigMap ns/x`. */
export function kubeletMessage(ref: MissingReference, namespace: string): string {
  if (ref.key !== undefined) return `couldn't find key ${ref.key} in ${ref.kind} ${namespace}/${ref.name}`;
  return `${ref.kind.toLowerCase()} "${ref.name}" not found`;
}

/** virtual-kubelet's Event for a required reference that does not exist. */
export function mandatoryReferenceEvent(ref: MissingReference): ReferenceEvent {
  const kind = ref.kind.toLowerCase();
  if (ref.key !== undefined) return { reason: `Mandatory${ref.kind}KeyNotFound`, note: `key "${ref.key}" does not exist in ${kind} "${ref.name}"` };
  return { reason: `Mandatory${ref.kind}NotFound`, note: `${kind} "${ref.name}" not found` };
}

/** The Warnings for the references a pod runs without: one per optional reference, one for all missing pull Secrets. */
export function skippedReferenceEvents(refs: readonly SkippedReference[]): ReferenceEvent[] {
  const pullSecrets = refs.filter((r) => r.path.startsWith("spec.imagePullSecrets["));
  const events = refs.filter((r) => !pullSecrets.includes(r)).map(optionalReferenceEvent);
  if (pullSecrets.length === 0) return events;
  const names = pullSecrets.map((r) => r.name).join(", ");
  return [...events, { reason: "FailedToRetrieveImagePullSecret", note: `Unable to retrieve some image pull secrets (${names}); attempting to pull the image may not succeed.` }];
}

/** virtual-kubelet's Event for an optional reference the pod runs without. */
function optionalReferenceEvent(ref: SkippedReference): ReferenceEvent {
  const kind = ref.kind.toLowerCase();
  const what = ref.key !== undefined ? `key "${ref.key}" does not exist in ${kind} "${ref.name}"` : `${kind} "${ref.name}" not found`;
  const skipping = ref.envName !== undefined ? `skipping optional envvar "${ref.envName}": ` : `${ref.path}: `;
  return { reason: `Optional${ref.kind}${ref.key !== undefined ? "Key" : ""}NotFound`, note: `${skipping}${what}` };
}

/**
 * The status of a pod whose every problem is a missing reference: Pending, each container waiting as a
 * kubelet shows it. A container's message names what it lacks itself, or else what the pod lacks (a
 * volume), or else what its siblings lack: ACI creates a group's containers
 * together, so none runs until all can.
 */
export function waitingForReferencesStatus(pod: V1Pod, problems: readonly Problem[]): V1PodStatus {
  const namespace = pod.metadata?.namespace ?? "";
  const messagesAt = (prefix: string) => [...new Set(problems.filter((p) => p.path.startsWith(prefix)).map((p) => kubeletMessage(p.missingReference!, namespace)))];
  const podWide = messagesAt("spec.volumes");
  const all = messagesAt("");
  const waiting = (c: V1Container, path: string): V1ContainerStatus => {
    const own = messagesAt(`${path}.`);
    return {
      name: c.name,
      image: c.image ?? "",
      imageID: "",
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: configErrorReason, message: [own, podWide, all].find((m) => m.length > 0)!.join("; ") } },
    };
  };
  const initContainers = pod.spec?.initContainers ?? [];
  return {
    phase: "Pending",
    containerStatuses: (pod.spec?.containers ?? []).map((c, i) => waiting(c, `spec.containers[${i}]`)),
    ...(initContainers.length > 0 && { initContainerStatuses: initContainers.map((c, i) => waiting(c, `spec.initContainers[${i}]`)) }),
  };
}
