// What the connector has sent to ARM, as ARM counts it, and what ARM says is left: reconcile spends its
// read budget by this count (list pages, retries and every other function of this instance included),
// and leaves the rest of ARM's bucket to the other tools of the same principal when ARM says it is low.
// Part of the ARM client's pipeline, after the retry policy, so every attempt is counted.
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { armRequestKindOf, armRequestKinds, type ArmRequestKind } from "./arm-throttle.js";

export interface ArmMeter {
  /** Requests of this kind sent since the process started. */
  sent(kind: ArmRequestKind): number;
  /** ARM's `x-ms-ratelimit-remaining-subscription-<kind>` on its latest answer, if it gave one. */
  remaining(kind: ArmRequestKind): number | undefined;
}

export interface ArmMeterRecorder extends ArmMeter {
  readonly policy: PipelinePolicy;
}

export function createArmMeter(): ArmMeterRecorder {
  const sent = Object.fromEntries(armRequestKinds.map((k) => [k, 0])) as Record<ArmRequestKind, number>;
  const remaining: Partial<Record<ArmRequestKind, number>> = {};
  return {
    sent: (kind) => sent[kind],
    remaining: (kind) => remaining[kind],
    policy: {
      name: "aciConnectorArmMeter",
      async sendRequest(request, next) {
        const kind = armRequestKindOf(request.method);
        sent[kind]++;
        const response = await next(request);
        const left = remainingOf(response, kind);
        if (left !== undefined) remaining[kind] = left;
        return response;
      },
    },
  };
}

/**
 * What ARM says remains of the principal's bucket of this kind on an answer; ARM names the bucket it
 * charged (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
 */
export function remainingOf(response: PipelineResponse, kind: ArmRequestKind): number | undefined {
  const header = response.headers.get(`x-ms-ratelimit-remaining-subscription-${kind}`);
  return header !== undefined && header.trim() !== "" && Number.isFinite(Number(header)) ? Number(header) : undefined;
}
