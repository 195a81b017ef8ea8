// The pod webhook's whole behaviour: check the path secret, read the AdmissionReview, ring the doorbell,
// answer allowed:true. Independent of the Functions host so the local host serves the same code.
import type { PodEventRelay } from "../relay/pod-changed.js";
import type { Logger } from "../runtime/logger.js";
import { AdmissionReviewError, allowedResponse, maxAdmissionReviewBytes, readAdmissionReview, requireJsonContentType } from "./admission-review.js";
import { readBodyWithin } from "./bounded-body.js";
import { pathTokenMatches } from "./path-token.js";

export interface AdmissionCall {
  readonly pathToken: string | undefined;
  readonly contentType: string | null;
  /** The Content-Length header, when the request has one (a chunked body has none). */
  readonly contentLength: string | null;
  /** The body as it arrives: read only after the path secret matched, and never past the size limit. */
  readonly body: ReadableStream<Uint8Array> | null;
}

export interface AdmissionAnswer {
  readonly status: number;
  /** None with the 404, which then reads as the host's own answer for a route that does not exist. */
  readonly body?: object;
}

export interface AdmissionDependencies {
  readonly expectedPathToken: string;
  readonly relay: PodEventRelay;
  readonly log: Logger;
  /** How long publishing may hold the answer; the API server's own timeout is a few seconds. */
  readonly publishTimeoutMs?: number;
}

export async function handleAdmission(call: AdmissionCall, deps: AdmissionDependencies): Promise<AdmissionAnswer> {
  // 404, not 401, bodiless, and before anything about the body (not even its length): a caller without the
  // secret learns nothing, not even that the route exists, and cannot make the webhook read anything.
  if (!pathTokenMatches(deps.expectedPathToken, call.pathToken)) return { status: 404 };
  let summary;
  try {
    requireJsonContentType(call.contentType);
    summary = readAdmissionReview(await readBodyWithin(call.body, call.contentLength, maxAdmissionReviewBytes));
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
