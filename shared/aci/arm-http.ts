// Raw ARM requests through an Azure SDK client's pipeline (its credential, retry, throttling and TLS
// policies), for the calls that carry ARM's wire JSON as it is: container groups, resource providers.
import { createPipelineRequest, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { markUrgent } from "./arm-pacing.js";
import { AciError, aciErrorKindOf } from "./errors.js";

/** What an Azure SDK management client offers: sending a request through its pipeline. */
export interface ArmPipeline {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

export const publicArmEndpoint = "https://management.azure.com";

/** `https://management.azure.com/subscriptions/<id>`, or the same under another ARM endpoint (the emulator's). */
export function subscriptionUrl(target: { armEndpoint?: string; subscriptionId: string }): string {
  return `${target.armEndpoint ?? publicArmEndpoint}/subscriptions/${encodeURIComponent(target.subscriptionId)}`;
}

export interface ArmRequestOptions {
  readonly abortSignal?: AbortSignal;
  /** Paced before every request that is not (arm-pacing.ts): a read someone is waiting on now. */
  readonly urgent?: boolean;
}

export function sendArmRequest(
  pipeline: ArmPipeline,
  method: "GET" | "PUT" | "DELETE" | "POST",
  url: string,
  options: ArmRequestOptions = {},
  body?: unknown,
): Promise<PipelineResponse> {
  const request = createPipelineRequest({ url, method, ...(options.abortSignal !== undefined && { abortSignal: options.abortSignal }) });
  if (options.urgent === true) markUrgent(request);
  if (body !== undefined) {
    request.headers.set("Content-Type", "application/json");
    request.body = JSON.stringify(body);
  }
  return pipeline.sendRequest(request);
}

export function parseArmBody<T>(response: PipelineResponse): T {
  return JSON.parse(response.bodyAsText ?? "{}") as T;
}

/** ARM's error body `{ error: { code, message } }` as an AciError; Retry-After kept for throttling. */
export function armErrorOf(response: PipelineResponse, operation: string): AciError {
  let code: string | undefined;
  let message = response.bodyAsText?.slice(0, 500) ?? "";
  try {
    const body = JSON.parse(response.bodyAsText ?? "") as { error?: { code?: string; message?: string } };
    code = body.error?.code;
    message = body.error?.message ?? message;
  } catch {
    // Not JSON (a proxy's page, say): the start of the text is the best description there is.
  }
  const retryAfter = Number(response.headers.get("retry-after"));
  return new AciError(aciErrorKindOf(response.status, code), `${operation} failed: ${response.status}${code === undefined ? "" : ` ${code}`}: ${message}`, {
    statusCode: response.status,
    ...(code !== undefined && { code }),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterMs: retryAfter * 1000 }),
  });
}
