// What `aci-connector status` reads, and nothing else: GETs and LISTs of the cluster and one paged list
// of ARM. The ports it is given can only read (Pick<..., "list">, getNode), so no write can slip in.
import { CoordinationV1Api, KubeConfig, type V1Lease } from "@kubernetes/client-node";
import type { ContainerGroups } from "../../shared/aci/container-groups.js";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { nodeNamesOf } from "../../shared/install/cluster-side.js";
import { readClusterId } from "../../shared/kube/cluster-id.js";
import { unlessNotFound } from "../../shared/kube/errors.js";
import { createNodeClient, nodeLeaseNamespace, type NodeClient } from "../../shared/kube/node-client.js";
import { createPodClient, type PodClient } from "../../shared/kube/pod-client.js";
import { requestOptions } from "../../shared/kube/request-options.js";
import type { Clock } from "../../shared/runtime/clock.js";
import { runAz } from "../az.js";
import { resolveAzureCluster } from "../azure-cluster.js";
import type { ConnectorOptions } from "../connector-options.js";
import { openLocalTarget } from "../local-target.js";
import type { StatusObservation } from "./report.js";

/** Where status reads from: the cluster as some user, the connector's container groups, its name and region. */
export interface StatusSource {
  readonly connectorName: string;
  readonly location: string;
  readonly kube: KubeConfig;
  readonly groups: Pick<ContainerGroups, "list">;
}

/** Each read has this long: a screen that waits on a hung call is worse than one that says so. */
const readTimeoutMs = 15_000;

export async function openStatusSource(options: ConnectorOptions): Promise<StatusSource> {
  if (options.local) {
    const target = await openLocalTarget(options);
    return { connectorName: target.state.connectorName, location: target.state.location, kube: options.kubeconfig === undefined ? target.kube : loadKubeconfig(options.kubeconfig), groups: target.groups };
  }
  const cluster = await resolveAzureCluster(options, runAz);
  return {
    connectorName: cluster.connectorName,
    location: cluster.location,
    kube: cluster.kube,
    groups: createContainerGroups(cluster.arm, { subscriptionId: cluster.subscriptionId, resourceGroup: cluster.aciResourceGroup }),
  };
}

function loadKubeconfig(path: string): KubeConfig {
  const kube = new KubeConfig();
  kube.loadFromFile(path);
  return kube;
}

export interface StatusReaders {
  readonly nodes: Pick<NodeClient, "getNode">;
  readonly pods: Pick<PodClient, "listPodsOnNode">;
  readonly lease: (node: string, abortSignal: AbortSignal) => Promise<V1Lease | undefined>;
  readonly clusterId: (abortSignal: AbortSignal) => Promise<string>;
}

export function statusReaders(kube: KubeConfig): StatusReaders {
  const coordination = kube.makeApiClient(CoordinationV1Api);
  return {
    nodes: createNodeClient(kube),
    pods: createPodClient(kube),
    lease: (node, abortSignal) => unlessNotFound(coordination.readNamespacedLease({ name: node, namespace: nodeLeaseNamespace }, requestOptions({ abortSignal }))),
    clusterId: (abortSignal) => readClusterId(kube, { abortSignal }),
  };
}

/**
 * One observation. The groups are listed before the pods: a pod created while status reads is then seen
 * with its group or without one, never as a group without its pod (a false orphan).
 */
export async function collectStatus(source: StatusSource, readers: StatusReaders, clock: Clock): Promise<StatusObservation> {
  const abortSignal = AbortSignal.timeout(readTimeoutMs);
  const clusterId = await readers.clusterId(abortSignal);
  let groups: StatusObservation["groups"];
  try {
    groups = (await source.groups.list({ abortSignal })).groups;
  } catch (error) {
    // The cluster's side is still worth showing when ARM does not answer.
    groups = { error: (error as Error).message };
  }
  const names = nodeNamesOf({ connectorName: source.connectorName, location: source.location });
  const nodes = await Promise.all(
    names.map(async (name) => {
      const node = await readers.nodes.getNode(name, { abortSignal });
      const lease = node === undefined ? undefined : await readers.lease(name, abortSignal);
      return { name, ...(node !== undefined && { node }), ...(lease !== undefined && { lease }) };
    }),
  );
  const pods = (await Promise.all(nodes.filter((n) => n.node !== undefined).map((n) => readers.pods.listPodsOnNode(n.name, { abortSignal })))).flat();
  return { at: clock.now(), connectorName: source.connectorName, location: source.location, clusterId, nodes, pods, groups };
}
