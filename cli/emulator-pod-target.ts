// Which container group and container `--pod NAMESPACE/NAME [--container C]` means: the groups the
// connector tagged with the pod's namespace and name, the newest when the pod was recreated (its old
// group may linger until the connector deletes it), and the pod's only container unless one is named
// (a container or an init container).
import type { GroupSummary } from "../dev/emulator/index.js";
import { tagNames } from "../shared/translate/naming.js";
import type { PodRef } from "./emulator-control-options.js";

export type PodTarget = { readonly group: string; readonly container: string } | { readonly problem: string };

/** The pod's newest container group, or why there is none. */
export function podGroupOf(groups: readonly GroupSummary[], pod: PodRef): GroupSummary | { readonly problem: string } {
  const newest = groups
    .filter((g) => g.tags[tagNames.namespace] === pod.namespace && g.tags[tagNames.podName] === pod.name)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (newest !== undefined) return newest;
  return { problem: `no container group of pod ${pod.namespace}/${pod.name} (tags ${tagNames.namespace}=${pod.namespace}, ${tagNames.podName}=${pod.name}): is it scheduled on a virtual node, and has the connector created its group yet?` };
}

export function podTarget(groups: readonly GroupSummary[], pod: PodRef, container?: string): PodTarget {
  const newest = podGroupOf(groups, pod);
  if ("problem" in newest) return newest;
  const podName = `${pod.namespace}/${pod.name}`;
  const names = newest.containers.join(", ");
  if (container !== undefined) {
    if ([...newest.containers, ...newest.initContainers].includes(container)) return { group: newest.name, container };
    const inits = newest.initContainers.length > 0 ? `; its init containers: ${newest.initContainers.join(", ")}` : "";
    return { problem: `pod ${podName} has no container "${container}"; its containers: ${names}${inits}` };
  }
  if (newest.containers.length === 1) return { group: newest.name, container: newest.containers[0]! };
  return { problem: `pod ${podName} has several containers (${names}): name one with --container` };
}
