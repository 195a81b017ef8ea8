// Azure workload identity in ACI. On AKS a pod labelled `azure.workload.identity/use: "true"` gets, from the
// azure-workload-identity webhook, AZURE_CLIENT_ID (its service account's `azure.workload.identity/client-id`),
// AZURE_TENANT_ID, AZURE_AUTHORITY_HOST, AZURE_FEDERATED_TOKEN_FILE and a projected service account token
// that the kubelet refreshes. A container group's files are fixed at its creation, so no token file can be
// offered; instead the group carries the user-assigned identity itself and the SDK gets its tokens from
// ACI's managed identity endpoint. Which service account may have which identity is the connector's
// allow-list (ACI_WORKLOAD_IDENTITIES): a label is written by whoever writes the pod, so it cannot be what
// grants an identity. docs/decisions/identities.md
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { ArmEnvironmentVariable } from "./arm-types.js";
import type { ProblemList } from "./problems.js";

/** One entry of the allow-list: this service account's pods may carry this identity. */
export interface WorkloadIdentityGrant {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The identity's client (application) id: AZURE_CLIENT_ID, which selects it in ManagedIdentityCredential. */
  readonly clientId: string;
  /** The user-assigned identity's resource id, put on the container group. */
  readonly resourceId: string;
}

export const workloadIdentityLabel = "azure.workload.identity/use";
const clientIdVariable = "AZURE_CLIENT_ID";
const tokenFileVariable = "AZURE_FEDERATED_TOKEN_FILE";

/** The grant of a pod that asks for its workload identity; undefined (with a problem) when none is allowed. */
export function workloadIdentityOf(pod: V1Pod, grants: readonly WorkloadIdentityGrant[], problems: ProblemList): WorkloadIdentityGrant | undefined {
  if (pod.metadata?.labels?.[workloadIdentityLabel] !== "true") return undefined;
  const namespace = pod.metadata.namespace ?? "";
  // The API server defaults serviceAccountName to "default"; a manifest translated offline may omit it.
  const serviceAccount = pod.spec?.serviceAccountName || "default";
  const grant = grants.find((g) => g.namespace === namespace && g.serviceAccount === serviceAccount);
  if (grant === undefined) {
    problems.add(
      "spec.serviceAccountName",
      `service account "${namespace}/${serviceAccount}" may not carry an Azure identity on this connector, and the pod asks for one (label ${workloadIdentityLabel}: "true"): ` +
        "in ACI the container group carries the identity itself, so the connector's allow-list (ACI_WORKLOAD_IDENTITIES) says which service account may use which; ask for yours to be added, or remove the label",
    );
  }
  return grant;
}

/**
 * A container's environment for DefaultAzureCredential in ACI: AZURE_CLIENT_ID set to the granted identity
 * (ManagedIdentityCredential uses it to pick the user-assigned identity), and AZURE_FEDERATED_TOKEN_FILE
 * left out. With that variable set, @azure/identity (4.13) reads the file, and a missing file is an error
 * that stops DefaultAzureCredential's chain instead of passing on to the managed identity. Returns the
 * environment and whether the token file variable was left out.
 */
export function workloadIdentityEnvironment(
  env: readonly ArmEnvironmentVariable[],
  container: V1Container,
  path: string,
  grant: WorkloadIdentityGrant,
  problems: ProblemList,
): { env: ArmEnvironmentVariable[]; tokenFileLeftOut: boolean } {
  const given = env.find((v) => v.name === clientIdVariable);
  // Compared, never quoted: the value may come from a Secret.
  if (given !== undefined && (given.value ?? given.secureValue) !== grant.clientId) {
    problems.add(
      fieldOf(container, path, clientIdVariable),
      `${clientIdVariable} names another identity than the one service account "${grant.namespace}/${grant.serviceAccount}" may use in ACI (client id ${grant.clientId}); remove it or set it to that`,
    );
  }
  const kept = env.filter((v) => v.name !== clientIdVariable && v.name !== tokenFileVariable);
  return { env: [...kept, { name: clientIdVariable, value: grant.clientId }], tokenFileLeftOut: env.some((v) => v.name === tokenFileVariable) };
}

/** Where a variable is defined: its `env` entry, else the container's envFrom. */
function fieldOf(container: V1Container, path: string, name: string): string {
  const index = (container.env ?? []).findIndex((e) => e.name === name);
  return index >= 0 ? `${path}.env[${index}]` : `${path}.envFrom`;
}
