// What install and remove need to know of an AKS cluster before touching it: the subscription, the
// cluster (ARM), the installer's kubeconfig pointing at that very cluster, and the seed's defaults that
// derive from it (location, ACI resource group).
import { readFileSync } from "node:fs";
import type { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { DefaultAzureCredential } from "@azure/identity";
import { KubeConfig } from "@kubernetes/client-node";
import { armErrorOf, parseArmBody, publicArmEndpoint, sendArmRequest, subscriptionUrl } from "../shared/aci/arm-http.js";
import { createAciClient } from "../shared/aci/client.js";
import type { AzRunner } from "./az.js";
import type { ConnectorOptions } from "./connector-options.js";

const managedClustersApiVersion = "2024-05-01";

export interface AzureCluster {
  readonly subscriptionId: string;
  /** ARM through the SDK client's pipeline, with the installer's own credential (az login, ...). */
  readonly arm: ContainerInstanceManagementClient;
  readonly connectorName: string;
  readonly clusterName: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly aciResourceGroup: string;
  /** The installer's access to the cluster. */
  readonly kube: KubeConfig;
  readonly apiServer: string;
  readonly caBase64: string;
  /** Whether the API server accepts Entra ID tokens (the connector's managed identity needs it). */
  readonly entraId: boolean;
}

interface ManagedCluster {
  readonly location?: string;
  readonly properties?: { readonly fqdn?: string; readonly privateFQDN?: string; readonly aadProfile?: object | null };
}

export async function resolveAzureCluster(options: ConnectorOptions, az: AzRunner): Promise<AzureCluster> {
  const connectorName = options.connectorName!;
  const clusterName = options.clusterName!;
  const resourceGroup = options.resourceGroup!;
  const subscriptionId = options.subscription ?? process.env.AZURE_SUBSCRIPTION_ID ?? (await az(["account", "show", "--query", "id", "-o", "tsv"]));
  const credential = new DefaultAzureCredential();
  try {
    await credential.getToken(`${publicArmEndpoint}/.default`);
  } catch {
    // DefaultAzureCredential's error lists every source it tried; the one that matters here is az.
    throw new Error("no Azure sign-in found: run az login (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal)");
  }
  const arm = createAciClient({ settings: { subscriptionId }, credential });

  const url = `${subscriptionUrl({ subscriptionId })}/resourceGroups/${encodeURIComponent(resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/${encodeURIComponent(clusterName)}?api-version=${managedClustersApiVersion}`;
  const response = await sendArmRequest(arm, "GET", url);
  if (response.status === 404) throw new Error(`AKS cluster ${clusterName} was not found in resource group ${resourceGroup} of subscription ${subscriptionId}`);
  if (response.status !== 200) throw armErrorOf(response, `reading AKS cluster ${clusterName}`);
  const cluster = parseArmBody<ManagedCluster>(response);

  const kube = new KubeConfig();
  if (options.kubeconfig !== undefined) kube.loadFromFile(options.kubeconfig);
  else kube.loadFromDefault();
  const current = kube.getCurrentCluster();
  const fqdns = [cluster.properties?.fqdn, cluster.properties?.privateFQDN].filter((f): f is string => f !== undefined && f !== null);
  const host = current === null ? undefined : new URL(current.server).hostname;
  if (current === null || host === undefined || !fqdns.includes(host)) {
    throw new Error(
      `the kubeconfig's current context points at ${current?.server ?? "no cluster"}, not at AKS cluster ${clusterName} (${fqdns.join(" or ")}): ` +
        `run az aks get-credentials -g ${resourceGroup} -n ${clusterName}, or pass --kubeconfig`,
    );
  }
  const caBase64 = current.caData ?? (current.caFile === undefined ? "" : readFileSync(current.caFile).toString("base64"));

  return {
    subscriptionId,
    arm,
    connectorName,
    clusterName,
    resourceGroup,
    location: options.location ?? (cluster.location ?? "").replace(/\s/g, "").toLowerCase(),
    aciResourceGroup: options.aciResourceGroup ?? `${resourceGroup}-aci-${connectorName}`,
    kube,
    apiServer: current.server,
    caBase64,
    entraId: cluster.properties?.aadProfile !== undefined && cluster.properties.aadProfile !== null,
  };
}
