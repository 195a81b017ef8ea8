// podEvents: a doorbell rang for one pod. Read the pod (the event itself is never trusted) and sync it.
import type { V1Pod } from "@kubernetes/client-node";
import { AciError } from "../aci/errors.js";
import type { PodChanged } from "../relay/pod-changed.js";
import { containerGroupName } from "../translate/naming.js";
import { syncPod, type PodSyncDependencies, type PodSyncOutcome } from "./pod-sync.js";

/**
 * A binding's doorbell rings while the binding is admitted, before it is stored, and the API server's
 * node graph relates the pod to its node a moment after that: look after 50 ms, then 100, 200, 400 and
 * 800 ms more, by GET only (one object) but for the last look, which also lists the node's pods and so
 * decides (see findPodOnNode).
 */
const bindingLookups = { attempts: 5, firstDelayMs: 50 } as const;

/** `rungAt`: when the webhook rang (the event's time), to time the PUT it leads to. */
export async function handlePodChanged(deps: PodSyncDependencies, event: PodChanged, abortSignal?: AbortSignal, rungAt?: Date): Promise<PodSyncOutcome | "orphan-deleted" | "throttled"> {
  // Only this connector's nodes, and only as the node the pod is bound to: a doorbell naming another
  // node (or forged) reads nothing it could not read anyway.
  const nodes = event.node === undefined ? [...deps.nodes.keys()] : deps.nodes.has(event.node) ? [event.node] : [];
  if (nodes.length === 0) return "ignored";
  const pod = await findBoundPod(deps, event, nodes, event.uid === undefined ? bindingLookups.attempts : 1, abortSignal);
  if (pod === undefined || (event.uid !== undefined && pod.metadata?.uid !== event.uid)) {
    // The pod the doorbell named is no longer on this connector's nodes (or was replaced by a namesake).
    // If the event carried its UID, its group's name is known: delete it now rather than at the next
    // reconcile. Only ever that exact name, which only that pod's group can have.
    if (event.uid === undefined) return "ignored";
    const name = containerGroupName({ namespace: event.namespace, name: event.name, uid: event.uid });
    return (await deps.groups.delete(name, { abortSignal })) === "absent" ? "ignored" : "orphan-deleted";
  }
  try {
    return await syncPod(deps, pod, undefined, abortSignal, { podIsFresh: true, ...(rungAt !== undefined && { rungAt }) });
  } catch (error) {
    // ARM is throttling the connector (or its queue for ARM's refill is full, arm-pacing.ts): another
    // delivery would only add to the load, a thousand of them in a burst. Reconcile does what is left
    // at ARM's pace, and a pod whose creation waits has heard why (pod-sync).
    if (error instanceof AciError && error.kind === "throttled") return "throttled";
    throw error;
  }
}

async function findBoundPod(deps: PodSyncDependencies, event: PodChanged, nodes: readonly string[], attempts: number, abortSignal?: AbortSignal): Promise<V1Pod | undefined> {
  for (let attempt = 1; ; attempt++) {
    if (attempts > 1) await new Promise((resolve) => setTimeout(resolve, bindingLookups.firstDelayMs * 2 ** (attempt - 1)));
    abortSignal?.throwIfAborted();
    for (const node of nodes) {
      const pod = await deps.podsAs(node).findPodOnNode({ namespace: event.namespace, name: event.name }, node, { abortSignal, listIfUnrelated: attempt === attempts });
      if (pod !== undefined) return pod;
    }
    if (attempt >= attempts) return undefined;
  }
}
