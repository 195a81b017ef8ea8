// Builds the client configuration for the cluster's API server from the settings: a kubeconfig for
// any cluster, or, for AKS with Entra ID, the managed identity's token (no stored key at all).
import { Buffer } from "node:buffer";
import type { TokenCredential } from "@azure/core-auth";
import { KubeConfig } from "@kubernetes/client-node";
import { settingNames, type KubernetesAccess } from "../config/settings.js";

/** The Entra ID application that AKS API servers accept tokens for (the same for every cluster). */
export const aksServerScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

/** A kubeconfig that cannot be used: says which setting and where, never what the file contains. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeconfigError";
  }
}

/**
 * A KubeConfig ready to use. With Entra ID access it carries a token fetched now; call again before
 * the token expires (the credential caches and refreshes it, so a call per invocation is cheap).
 */
export async function loadKubeConfig(access: KubernetesAccess, credential?: TokenCredential): Promise<KubeConfig> {
  const kc = new KubeConfig();
  if (access.kind === "kubeconfig") {
    const { base64, path } = access;
    if (base64 !== undefined) loadSafely(kc, settingNames.kubeconfigBase64, () => kc.loadFromString(Buffer.from(base64, "base64").toString("utf8")));
    else if (path !== undefined) loadSafely(kc, `${settingNames.kubeconfigPath} (${path})`, () => kc.loadFromFile(path));
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

/**
 * Runs a load, turning its failure into an error that names the setting and the place. The YAML parser's
 * own message quotes the lines around the mistake (tokens and keys included) and its error keeps the
 * whole text, so neither is passed on: only the reason, with anything it quotes cut out, and line/column.
 */
function loadSafely(kc: KubeConfig, source: string, load: () => void): void {
  const unusable = (why: string) => new KubeconfigError(`${source} is not a usable kubeconfig: ${why}`);
  try {
    load();
  } catch (error) {
    throw unusable(whatIsWrong(error));
  }
  // Valid YAML that is no kubeconfig (e.g. a kubeconfig base64-encoded twice) loads as an empty one.
  if (kc.getCurrentCluster() === null) throw unusable("its current-context names no cluster");
}

function whatIsWrong(error: unknown): string {
  const e = error as { name?: unknown; reason?: unknown; mark?: { line?: unknown; column?: unknown }; code?: unknown; message?: unknown };
  if (e.name === "YAMLException" && typeof e.reason === "string") {
    // Reasons such as `unidentified alias "<text>"` or `unknown tag !<text>` quote the document.
    const reason = e.reason.replace(/"[^"]*"|'[^']*'|!<[^>]*>|!\S*/g, "(…)");
    const at = typeof e.mark?.line === "number" && typeof e.mark.column === "number" ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : "";
    return `invalid YAML: ${reason}${at}`;
  }
  // A file that cannot be read (ENOENT, EACCES): its code says why.
  if (typeof e.code === "string") return `cannot read it (${e.code})`;
  // @kubernetes/client-node's own checks name a field, e.g. "users[0].name is missing".
  return typeof e.message === "string" ? e.message : "unreadable";
}
