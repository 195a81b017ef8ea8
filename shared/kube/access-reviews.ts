// TokenReview and SubjectAccessReview, for the kubelet API's delegated authentication and authorization
// (shared/kubelet/auth.ts). Made as a virtual node: the Node authorizer lets every kubelet create both,
// for exactly this purpose, so the connector's own role needs nothing more.
import { readFileSync } from "node:fs";
import { AuthenticationV1Api, AuthorizationV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { AccessReviews } from "../kubelet/auth.js";
import { requestOptions } from "./request-options.js";

export function createAccessReviews(kubeConfig: KubeConfig): AccessReviews {
  const authn = kubeConfig.makeApiClient(AuthenticationV1Api);
  const authz = kubeConfig.makeApiClient(AuthorizationV1Api);
  return {
    async tokenReview(token, options) {
      const review = await authn.createTokenReview({ body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } } }, requestOptions(options));
      const status = review.status;
      if (status?.authenticated !== true || status.user?.username === undefined) return undefined;
      return {
        username: status.user.username,
        ...(status.user.uid !== undefined && { uid: status.user.uid }),
        groups: status.user.groups ?? [],
        ...(status.user.extra !== undefined && { extra: status.user.extra }),
      };
    },
    async subjectAccessReview(user, attributes, options) {
      const review = await authz.createSubjectAccessReview(
        {
          body: {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SubjectAccessReview",
            spec: {
              user: user.username,
              groups: [...user.groups],
              ...(user.uid !== undefined && { uid: user.uid }),
              ...(user.extra !== undefined && { extra: Object.fromEntries(Object.entries(user.extra).map(([k, v]) => [k, [...v]])) }),
              resourceAttributes: { verb: attributes.verb, resource: "nodes", subresource: attributes.subresource, name: attributes.node },
            },
          },
        },
        requestOptions(options),
      );
      return review.status?.allowed === true;
    },
  };
}

/** The cluster's CA (PEM) from a Kubernetes access: it signs the API server's kubelet client certificate. */
export function clusterCaPem(kubeConfig: KubeConfig): string {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster?.caData !== undefined) return Buffer.from(cluster.caData, "base64").toString("utf8");
  if (cluster?.caFile !== undefined) return readFileSync(cluster.caFile, "utf8");
  return "";
}
