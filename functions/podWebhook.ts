// HTTP: the API server's admission webhook for pods on the virtual nodes. Always allows; rings the
// relay's doorbell (see shared/webhook/handle-admission.ts).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { webhookDependencies } from "../shared/runtime/connector.js";
import { handleAdmission } from "../shared/webhook/handle-admission.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

// The body reaches the handler as a stream, not buffered whole by the host first (up to its 100 MB
// limit), so the webhook reads nothing before the path secret matches and nothing past its own limit.
// https://learn.microsoft.com/azure/azure-functions/node-http-stream
app.setup({ enableHttpStream: true });

export async function podWebhook(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const answer = await handleAdmission(
    {
      pathToken: request.params.token,
      contentType: request.headers.get("content-type"),
      contentLength: request.headers.get("content-length"),
      body: request.body,
    },
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
