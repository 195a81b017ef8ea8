// Registering and removing virtual nodes: what `aci-connector install` and `remove` do with the
// installer's own credentials. The heartbeat only keeps registered nodes alive and never creates one, so
// a node that `remove` deleted stays deleted (docs/decisions/node-registration.md).
import type { V1Node, V1NodeCondition } from "@kubernetes/client-node";
import type { AciHealth, AciHealthProbe } from "../aci/location-health.js";
import type { NodeOs, Settings } from "../config/settings.js";
import { isConflict } from "../kube/errors.js";
import type { NodeClient } from "../kube/node-client.js";
import type { Clock } from "../runtime/clock.js";
import { buildVirtualNode, virtualNodeName } from "../translate/virtual-node.js";
import { nodeCapacity } from "./node-capacity.js";
import { desiredTaints, nodeConditions } from "./node-conditions.js";

export type NodeSettings = Pick<Settings, "connectorName" | "location" | "capacity" | "kubeletEndpoint">;

/** As a kubelet's: the node lifecycle controller allows a Lease this long before it suspects the node. */
export const leaseDurationSeconds = 40;

export interface DesiredNodeInput {
  readonly settings: NodeSettings;
  readonly os: NodeOs;
  /** This tick's ARM probe. */
  readonly health: AciHealth;
  readonly previousConditions: readonly V1NodeCondition[] | undefined;
  /** What the node offers now: kept when the probe read no quota (throttled, failed). */
  readonly previousCapacity?: Readonly<Record<string, string>>;
  readonly now: Date;
  readonly kubernetesVersion: string;
  readonly packageVersion: string;
}

/** The node as it should be now: capacity from ACI's quotas, AciAvailable from whether ARM answers. */
export function desiredVirtualNode(input: DesiredNodeInput): V1Node & { status: NonNullable<V1Node["status"]> } {
  const { settings, health } = input;
  const conditions = nodeConditions(health, input.previousConditions, input.now);
  const built = buildVirtualNode({
    connectorName: settings.connectorName,
    os: input.os,
    location: settings.location,
    capacity: nodeCapacity(health.healthy ? health.quota : undefined, settings.capacity, input.previousCapacity),
    kubernetesVersion: input.kubernetesVersion,
    packageVersion: input.packageVersion,
    kubeletEndpoint: settings.kubeletEndpoint,
  });
  const taints = desiredTaints(built.spec?.taints, conditions) ?? built.spec?.taints;
  return { ...built, spec: { ...built.spec, taints }, status: { ...built.status, conditions } };
}

/**
 * Whether the node advertises the kubelet endpoint the settings name (or none when none is set): a node
 * registered before KUBELET_ENDPOINT was set, or with another, gets its status at the next tick instead
 * of at the next periodic post (up to a minute without `kubectl logs`).
 */
export function advertisesKubeletEndpoint(node: V1Node, settings: Pick<NodeSettings, "kubeletEndpoint">): boolean {
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const endpoint = settings.kubeletEndpoint;
  if (endpoint === undefined) return port === 0;
  const addresses = node.status?.addresses ?? [];
  return port === endpoint.port && addresses.length > 0 && addresses.every((a) => a.address === endpoint.host);
}

export interface NodeRegistrationDependencies {
  readonly nodes: NodeClient;
  readonly aciHealth: AciHealthProbe;
  readonly clock: Clock;
  readonly settings: NodeSettings;
  readonly packageVersion: string;
}

export interface NodeRegistration {
  readonly node: string;
  /** False when the node was already registered (it is left as it is: the heartbeat owns its status). */
  readonly registered: boolean;
  readonly ready: boolean;
}

/** Creates each missing virtual node with its status and Lease. Safe to repeat. */
export async function registerVirtualNodes(
  deps: NodeRegistrationDependencies,
  osTypes: readonly NodeOs[],
  options: { abortSignal?: AbortSignal } = {},
): Promise<NodeRegistration[]> {
  // Read only when a node is missing: a repeated install of registered nodes costs no ARM call.
  let facts: { health: AciHealth; kubernetesVersion: string } | undefined;
  const factsOnce = async () => (facts ??= { health: await deps.aciHealth.probe(options), kubernetesVersion: await deps.nodes.serverVersion(options) });
  const results: NodeRegistration[] = [];
  for (const os of osTypes) {
    const name = virtualNodeName({ connectorName: deps.settings.connectorName, location: deps.settings.location, os });
    let node = await deps.nodes.getNode(name, options);
    let registered = false;
    if (node === undefined) {
      const now = deps.clock.now();
      const { health, kubernetesVersion } = await factsOnce();
      try {
        node = await deps.nodes.createNode(
          desiredVirtualNode({ settings: deps.settings, os, health, previousConditions: undefined, now, kubernetesVersion, packageVersion: deps.packageVersion }),
          options,
        );
        registered = true;
      } catch (error) {
        // Another install registered it a moment ago: the node exists, which is all that was asked.
        if (!isConflict(error)) throw error;
        node = await deps.nodes.getNode(name, options);
        if (node === undefined) throw error;
      }
      // The Lease at once, so the node lifecycle controller counts the node alive from its first look.
      await deps.nodes.renewLease({ nodeName: name, nodeUid: node.metadata!.uid!, durationSeconds: leaseDurationSeconds, renewTime: now }, options);
    }
    const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
    results.push({ node: name, registered, ready });
  }
  return results;
}

/** Removes a virtual node and its Lease; reports what existed. Safe to repeat. */
export async function removeVirtualNode(
  nodes: NodeClient,
  name: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<{ node: boolean; lease: boolean }> {
  // The Lease first: once the node is gone, the garbage collector may take its Lease before we can
  // report it. A heartbeat that re-creates the Lease in between makes one owned by the node: GC takes it.
  const lease = await nodes.deleteLease(name, options);
  const node = await nodes.deleteNode(name, options);
  return { node, lease };
}
