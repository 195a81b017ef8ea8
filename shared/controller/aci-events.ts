// aciEvents: ARM says a container group was written. Refresh that one pod now instead of at the next
// reconcile. The event names a resource; everything else is read again (never trusted).
//
// Deletions are left to reconcile: a deleted group's tags are gone with it, so finding its pod would
// take a list of every pod on every node per event, and reconcile already checks each pod's group every
// tick (a running pod whose group is missing is read again, then failed, within one period).
import { tagNames } from "../translate/naming.js";
import { syncPod, type PodSyncDependencies, type PodSyncOutcome } from "./pod-sync.js";

export interface ArmResourceEvent {
  readonly eventType: string;
  readonly resourceUri: string;
}

const groupUri = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerInstance\/containerGroups\/([a-z0-9-]{1,63})$/i;
const refreshingEvents = new Set(["Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceWriteFailure"]);

/** The container group an ARM event asks to refresh, or undefined for anything else. */
export function containerGroupOf(event: ArmResourceEvent): { name: string } | undefined {
  const match = groupUri.exec(event.resourceUri);
  if (match === null || !refreshingEvents.has(event.eventType)) return undefined;
  return { name: match[1]!.toLowerCase() };
}

export async function handleArmEvent(deps: PodSyncDependencies, event: ArmResourceEvent, abortSignal?: AbortSignal): Promise<PodSyncOutcome> {
  const target = containerGroupOf(event);
  if (target === undefined) return "ignored";
  // Urgent: this read is what turns a started group into a Running pod; in a burst it goes before the
  // doorbells' and reconcile's reads (arm-pacing.ts).
  const group = await deps.groups.get(target.name, { abortSignal, urgent: true });
  const tags = group?.tags ?? {};
  const node = tags[tagNames.node] ?? "";
  // Only this connector's groups in this cluster: another cluster's connector of the same name may share
  // the resource group.
  if (group === undefined || tags[tagNames.connector] !== deps.translation.connectorName || tags[tagNames.clusterId] !== deps.translation.clusterId || !deps.nodes.has(node)) {
    return "ignored";
  }
  const namespace = tags[tagNames.namespace];
  const name = tags[tagNames.podName];
  if (namespace === undefined || name === undefined) return "ignored";
  const pod = await deps.podsAs(node).findPodOnNode({ namespace, name }, node, { abortSignal });
  // A namesake pod (another UID) is not this group's pod: reconcile deletes the group as an orphan.
  if (pod === undefined || pod.metadata?.uid !== tags[tagNames.uid]) return "ignored";
  return syncPod(deps, pod, group, abortSignal);
}
