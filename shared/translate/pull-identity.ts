// Images of private registries pulled with a user-assigned managed identity instead of a pull Secret:
// AKS pulls from ACR with its kubelet identity, ACI with an identity the group carries
// (imageRegistryCredentials[].identity, learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi).
// ACI refuses a credential whose identity is not also in the group's identity list
// (InvalidImageRegistryIdentity, MicrosoftDocs/azure-docs#117644), so the identity goes on the group too.
import type { V1Pod } from "@kubernetes/client-node";
import type { ArmRegistryCredential } from "./arm-types.js";

/** The connector's pull identity (ACI_PULL_IDENTITY) and the registries it pulls from (ACI_PULL_REGISTRIES). */
export interface PullIdentity {
  /** The user-assigned identity's resource id; it holds AcrPull on the registries. */
  readonly resourceId: string;
  /** Registry hosts, exact (`myacr.azurecr.io`) or a wildcard for any sub-domain (`*.azurecr.io`). */
  readonly registries: readonly string[];
}

/**
 * One credential per registry of the pod's images that the pull identity covers, unless the pod's own
 * imagePullSecrets already give one for that server: a pod's own credentials win, as on AKS.
 */
export function pullIdentityCredentials(pod: V1Pod, identity: PullIdentity | undefined, fromSecrets: readonly ArmRegistryCredential[]): ArmRegistryCredential[] {
  if (identity === undefined) return [];
  const covered = new Set(fromSecrets.map((c) => c.server.toLowerCase()));
  const servers = new Set<string>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const server = registryOf(c.image ?? "");
    if (server !== undefined && !covered.has(server) && identity.registries.some((pattern) => registryMatches(server, pattern))) servers.add(server);
  }
  return [...servers].map((server) => ({ server, identity: identity.resourceId }));
}

/**
 * The registry host of an image reference, lowercased; undefined for Docker Hub's short forms (`nginx`,
 * `library/nginx`). As Docker reads a reference: the part before the first slash is a host when it holds
 * a dot or a colon, or is `localhost`.
 */
export function registryOf(image: string): string | undefined {
  const slash = image.indexOf("/");
  if (slash < 0) return undefined;
  const first = image.slice(0, slash).toLowerCase();
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : undefined;
}

/** `*.azurecr.io` matches any host under azurecr.io (not azurecr.io itself); anything else matches exactly. */
export function registryMatches(server: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  return p.startsWith("*.") ? server.endsWith(p.slice(1)) && server.length > p.length - 1 : server === p;
}
