// aciEvents: ARM says a container group was written or deleted. Refresh that one pod now instead of at
// the next reconcile. The event names a resource; everything else is read again (never trusted).
import { tagNames } from "../translate/naming.js";
import { groupNameOf, syncPod, type PodSyncDependencies, type PodSyncOutcome } from "./pod-sync.js";

export interface ArmResourceEvent {
  readonly eventType: string;
  readonly resourceUri: string;
}

const groupUri = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerInstance\/containerGroups\/([a-z0-9-]{1,63})$/i;

/** The container group an ARM event is about, or undefined for anything else. */
export function containerGroupOf(event: ArmResourceEvent): { name: string; deleted: boolean } | undefined {
  const match = groupUri.exec(event.resourceUri);
  if (match === null) return undefined;
  if (event.eventType === "Microsoft.Resources.ResourceWriteSuccess") return { name: match[1]!.toLowerCase(), deleted: false };
  if (event.eventType === "Microsoft.Resources.ResourceDeleteSuccess") return { name: match[1]!.toLowerCase(), deleted: true };
  return undefined;
}

export async function handleArmEvent(deps: PodSyncDependencies, event: ArmResourceEvent, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  const target = containerGroupOf(event);
  if (target === undefined) return "ignored";
  const opts = abortSignal === undefined ? {} : { abortSignal };
  if (!target.deleted) {
    const group = await deps.groups.get(target.name, opts);
    const tags = group?.tags ?? {};
    if (group === undefined || tags[tagNames.connector] !== deps.translation.connectorName) return "ignored";
    const pod = await deps.pods.getPod({ namespace: tags[tagNames.namespace] ?? "", name: tags[tagNames.podName] ?? "" }, opts);
    // A namesake pod (another UID) is not this group's pod: reconcile deletes the group as an orphan.
    if (pod === undefined || pod.metadata?.uid !== tags[tagNames.uid]) return "ignored";
    return syncPod(deps, pod, group, abortSignal);
  }
  // A deleted group's tags are gone with it: find its pod among the pods on this connector's nodes.
  for (const node of deps.nodes.keys()) {
    const pod = (await deps.pods.listPodsOnNode(node, opts)).find((p) => groupNameOf(p) === target.name);
    if (pod !== undefined) return syncPod(deps, pod, null, abortSignal);
  }
  return "ignored";
}
