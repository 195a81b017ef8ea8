// Per-request options for @kubernetes/client-node 1.x: the patch content type (its default is JSON
// Patch, which is never what we send) and an abort signal, both as the request middleware it expects.
import { PatchStrategy, type ConfigurationOptions, type RequestContext, type ResponseContext } from "@kubernetes/client-node";
// The client's middleware returns its own minimal Observable; the package does not re-export `of`.
import { of } from "@kubernetes/client-node/dist/gen/rxjsStub.js";

export { PatchStrategy };

export interface KubeRequestOptions {
  readonly abortSignal?: AbortSignal;
}

export function requestOptions(options: KubeRequestOptions & { patch?: PatchStrategy } = {}): ConfigurationOptions {
  const { abortSignal, patch } = options;
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          if (patch !== undefined) context.setHeaderParam("Content-Type", patch);
          if (abortSignal !== undefined) context.setSignal(abortSignal);
          return of(context);
        },
        post: (response: ResponseContext) => of(response),
      },
    ],
    middlewareMergeStrategy: "append",
  };
}
