// The telemetry port: what the controllers and the ARM client report, in their own words. The
// OpenTelemetry adapter (opentelemetry.ts) turns it into the metrics of instruments.ts and one span per
// pod sync; without it (tests, a run with telemetry off) nothing is recorded. Nothing here may carry a
// secret: a pod is named by namespace, name and UID only.
import type { ArmRequestKind } from "../aci/arm-throttle.js";

export interface PodIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly node: string;
}

/** How a reconcile tick ended: everything done, done with errors (listed in its report), or thrown. */
export type ReconcileOutcome = "ok" | "errors" | "failed";

/** The phases a pod can report (k8s.io/api core/v1 PodPhase), each a series of the pods gauge. */
export const podPhases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;
export type PodPhase = (typeof podPhases)[number];

export interface Telemetry {
  /**
   * Runs one pod sync as one span named by nothing but the operation, with the pod's identity as
   * attributes; the string `work` resolves to is its outcome. A thrown error marks the span failed (by its
   * error's name, not its message) and is rethrown as it was.
   */
  podSync<T extends string>(pod: PodIdentity, work: () => Promise<T>): Promise<T>;
  /** One reconcile tick took this long (seconds). */
  reconcileTick(seconds: number, outcome: ReconcileOutcome): void;
  /** The pods on the virtual nodes at this tick, by phase (every phase, zeros included). */
  podsByPhase(counts: Readonly<Record<PodPhase, number>>): void;
  /** One request sent to ARM (every attempt), with ARM's status, or none when no answer came. */
  armRequest(kind: ArmRequestKind, statusCode: number | undefined): void;
  /** From the webhook's doorbell to the PUT of the pod's container group (seconds). */
  doorbellToPut(seconds: number): void;
  /** From ACI's containers running to the pod's Running status write (seconds). */
  aciRunningToPodRunning(seconds: number): void;
}

/** Records nothing: the default wherever no telemetry was set up. */
export const noTelemetry: Telemetry = {
  podSync: (_pod, work) => work(),
  reconcileTick() {},
  podsByPhase() {},
  armRequest() {},
  doorbellToPut() {},
  aciRunningToPodRunning() {},
};

/** The telemetry a controller's dependencies carry, or none: nothing is recorded without it. */
export const telemetryOf = (deps: { readonly telemetry?: Telemetry }): Telemetry => deps.telemetry ?? noTelemetry;

/** Seconds from `from` to `to`, never negative (clocks of different machines may disagree a little). */
export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, (to.getTime() - from.getTime()) / 1000);
}
