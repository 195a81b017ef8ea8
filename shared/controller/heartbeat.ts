// One heartbeat tick for every virtual node of the connector: renew its Lease (the liveness signal the
// node lifecycle controller watches), and post its status when a condition may have changed or the last
// post is getting old. A node that is not registered is left alone: registering is `install`'s job and
// removing is `remove`'s (node-registration.ts), so a removed node never comes back on its own. Never
// lists pods or container groups: nothing slow may delay a Lease renewal.
import type { V1Node } from "@kubernetes/client-node";
import type { AciHealth, AciHealthProbe } from "../aci/location-health.js";
import type { NodeOs, Settings } from "../config/settings.js";
import { describeKubeError } from "../kube/errors.js";
import type { NodeClient } from "../kube/node-client.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";
import { virtualNodeName } from "../translate/virtual-node.js";
import { statusDue } from "./node-conditions.js";
import { desiredVirtualNode, leaseDurationSeconds } from "./node-registration.js";

export interface HeartbeatDependencies {
  readonly nodes: NodeClient;
  readonly aciHealth: AciHealthProbe;
  readonly clock: Clock;
  readonly log: Logger;
  readonly settings: Settings;
  readonly packageVersion: string;
}

export type NodeHeartbeat =
  | { readonly node: string; readonly outcome: "renewed" | "status-posted" | "not-registered"; readonly ready?: boolean }
  | { readonly node: string; readonly outcome: "failed"; readonly error: string };

export interface HeartbeatReport {
  readonly nodes: readonly NodeHeartbeat[];
  /** Whether ARM was asked this tick (at most once per tick, and only when some status is due). */
  readonly armProbed: boolean;
}

export async function runHeartbeat(deps: HeartbeatDependencies, options: { abortSignal?: AbortSignal } = {}): Promise<HeartbeatReport> {
  const { settings, clock } = deps;
  const requestOptions = { ...(options.abortSignal !== undefined && { abortSignal: options.abortSignal }) };
  const names = settings.nodeOsTypes.map((os) => ({ os, name: virtualNodeName({ connectorName: settings.connectorName, location: settings.location, os }) }));

  const current = await Promise.all(
    names.map(async ({ os, name }) => {
      try {
        return { os, name, node: await deps.nodes.getNode(name, requestOptions) };
      } catch (error) {
        return { os, name, error: describeKubeError(error) };
      }
    }),
  );

  // One ARM probe serves every node of the tick; none when no status is due (the common case).
  const now = clock.now();
  const needsStatus = current.some((c) => c.node !== undefined && statusDue(c.node.status?.conditions, now, settings.nodeStatusIntervalSeconds));
  const health = needsStatus ? await deps.aciHealth.probe(requestOptions) : undefined;
  let kubernetesVersion: string | undefined;
  const versionOnce = async () => (kubernetesVersion ??= await deps.nodes.serverVersion(requestOptions));

  const results = await Promise.all(
    current.map(async (entry): Promise<NodeHeartbeat> => {
      if (entry.error !== undefined) return { node: entry.name, outcome: "failed", error: entry.error };
      if (entry.node === undefined) return { node: entry.name, outcome: "not-registered" };
      try {
        return await beatOne(deps, { os: entry.os, name: entry.name, node: entry.node, health, versionOnce, requestOptions });
      } catch (error) {
        const message = describeKubeError(error);
        deps.log.error("heartbeat failed", { node: entry.name, error: message });
        return { node: entry.name, outcome: "failed", error: message };
      }
    }),
  );
  return { nodes: results, armProbed: health !== undefined };
}

interface BeatInput {
  readonly os: NodeOs;
  readonly name: string;
  readonly node: V1Node;
  readonly health: AciHealth | undefined;
  readonly versionOnce: () => Promise<string>;
  readonly requestOptions: { abortSignal?: AbortSignal };
}

async function beatOne(deps: HeartbeatDependencies, input: BeatInput): Promise<NodeHeartbeat> {
  const { settings, clock, log } = deps;
  const now = clock.now();
  const { node, health, requestOptions } = input;
  let outcome: NodeHeartbeat["outcome"] = "renewed";

  if (statusDue(node.status?.conditions, now, settings.nodeStatusIntervalSeconds)) {
    if (health === undefined) throw new Error("a node status was due but ARM was not probed"); // cannot happen: see needsStatus
    const { status } = desiredVirtualNode({
      settings,
      os: input.os,
      health,
      previousConditions: node.status?.conditions,
      now,
      kubernetesVersion: await input.versionOnce(),
      packageVersion: deps.packageVersion,
    });
    await deps.nodes.patchNodeStatus(input.name, status, requestOptions);
    outcome = "status-posted";
    const wasReady = node.status?.conditions?.find((c) => c.type === "Ready")?.status;
    const isReady = status.conditions?.find((c) => c.type === "Ready");
    if (wasReady !== isReady?.status) {
      const fields = { node: input.name, ready: isReady?.status, reason: isReady?.reason, message: isReady?.message };
      if (isReady?.status === "True") log.info("virtual node Ready", fields);
      else log.warn("virtual node not Ready", fields);
    }
  }

  await deps.nodes.renewLease(
    { nodeName: input.name, nodeUid: node.metadata!.uid!, durationSeconds: leaseDurationSeconds, renewTime: now },
    requestOptions,
  );
  return { node: input.name, outcome, ...(health !== undefined && outcome !== "renewed" && { ready: health.healthy }) };
}
