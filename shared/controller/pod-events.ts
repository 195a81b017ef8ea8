// podEvents: a doorbell rang for one pod. Read the pod (the event itself is never trusted) and sync it.
import type { PodChanged } from "../relay/pod-changed.js";
import { containerGroupName } from "../translate/naming.js";
import { syncPod, type PodSyncDependencies, type PodSyncOutcome } from "./pod-sync.js";

export async function handlePodChanged(deps: PodSyncDependencies, event: PodChanged, abortSignal?: AbortSignal): Promise<PodSyncOutcome | "orphan-deleted"> {
  const opts = abortSignal === undefined ? {} : { abortSignal };
  const pod = await deps.pods.getPod({ namespace: event.namespace, name: event.name }, opts);
  if (pod === undefined || (event.uid !== undefined && pod.metadata?.uid !== event.uid)) {
    // The pod the doorbell named is gone (or replaced by a namesake). If the event carried its UID, its
    // group's name is known: delete it now rather than at the next reconcile. Only ever that exact name.
    if (event.uid === undefined) return "ignored";
    const name = containerGroupName({ namespace: event.namespace, name: event.name, uid: event.uid });
    return (await deps.groups.delete(name, opts)) === "absent" ? "ignored" : "orphan-deleted";
  }
  return syncPod(deps, pod, undefined, abortSignal);
}
