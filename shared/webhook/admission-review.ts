// Reading an AdmissionReview v1 from the API server. The webhook is a doorbell: from the payload we take
// only which pod changed, checked for shape, and answer allowed:true whatever it says.
import type { PodChanged } from "../relay/pod-changed.js";
import { parsePodChanged } from "../relay/pod-changed.js";

/** Larger bodies are refused before parsing. A pod with its status fits well below this. */
export const maxAdmissionReviewBytes = 3 * 1024 * 1024;

export class AdmissionReviewError extends Error {
  constructor(readonly statusCode: 400 | 413 | 415, message: string) {
    super(message);
    this.name = "AdmissionReviewError";
  }
}

export interface AdmissionRequestSummary {
  readonly uid: string;
  /** The pod it concerns, or undefined for a request that is not about a pod on a node. */
  readonly pod?: PodChanged;
}

/** Checked before the body is read: a body of another type is refused unread. */
export function requireJsonContentType(contentType: string | null): void {
  if (contentType === null || !/^application\/json\b/i.test(contentType)) {
    throw new AdmissionReviewError(415, `expected Content-Type application/json, got ${contentType ?? "none"}`);
  }
}

/** The AdmissionReview in a body already read within maxAdmissionReviewBytes. */
export function readAdmissionReview(body: string): AdmissionRequestSummary {
  let review: unknown;
  try {
    review = JSON.parse(body);
  } catch (error) {
    throw new AdmissionReviewError(400, `body is not JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const r = (typeof review === "object" && review !== null ? review : {}) as Record<string, unknown>;
  if (r.apiVersion !== "admission.k8s.io/v1") problems.push(`apiVersion must be admission.k8s.io/v1, got ${JSON.stringify(r.apiVersion)}`);
  if (r.kind !== "AdmissionReview") problems.push(`kind must be AdmissionReview, got ${JSON.stringify(r.kind)}`);
  const request = (typeof r.request === "object" && r.request !== null ? r.request : undefined) as Record<string, unknown> | undefined;
  if (request === undefined) problems.push("request is missing");
  const uid = request?.uid;
  if (request !== undefined && (typeof uid !== "string" || uid === "" || uid.length > 128)) problems.push("request.uid must be a non-empty string");
  if (problems.length > 0) throw new AdmissionReviewError(400, `not an AdmissionReview v1: ${problems.join("; ")}`);
  // NoneOnDryRun: a dry run must change nothing, so it rings no doorbell.
  const pod = request!.dryRun === true ? undefined : podOf(request!);
  return { uid: uid as string, ...(pod !== undefined && { pod }) };
}

/** The response the API server expects; always allowed: the connector never blocks the cluster. */
export function allowedResponse(uid: string): object {
  return { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid, allowed: true } };
}

function podOf(request: Record<string, unknown>): PodChanged | undefined {
  const resource = request.resource as { group?: unknown; resource?: unknown } | undefined;
  if (resource?.resource !== "pods" || (resource.group !== "" && resource.group !== undefined)) return undefined;
  const subResource = request.subResource ?? "";
  const operation = request.operation;
  const object = (request.object ?? undefined) as Record<string, unknown> | undefined;
  const oldObject = (request.oldObject ?? undefined) as Record<string, unknown> | undefined;
  const metadataOf = (o: Record<string, unknown> | undefined) => (o?.metadata ?? {}) as Record<string, unknown>;

  if (subResource === "binding" && operation === "CREATE") {
    // A Binding: metadata.name is the pod, target.name the node. It carries no pod UID.
    const target = (object?.target ?? {}) as Record<string, unknown>;
    return podIn({ namespace: request.namespace, name: request.name ?? metadataOf(object).name, node: target.name });
  }
  if (subResource !== "") return undefined;
  const pod = operation === "DELETE" ? oldObject : operation === "CREATE" ? object : undefined;
  if (pod === undefined) return undefined;
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  return podIn({
    namespace: request.namespace ?? metadataOf(pod).namespace,
    name: request.name ?? metadataOf(pod).name,
    uid: metadataOf(pod).uid,
    node: spec.nodeName,
  });
}

/** The pod a request names, when it names one well: anything else rings no doorbell (and is allowed). */
function podIn(fields: Record<string, unknown>): PodChanged | undefined {
  const reading = parsePodChanged(fields, "request");
  return reading.ok ? reading.value : undefined;
}
