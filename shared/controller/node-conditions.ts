// The virtual node's conditions and the taint that follows ACI's availability.
//
// Ready means what a kubelet's Ready means: the agent runs and keeps its node. It never goes False
// because ARM or ACI is in trouble: Ready=False makes the node lifecycle controller add
// node.kubernetes.io/not-ready:NoExecute, and after the pods' toleration (300 s by default) every pod
// is evicted and its container group deleted, while ACI would have kept it running. ARM trouble instead
// stops *new* placements: condition AciAvailable=False with ARM's reason and words, and the connector's
// own NoSchedule taint, both gone when ARM answers again.
import type { V1NodeCondition, V1Taint } from "@kubernetes/client-node";
import type { AciHealth } from "../aci/location-health.js";

/** The reason this connector writes on Ready=True; anything else on Ready was written by someone else. */
export const readyReason = "AciConnectorReady";
export const aciAvailableType = "AciAvailable";
export const aciAvailableReason = "AzureAnswers";

/** Keeps new pods off while ACI cannot take them; pods already there stay (NoSchedule, not NoExecute). */
export const aciUnavailableTaint = { key: "aci-connector.io/aci-unavailable", effect: "NoSchedule" } as const;

/**
 * The node's conditions at `now`, from this tick's ARM probe. A status is only ever posted after a probe
 * (the heartbeat probes when a status is due; `install` probes before it registers), and a probe that
 * cannot finish says so (AzureUnreachable), so there is always something new to say of ACI.
 */
export function nodeConditions(health: AciHealth, previous: readonly V1NodeCondition[] | undefined, now: Date): V1NodeCondition[] {
  const ready = { type: "Ready", status: "True", reason: readyReason, message: "the connector is running and renews this node's Lease" };
  const available = health.healthy
    ? { type: aciAvailableType, status: "True", reason: aciAvailableReason, message: `Azure Resource Manager answers the connector${health.note === undefined ? "" : ` (${health.note})`}` }
    : { type: aciAvailableType, status: "False", reason: health.reason, message: `${health.message}; pods already here keep running, new pods are not placed here until Azure answers` };
  // The pressures a kubelet reports do not exist here: ACI gives each group its own resources.
  const fixed = (type: string, reason: string, message: string) => ({ type, status: "False", reason, message });
  const current = [
    ready,
    available,
    fixed("MemoryPressure", "AciManagedResources", "ACI sizes every container group by its requests"),
    fixed("DiskPressure", "AciManagedResources", "ACI sizes every container group by its requests"),
    fixed("PIDPressure", "AciManagedResources", "ACI sizes every container group by its requests"),
    fixed("NetworkUnavailable", "AciManagedNetwork", "ACI gives every container group its own network"),
  ];
  return current.map((condition) => {
    const was = previous?.find((p) => p.type === condition.type);
    const unchanged = was !== undefined && was.status === condition.status && was.lastTransitionTime !== undefined;
    return {
      ...condition,
      lastHeartbeatTime: now,
      lastTransitionTime: unchanged ? new Date(was.lastTransitionTime!) : now,
    };
  });
}

/** The node's taints as they should be: the connector's own taint exactly while ACI is not available. */
export function desiredTaints(current: readonly V1Taint[] | undefined, conditions: readonly V1NodeCondition[]): V1Taint[] | undefined {
  const taints = current ?? [];
  const unavailable = conditions.find((c) => c.type === aciAvailableType)?.status === "False";
  const has = taints.some((t) => t.key === aciUnavailableTaint.key);
  if (unavailable === has) return undefined;
  return unavailable ? [...taints, { ...aciUnavailableTaint }] : taints.filter((t) => t.key !== aciUnavailableTaint.key);
}

/**
 * Whether the node's status must be posted now: it says nothing of Ready or AciAvailable, someone else
 * wrote Ready (the node lifecycle controller's Unknown after lost heartbeats, or an older connector's
 * False), or the last post is due for renewal.
 */
export function statusDue(conditions: readonly V1NodeCondition[] | undefined, now: Date, intervalSeconds: number): boolean {
  const ready = conditions?.find((c) => c.type === "Ready");
  if (ready === undefined || ready.lastHeartbeatTime === undefined) return true;
  if (ready.status !== "True" || ready.reason !== readyReason) return true;
  if (conditions?.some((c) => c.type === aciAvailableType) !== true) return true;
  // 90%: a timer that ticks every 10 s then posts every 60 s, not every 70 s.
  const ageMs = now.getTime() - new Date(ready.lastHeartbeatTime).getTime();
  return ageMs >= intervalSeconds * 1000 * 0.9;
}
