// The connector's part in the cluster, applied with the installer's own rights: the connector's RBAC,
// the webhook that rings its doorbell, and its virtual nodes. Removal takes the nodes of one OS or all
// of them, their pods and container groups, and, with the last node, the RBAC and webhook (those that
// carry the connector's labels: a namesake that does not is someone else's and stays).
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import type { AciHealthProbe } from "../aci/location-health.js";
import type { ContainerGroups } from "../aci/container-groups.js";
import type { NodeOs } from "../config/settings.js";
import { registerVirtualNodes, removeVirtualNode, type NodeRegistration } from "../controller/node-registration.js";
import { applyObjects, deleteLabelledObjects } from "../kube/apply.js";
import { readClusterId } from "../kube/cluster-id.js";
import { createNodeClient } from "../kube/node-client.js";
import { createPodClient } from "../kube/pod-client.js";
import { systemClock } from "../runtime/clock.js";
import { tagNames } from "../translate/naming.js";
import { virtualNodesOf } from "../translate/virtual-node.js";
import { readPackageVersion } from "../version.js";
import { connectorLabels, renderConnectorRbac, renderPodWebhook } from "./manifests.js";
import { quotaReport } from "./quota-report.js";

export const allNodeOs: readonly NodeOs[] = ["Linux", "Windows"];

export interface ClusterSideTarget {
  /** The installer's access to the cluster (cluster-admin or equivalent). */
  readonly kube: KubeConfig;
  readonly connectorName: string;
  readonly location: string;
}

export interface ClusterInstall extends ClusterSideTarget {
  /** The identity the functions use in the cluster (the managed identity's object id on AKS). */
  readonly connectorUser: string;
  readonly webhook: { readonly url: string; readonly caPem?: string };
  readonly aciHealth: AciHealthProbe;
}

export function nodeNamesOf(target: Pick<ClusterSideTarget, "connectorName" | "location">, osTypes: readonly NodeOs[] = allNodeOs): string[] {
  return virtualNodesOf({ ...target, osTypes }).map((n) => n.name);
}

/**
 * Applies RBAC and webhook, then registers the nodes of `osTypes`. The RBAC and the webhook name both
 * of the connector's possible nodes, so installing or removing one OS never rewrites them; the
 * connector can still touch nothing but its own two node names. Safe to repeat.
 */
export async function installClusterSide(target: ClusterInstall, osTypes: readonly NodeOs[], progress: (line: string) => void): Promise<NodeRegistration[]> {
  const nodeNames = nodeNamesOf(target);
  const rbac = renderConnectorRbac({ connectorName: target.connectorName, connectorUser: target.connectorUser, nodeNames });
  await applyObjects(target.kube, rbac);
  progress(`applied the connector's RBAC for ${target.connectorUser}: ${describeObjects(rbac)}`);
  const webhook = renderPodWebhook({ connectorName: target.connectorName, nodeNames, url: target.webhook.url, ...(target.webhook.caPem !== undefined && { caPem: target.webhook.caPem }) });
  await applyObjects(target.kube, webhook);
  progress(`applied ${describeObjects(webhook)}`);
  progress(quotaReport(await target.aciHealth.probe({ abortSignal: AbortSignal.timeout(30_000) }), target.location));
  const registrations = await registerVirtualNodes(
    {
      nodes: createNodeClient(target.kube),
      aciHealth: target.aciHealth,
      clock: systemClock,
      settings: { connectorName: target.connectorName, location: target.location, capacity: {} },
      packageVersion: readPackageVersion(),
    },
    osTypes,
  );
  for (const r of registrations) progress(`${r.registered ? "registered" : "already registered"}: node ${r.node}${r.ready ? " (Ready)" : ""}`);
  return registrations;
}

export interface ClusterRemoval extends ClusterSideTarget {
  /** The connector's ACI resource group. */
  readonly groups: ContainerGroups;
}

export interface RemovalReport {
  readonly nodes: string[];
  readonly leases: string[];
  readonly pods: string[];
  readonly groups: string[];
  /** RBAC and webhook objects, as Kind/name: removed with the connector's last node. */
  readonly clusterObjects: string[];
}

export interface RemovalOptions {
  readonly progress: (line: string) => void;
  /** How long to wait for ACI to finish deleting the groups (default 5 minutes). */
  readonly groupDeletionTimeoutMs?: number;
  readonly pollIntervalMs?: number;
}

/**
 * Removes the nodes of `osTypes` and everything that ran on them. In this order, so that nothing is
 * left behind even while the functions keep running: the nodes (the scheduler places nothing more on
 * them, and the heartbeat never re-creates them), their pods (a pod gone is a group reconcile deletes
 * too), then the container groups tagged for them, waited for until ACI no longer lists them. A group
 * the functions delete first (a pod's deletion rings their doorbell) is reported all the same: it
 * existed when the removal began and is gone at its end. Safe to repeat.
 */
export async function removeClusterSide(target: ClusterRemoval, osTypes: readonly NodeOs[], options: RemovalOptions): Promise<RemovalReport> {
  const nodes = createNodeClient(target.kube);
  const pods = createPodClient(target.kube);
  const report: RemovalReport = { nodes: [], leases: [], pods: [], groups: [], clusterObjects: [] };
  const removing = nodeNamesOf(target, osTypes);
  // This cluster's groups only: another cluster's connector of the same name may share the resource group.
  const clusterId = await readClusterId(target.kube);
  const ours = async () =>
    (await target.groups.list()).groups.filter(
      (g) => g.tags[tagNames.connector] === target.connectorName && g.tags[tagNames.clusterId] === clusterId && removing.includes(g.tags[tagNames.node] ?? ""),
    );

  for (const name of removing) {
    const removed = await removeVirtualNode(nodes, name);
    if (removed.node) report.nodes.push(name);
    if (removed.lease) report.leases.push(`kube-node-lease/${name}`);
  }
  const groupsAtStart = (await ours()).map((g) => g.name);
  for (const name of removing) {
    for (const pod of await pods.listPodsOnNode(name)) {
      const ref = { namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! };
      if (await pods.deletePodNow(ref)) report.pods.push(`${ref.namespace}/${ref.name}`);
    }
  }

  // Each group is asked once: ACI may refuse a second delete of a group already in transition. A group
  // a function created while this ran (it raced the pod's deletion) is found by the next list.
  const asked = new Set<string>();
  const deadline = Date.now() + (options.groupDeletionTimeoutMs ?? 300_000);
  for (;;) {
    const left = await ours();
    const fresh = left.filter((g) => !asked.has(g.name));
    for (const group of fresh) {
      asked.add(group.name);
      await target.groups.delete(group.name);
    }
    if (fresh.length > 0) continue; // most deletes finish at once: look again before waiting
    if (left.length === 0) break;
    if (Date.now() > deadline) throw new Error(`ACI has not finished deleting ${left.map((g) => g.name).join(", ")}; run remove again to retry`);
    options.progress(`waiting for ACI to delete ${left.length} container group(s)`);
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 2_000));
  }
  report.groups.push(...new Set([...groupsAtStart, ...asked]));

  const remaining = [];
  for (const name of nodeNamesOf(target)) if ((await nodes.getNode(name)) !== undefined) remaining.push(name);
  if (remaining.length === 0) {
    const labels = connectorLabels(target.connectorName);
    const { deleted, kept } = await deleteLabelledObjects(target.kube, connectorClusterObjects(target.connectorName), labels);
    report.clusterObjects.push(...deleted);
    const labelText = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(", ");
    for (const name of kept) options.progress(`left ${name} as it is: it is not labelled as this connector's (${labelText})`);
  } else {
    options.progress(`kept the connector's RBAC and webhook: ${remaining.join(", ")} remains`);
  }
  return report;
}

/** The RBAC and webhook objects of a connector, by identity (what removal deletes, if labelled as its). */
function connectorClusterObjects(connectorName: string): KubernetesObject[] {
  const identity = { connectorName, connectorUser: "-", nodeNames: [], url: "https://-/" };
  return [...renderPodWebhook(identity), ...renderConnectorRbac(identity)];
}

function describeObjects(objects: readonly KubernetesObject[]): string {
  return objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(", ");
}
