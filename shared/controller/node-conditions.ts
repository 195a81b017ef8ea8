// The virtual node's conditions. Unlike azure-aci's static ones, Ready says whether ARM answers the
// connector: a node that cannot create container groups must not attract pods.
import type { V1NodeCondition } from "@kubernetes/client-node";
import type { AciHealth } from "../aci/location-health.js";

/** Reasons this connector writes on Ready=True; anything else on Ready was written by someone else. */
export const readyReason = "AciConnectorReady";

export function nodeConditions(health: AciHealth, previous: readonly V1NodeCondition[] | undefined, now: Date): V1NodeCondition[] {
  const ready: Omit<V1NodeCondition, "lastHeartbeatTime" | "lastTransitionTime"> = health.healthy
    ? {
        type: "Ready",
        status: "True",
        reason: readyReason,
        message: `Azure Resource Manager answers the connector${health.note === undefined ? "" : ` (${health.note})`}`,
      }
    : { type: "Ready", status: "False", reason: health.reason, message: health.message };
  // The pressures a kubelet reports do not exist here: ACI gives each group its own resources.
  const fixed = (type: string, reason: string, message: string) => ({ type, status: "False", reason, message });
  const current = [
    ready,
    fixed("MemoryPressure", "AciManagedResources", "ACI sizes every container group by its requests"),
    fixed("DiskPressure", "AciManagedResources", "ACI sizes every container group by its requests"),
    fixed("PIDPressure", "AciManagedResources", "ACI sizes every container group by its requests"),
    fixed("NetworkUnavailable", "AciManagedNetwork", "ACI gives every container group its own network"),
  ];
  return current.map((condition) => {
    const before = previous?.find((p) => p.type === condition.type);
    const unchanged = before !== undefined && before.status === condition.status && before.lastTransitionTime !== undefined;
    return {
      ...condition,
      lastHeartbeatTime: now,
      lastTransitionTime: unchanged ? new Date(before.lastTransitionTime!) : now,
    };
  });
}

/**
 * Whether the node's status must be posted now: it says nothing of Ready, someone else wrote Ready
 * (the node lifecycle controller's Unknown after lost heartbeats), or the last post is due for renewal.
 */
export function statusDue(conditions: readonly V1NodeCondition[] | undefined, now: Date, intervalSeconds: number): boolean {
  const ready = conditions?.find((c) => c.type === "Ready");
  if (ready === undefined || ready.status === "Unknown" || ready.lastHeartbeatTime === undefined) return true;
  if (ready.status === "True" && ready.reason !== readyReason) return true;
  // 90%: a timer that ticks every 10 s then posts every 60 s, not every 70 s.
  const ageMs = now.getTime() - new Date(ready.lastHeartbeatTime).getTime();
  return ageMs >= intervalSeconds * 1000 * 0.9;
}
