// Per-pod back-off after ARM refused to create a pod's container group. The state lives on the pod
// itself, in a condition of its own, so it survives every function invocation and instance:
// lastTransitionTime is the first refusal, lastProbeTime the last attempt, and the next attempt waits
// as long as the refusals have lasted so far (clamped): the interval doubles with no counter to keep.
import type { V1PodCondition } from "@kubernetes/client-node";
import { armBudget } from "../aci/arm-budget.js";

/** True once the pod's container group was created; False (with ARM's code and words) while ARM refuses it. */
export const groupCreatedCondition = "aci-connector.io/ContainerGroupCreated";

/** When the next PUT for this pod may be sent, or undefined when it may be sent now. */
export function nextCreateAttempt(conditions: readonly V1PodCondition[] | undefined): Date | undefined {
  const condition = conditions?.find((c) => c.type === groupCreatedCondition);
  if (condition?.status !== "False" || condition.lastTransitionTime === undefined) return undefined;
  const first = new Date(condition.lastTransitionTime).getTime();
  const last = condition.lastProbeTime === undefined ? first : new Date(condition.lastProbeTime).getTime();
  if (!Number.isFinite(first) || !Number.isFinite(last)) return undefined;
  const { firstMs, maxMs } = armBudget.createBackoff;
  return new Date(last + Math.min(maxMs, Math.max(firstMs, last - first)));
}

/** The condition after ARM refused this attempt: the first refusal's time is kept. */
export function refusedCondition(previous: readonly V1PodCondition[] | undefined, now: Date, code: string, message: string): V1PodCondition {
  const before = previous?.find((c) => c.type === groupCreatedCondition);
  const since = before?.status === "False" && before.lastTransitionTime !== undefined ? new Date(before.lastTransitionTime) : now;
  return { type: groupCreatedCondition, status: "False", reason: code, message, lastProbeTime: now, lastTransitionTime: since };
}

export function createdCondition(now: Date): V1PodCondition {
  return { type: groupCreatedCondition, status: "True", reason: "Created", message: "", lastProbeTime: now, lastTransitionTime: now };
}
