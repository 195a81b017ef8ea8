// The pod webhook's whole behaviour: check the path secret, read the AdmissionReview, ring the doorbell,
// answer allowed:true. Independent of the Functions host so the local host serves the same code.
import type { PodEventRelay } from "../relay/pod-changed.js";
import type { Logger } from "../runtime/logger.js";
import { AdmissionReviewError, allowedResponse, readAdmissionReview } from "./admission-review.js";
import { pathTokenMatches } from "./path-token.js";

export interface AdmissionCall {
  readonly pathToken: string | undefined;
  readonly contentType: string | null;
  readonly body: string;
}

export interface AdmissionAnswer {
  readonly status: number;
  readonly body: object;
}

export interface AdmissionDependencies {
  readonly expectedPathToken: string;
  readonly relay: PodEventRelay;
  readonly log: Logger;
  /** How long publishing may hold the answer; the API server's own timeout is a few seconds. */
  readonly publishTimeoutMs?: number;
}

export async function handleAdmission(call: AdmissionCall, deps: AdmissionDependencies): Promise<AdmissionAnswer> {
  // 404, not 401: a caller without the secret learns nothing, not even that the route exists.
  if (!pathTokenMatches(deps.expectedPathToken, call.pathToken)) return { status: 404, body: { error: "not found" } };
  let summary;
  try {
    summary = readAdmissionReview(call.contentType, call.body);
  } catch (error) {
    if (error instanceof AdmissionReviewError) return { status: error.statusCode, body: { error: error.message } };
    throw error;
  }
  if (summary.pod !== undefined) {
    try {
      await deps.relay.publish(summary.pod, { abortSignal: AbortSignal.timeout(deps.publishTimeoutMs ?? 2000) });
    } catch (error) {
      // Still allowed: the pod is never blocked, and reconcile finds it within one period.
      deps.log.warn("pod event not published; reconcile will pick the pod up", {
        namespace: summary.pod.namespace,
        pod: summary.pod.name,
        error: (error as Error).message,
      });
    }
  }
  return { status: 200, body: allowedResponse(summary.uid) };
}
