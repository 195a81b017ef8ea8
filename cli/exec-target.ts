// Which container `exec` runs in, or why it cannot: the pod must be on one of the connector's virtual
// nodes, running, and the container named (or the only one) and running. Pure: the pod and its node in,
// the container or a sentence out, in kubectl exec's own words where it has them.
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { virtualNodeTaint } from "../shared/translate/virtual-node.js";

/** The label the connector puts on its virtual nodes (shared/translate/virtual-node.ts). */
const connectorLabel = "aci-connector.io/connector";

export type ExecContainer = { readonly ok: true; readonly container: string } | { readonly ok: false; readonly problem: string };

/**
 * `node`: the pod's node as read, undefined when it does not exist, "unreadable" when the user may not
 * read nodes (then the container group's name, derived from the pod's UID, is what ties it to the pod).
 */
export function execContainer(pod: V1Pod, node: V1Node | undefined | "unreadable", container?: string): ExecContainer {
  const ref = `${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name ?? ""}`;
  const refuse = (problem: string): ExecContainer => ({ ok: false, problem });
  const nodeName = pod.spec?.nodeName;
  if (nodeName === undefined || nodeName === "") return refuse(`pod ${ref} is not scheduled on a node yet: it runs in Azure Container Instances once it is bound to a virtual node`);
  if (node !== "unreadable" && !isVirtualNode(node)) {
    return refuse(`pod ${ref} runs on node ${nodeName}, which is not a virtual node of aci-connector${node === undefined ? " (no such node)" : ""}: use kubectl exec for it`);
  }
  const phase = pod.status?.phase ?? "Unknown";
  if (phase === "Succeeded" || phase === "Failed") return refuse(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  if (phase !== "Running") return refuse(`pod ${ref} is not running (phase ${phase}): a command can only be executed in a running container`);
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  let chosen = container;
  if (chosen === undefined) {
    if (names.length !== 1) return refuse(`a container name must be specified for pod ${ref}, choose one of: [${names.join(" ")}] (-c NAME)`);
    chosen = names[0]!;
  } else if (!names.includes(chosen)) {
    const init = (pod.spec?.initContainers ?? []).some((c) => c.name === chosen);
    return refuse(
      init
        ? `container ${chosen} is an init container of pod ${ref}: it has finished before the pod ran; choose one of: [${names.join(" ")}]`
        : `container ${chosen} is not valid for pod ${ref}; choose one of: [${names.join(" ")}]`,
    );
  }
  const status = pod.status?.containerStatuses?.find((s) => s.name === chosen);
  if (status?.state?.running === undefined) {
    const waiting = status?.state?.waiting?.reason;
    const terminated = status?.state?.terminated;
    const why = terminated !== undefined ? `terminated with exit code ${terminated.exitCode}` : waiting !== undefined ? `waiting: ${waiting}` : "not started";
    return refuse(`container ${chosen} of pod ${ref} is not running (${why}): a command can only be executed in a running container`);
  }
  return { ok: true, container: chosen };
}

/** One of aci-connector's virtual nodes: its label and the virtual-kubelet taint it registers with. */
export function isVirtualNode(node: V1Node | undefined): boolean {
  if (node === undefined) return false;
  const labels = node.metadata?.labels ?? {};
  const tainted = (node.spec?.taints ?? []).some((t) => t.key === virtualNodeTaint.key && t.effect === virtualNodeTaint.effect);
  return labels.type === "virtual-kubelet" && labels[connectorLabel] !== undefined && tainted;
}
