// HTTP: the API server's admission webhook for pods on the virtual nodes. Always allows; rings the
// relay's doorbell (see shared/webhook/handle-admission.ts).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { webhookDependencies } from "../shared/runtime/connector.js";
import { maxAdmissionReviewBytes } from "../shared/webhook/admission-review.js";
import { handleAdmission } from "../shared/webhook/handle-admission.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

export async function podWebhook(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > maxAdmissionReviewBytes) return { status: 413, jsonBody: { error: `body larger than ${maxAdmissionReviewBytes} bytes` } };
  const answer = await handleAdmission(
    { pathToken: request.params.token, contentType: request.headers.get("content-type"), body: await request.text() },
    webhookDependencies(invocationLogger(context)),
  );
  return { status: answer.status, jsonBody: answer.body };
}

app.http("podWebhook", {
  route: triggers.podWebhook.route,
  methods: [...triggers.podWebhook.methods],
  // The path segment is the secret: the API server cannot send a function key (no query strings).
  authLevel: "anonymous",
  handler: podWebhook,
});
