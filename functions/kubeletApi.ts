// HTTP: the kubelet API of the virtual nodes (kubectl logs, logs -f; exec answered with what works
// instead), called by the API server at the nodes' address (see shared/kubelet/handle-kubelet.ts).
import { app, type HttpHandler, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { handleKubeletRequest, type KubeletDependencies } from "../shared/kubelet/handle-kubelet.js";
import { kubeletDependencies } from "../shared/runtime/connector.js";
import { invocationLogger } from "./invocation-logger.js";
import { triggers } from "./triggers.js";

// HTTP streams (for `logs -f`) are enabled once for the whole app, in podWebhook.ts.

/** The HTTP trigger over the kubelet API, for dependencies made per invocation (the local host's tests make their own). */
export function serveKubeletApi(dependencies: (context: InvocationContext) => Promise<KubeletDependencies>): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    // App Service's forwarded client certificate (clientCertEnabled on the app), or the local host's.
    const clientCertificate = request.headers.get("x-arr-clientcert");
    const authorization = request.headers.get("authorization");
    const answer = await handleKubeletRequest(
      {
        method: request.method,
        url: new URL(request.url),
        credentials: { ...(clientCertificate !== null && { clientCertificate }), ...(authorization !== null && { authorization }) },
      },
      await dependencies(context),
    );
    return { status: answer.status, headers: { ...answer.headers }, body: answer.body };
  };
}

export const kubeletApi = serveKubeletApi((context) => kubeletDependencies(invocationLogger(context), triggers.kubeletApi));

for (const [name, route] of Object.entries(triggers.kubeletApi.routes)) {
  app.http(name, {
    route,
    methods: [...triggers.kubeletApi.methods],
    // The kubelet's own authentication instead of a function key (the API server cannot send one): the
    // API server's client certificate or a bearer token, then a SubjectAccessReview.
    authLevel: "anonymous",
    handler: kubeletApi,
  });
}
