// The identities the connector may put on container groups: the pull identity for private registries
// (ACI_PULL_IDENTITY, ACI_PULL_REGISTRIES) and the workload identities' allow-list (ACI_WORKLOAD_IDENTITIES).
// Each bad value is named; none is guessed. docs/decisions/identities.md
import type { PullIdentity } from "../translate/pull-identity.js";
import type { WorkloadIdentityGrant } from "../translate/workload-identity.js";

export const identitySettingNames = {
  pullIdentity: "ACI_PULL_IDENTITY",
  pullRegistries: "ACI_PULL_REGISTRIES",
  workloadIdentities: "ACI_WORKLOAD_IDENTITIES",
} as const;

/** ACR's login servers: what the pull identity covers unless ACI_PULL_REGISTRIES says otherwise. */
export const defaultPullRegistries = ["*.azurecr.io"] as const;

const identityIdPattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const registryPattern = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
/** A namespace is a DNS label, a service account name a DNS subdomain (Kubernetes' own rules). */
const serviceAccountKey = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** What is wrong with a user-assigned identity's resource id given as `label`, if anything. */
export function identityIdProblem(resourceId: string, label: string): string | undefined {
  return identityIdPattern.test(resourceId) ? undefined : `${label} must be a user-assigned identity's resource id (/subscriptions/.../resourceGroups/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)`;
}

export function readPullIdentity(value: (name: string) => string | undefined, problems: string[]): PullIdentity | undefined {
  const n = identitySettingNames;
  const resourceId = value(n.pullIdentity);
  const registriesText = value(n.pullRegistries);
  if (resourceId === undefined) {
    if (registriesText !== undefined) problems.push(`${n.pullRegistries} is set without ${n.pullIdentity}: name the identity that pulls from these registries`);
    return undefined;
  }
  const idProblem = identityIdProblem(resourceId, n.pullIdentity);
  if (idProblem !== undefined) problems.push(idProblem);
  const registries = registriesText === undefined ? [...defaultPullRegistries] : pullRegistriesOf(registriesText);
  const registriesProblem = registriesText === undefined ? undefined : pullRegistriesProblem(registriesText, n.pullRegistries);
  if (registriesProblem !== undefined) problems.push(registriesProblem);
  return { resourceId, registries };
}

const pullRegistriesOf = (text: string): string[] => text.split(",").map((r) => r.trim().toLowerCase()).filter((r) => r !== "");

/** What is wrong with a comma-separated list of registry hosts given as `label`, if anything. */
export function pullRegistriesProblem(text: string, label: string): string | undefined {
  const registries = pullRegistriesOf(text);
  const bad = registries.filter((r) => !registryPattern.test(r));
  if (bad.length === 0 && registries.length > 0) return undefined;
  return `${label} must list registry hosts separated by commas, each exact (myacr.azurecr.io) or a wildcard for its sub-domains (*.azurecr.io)${bad.length > 0 ? `; not ${bad.map((r) => JSON.stringify(r.slice(0, 60))).join(", ")}` : ""}`;
}

/**
 * ACI_WORKLOAD_IDENTITIES: a JSON object from `namespace/serviceaccount` to `{"clientId", "resourceId"}`,
 * e.g. `{"shop/api": {"clientId": "<guid>", "resourceId": "/subscriptions/.../userAssignedIdentities/shop-api"}}`.
 */
export function readWorkloadIdentities(text: string | undefined, problems: string[]): WorkloadIdentityGrant[] {
  const name = identitySettingNames.workloadIdentities;
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push(`${name} is not JSON: it maps "namespace/serviceaccount" to {"clientId": "<guid>", "resourceId": "/subscriptions/.../userAssignedIdentities/<name>"}`);
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    problems.push(`${name} must be a JSON object mapping "namespace/serviceaccount" to {"clientId", "resourceId"}`);
    return [];
  }
  const grants: WorkloadIdentityGrant[] = [];
  for (const [key, entry] of Object.entries(parsed)) {
    const at = `${name}[${JSON.stringify(key.slice(0, 80))}]`;
    const before = problems.length;
    if (!serviceAccountKey.test(key)) problems.push(`${at}: the key must be "namespace/serviceaccount" (lowercase, as Kubernetes names them)`);
    const { clientId, resourceId } = (typeof entry === "object" && entry !== null ? entry : {}) as { clientId?: unknown; resourceId?: unknown };
    if (typeof clientId !== "string" || !guid.test(clientId)) problems.push(`${at}.clientId must be the identity's client id, a GUID`);
    if (typeof resourceId !== "string" || identityIdProblem(resourceId, "") !== undefined) problems.push(identityIdProblem(String(resourceId), `${at}.resourceId`)!);
    if (problems.length > before) continue;
    const [namespace, serviceAccount] = key.split("/") as [string, string];
    grants.push(Object.freeze({ namespace, serviceAccount, clientId: clientId as string, resourceId: resourceId as string }));
  }
  return grants;
}
