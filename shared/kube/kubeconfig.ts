// Builds the client configuration for the cluster's API server from the settings: a kubeconfig for
// any cluster, or, for AKS with Entra ID, the managed identity's token (no stored key at all).
import { Buffer } from "node:buffer";
import type { TokenCredential } from "@azure/core-auth";
import { KubeConfig } from "@kubernetes/client-node";
import type { KubernetesAccess } from "../config/settings.js";

/** The Entra ID application that AKS API servers accept tokens for (the same for every cluster). */
export const aksServerScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

/**
 * A KubeConfig ready to use. With Entra ID access it carries a token fetched now; call again before
 * the token expires (the credential caches and refreshes it, so a call per invocation is cheap).
 */
export async function loadKubeConfig(access: KubernetesAccess, credential?: TokenCredential): Promise<KubeConfig> {
  const kc = new KubeConfig();
  if (access.kind === "kubeconfig") {
    if (access.base64 !== undefined) kc.loadFromString(Buffer.from(access.base64, "base64").toString("utf8"));
    else if (access.path !== undefined) kc.loadFromFile(access.path);
    return kc;
  }
  if (credential === undefined) throw new Error("Entra ID access to the API server needs a credential");
  const token = await credential.getToken(aksServerScope);
  if (token === null) throw new Error(`the managed identity returned no token for ${aksServerScope}`);
  kc.loadFromOptions({
    clusters: [{ name: "aks", server: access.server, caData: access.caBase64, skipTLSVerify: false }],
    users: [{ name: "aci-connector", token: token.token }],
    contexts: [{ name: "aks", cluster: "aks", user: "aci-connector" }],
    currentContext: "aks",
  });
  return kc;
}
