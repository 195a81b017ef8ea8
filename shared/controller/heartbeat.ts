// One heartbeat tick for every virtual node of the connector. First, for each node and on its own
// deadline, the Lease (the liveness signal the node lifecycle controller watches): nothing ARM does may
// delay it. Then, when a status is due, one ARM probe on its own short deadline, the connector's
// NoSchedule taint while ACI is unavailable, and the node's status. A node that is not registered is
// left alone: registering is `install`'s job and removing is `remove`'s (node-registration.ts), so a
// removed node never comes back on its own. Never lists pods or container groups.
import type { V1Node } from "@kubernetes/client-node";
import type { AciHealth, AciHealthProbe } from "../aci/location-health.js";
import type { NodeOs, Settings } from "../config/settings.js";
import { describeKubeError, isConflict } from "../kube/errors.js";
import type { NodeClient } from "../kube/node-client.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";
import { virtualNodesOf } from "../translate/virtual-node.js";
import { aciAvailableType, desiredTaints, statusDue } from "./node-conditions.js";
import { advertisesKubeletEndpoint, desiredVirtualNode, leaseDurationSeconds } from "./node-registration.js";

export interface HeartbeatDependencies {
  /** Node calls made as that node (its kubelet identity): its Node, status and Lease. */
  readonly asNode: (nodeName: string) => NodeClient;
  /** The connector's own identity, which may only change its own taint on its own nodes. */
  readonly taints: NodeClient;
  readonly aciHealth: AciHealthProbe;
  readonly clock: Clock;
  readonly log: Logger;
  readonly settings: Settings;
  readonly packageVersion: string;
}

export interface HeartbeatDeadlines {
  /** The whole tick (the timer's own timeout). */
  readonly abortSignal?: AbortSignal;
  /** Reading each node and renewing its Lease, from the start of the tick. */
  readonly leaseTimeoutMs: number;
  /** The ARM probe, from when it starts. */
  readonly armProbeTimeoutMs: number;
}

export type NodeHeartbeat =
  | { readonly node: string; readonly outcome: "renewed" | "status-posted" | "not-registered"; readonly aciAvailable?: boolean }
  | { readonly node: string; readonly outcome: "failed"; readonly error: string };

export interface HeartbeatReport {
  readonly nodes: readonly NodeHeartbeat[];
  /** Whether ARM was asked this tick (at most once per tick, and only when some status is due). */
  readonly armProbed: boolean;
}

const within = (timeoutMs: number, outer?: AbortSignal) =>
  outer === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([outer, AbortSignal.timeout(timeoutMs)]);

export async function runHeartbeat(deps: HeartbeatDependencies, deadlines: HeartbeatDeadlines): Promise<HeartbeatReport> {
  const { settings, clock } = deps;
  const leaseSignal = within(deadlines.leaseTimeoutMs, deadlines.abortSignal);
  const tickOptions = { abortSignal: deadlines.abortSignal };
  const names = virtualNodesOf({ ...settings, osTypes: settings.nodeOsTypes });

  // The Lease first, for every node at once: this alone keeps the node alive.
  const renewed = await Promise.all(
    names.map(async ({ os, name }) => {
      try {
        const node = await deps.asNode(name).getNode(name, { abortSignal: leaseSignal });
        if (node === undefined) return { os, name, node };
        await deps.asNode(name).renewLease({ nodeName: name, nodeUid: node.metadata!.uid!, durationSeconds: leaseDurationSeconds, renewTime: clock.now() }, { abortSignal: leaseSignal });
        return { os, name, node };
      } catch (error) {
        const message = describeKubeError(error);
        deps.log.error("Lease not renewed", { node: name, error: message });
        return { os, name, error: message };
      }
    }),
  );

  // One ARM probe serves every node of the tick; none when no status is due (the common case).
  const now = clock.now();
  const due = renewed.filter((r) => r.node !== undefined && (statusDue(r.node.status?.conditions, now, settings.nodeStatusIntervalSeconds) || !advertisesKubeletEndpoint(r.node, settings)));
  const health = due.length > 0 ? await deps.aciHealth.probe({ abortSignal: within(deadlines.armProbeTimeoutMs, deadlines.abortSignal) }) : undefined;
  let kubernetesVersion: string | undefined;
  const versionOnce = async () => (kubernetesVersion ??= await deps.asNode(due[0]!.name).serverVersion(tickOptions));

  const results = await Promise.all(
    renewed.map(async (entry): Promise<NodeHeartbeat> => {
      if (entry.error !== undefined) return { node: entry.name, outcome: "failed", error: entry.error };
      if (entry.node === undefined) return { node: entry.name, outcome: "not-registered" };
      if (!due.includes(entry)) return { node: entry.name, outcome: "renewed" };
      try {
        return await postStatus(deps, { os: entry.os, name: entry.name, node: entry.node, health: health!, versionOnce, tickOptions });
      } catch (error) {
        // The Lease is renewed: the node stays alive; the status is posted again next tick.
        const message = describeKubeError(error);
        deps.log.error("node status not posted", { node: entry.name, error: message });
        return { node: entry.name, outcome: "failed", error: message };
      }
    }),
  );
  return { nodes: results, armProbed: health !== undefined };
}

/**
 * The error that fails the timer's invocation, or undefined. A node that failed alone is logged and tried
 * again next tick (its Lease outlives four ticks); a tick that kept no node alive fails, so the platform
 * records a failed invocation and its alerts fire. A node that is not registered keeps nothing alive: it
 * does not hide the failure of the others (with ACI_CONNECTOR_OS_TYPE=Both and only one node installed).
 */
export function heartbeatFailure(report: HeartbeatReport): Error | undefined {
  const failed = report.nodes.filter((n): n is Extract<NodeHeartbeat, { outcome: "failed" }> => n.outcome === "failed");
  const alive = report.nodes.some((n) => n.outcome === "renewed" || n.outcome === "status-posted");
  if (failed.length === 0 || alive) return undefined;
  return new Error(`heartbeat failed for every registered node: ${failed.map((n) => `${n.node}: ${n.error}`).join("; ")}`);
}

interface StatusInput {
  readonly os: NodeOs;
  readonly name: string;
  readonly node: V1Node;
  readonly health: AciHealth;
  readonly versionOnce: () => Promise<string>;
  readonly tickOptions: { abortSignal?: AbortSignal };
}

async function postStatus(deps: HeartbeatDependencies, input: StatusInput): Promise<NodeHeartbeat> {
  const { settings, clock, log } = deps;
  const { node, health, tickOptions } = input;
  const { status } = desiredVirtualNode({
    settings,
    os: input.os,
    health,
    previousConditions: node.status?.conditions,
    previousCapacity: node.status?.capacity,
    now: clock.now(),
    kubernetesVersion: await input.versionOnce(),
    packageVersion: deps.packageVersion,
  });
  const conditions = status.conditions ?? [];
  // The taint before the status: it is a compare-and-swap on the node as read this tick.
  const taints = desiredTaints(node.spec?.taints, conditions);
  if (taints !== undefined) {
    try {
      await deps.taints.replaceNodeTaints(input.name, taints, node.metadata!.resourceVersion!, tickOptions);
    } catch (error) {
      // Someone changed the node since it was read: the next tick reads it again and retries.
      if (!isConflict(error)) throw error;
    }
  }
  await deps.asNode(input.name).patchNodeStatus(input.name, status, tickOptions);

  const was = node.status?.conditions?.find((c) => c.type === aciAvailableType)?.status;
  const is = conditions.find((c) => c.type === aciAvailableType);
  if (was !== is?.status) {
    const fields = { node: input.name, aciAvailable: is?.status, reason: is?.reason, message: is?.message };
    if (is?.status === "True") log.info("ACI available: new pods are placed on the virtual node again", fields);
    else log.warn("ACI not available: new pods are kept off the virtual node (pods on it keep running)", fields);
  }
  return { node: input.name, outcome: "status-posted", aciAvailable: is?.status === "True" };
}
