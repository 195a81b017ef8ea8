// Before install deploys: is the connector's Function App (its name follows from the connector's name
// and the subscription) already serving another cluster? Two clusters whose connectors share a name in
// one subscription would otherwise share one Function App, and the second install would silently take
// it over from the first, whose nodes then go NotReady and whose pods are evicted.
import { connectorResourceGroupName } from "./azure-deployment.js";
import type { AzRunner } from "./az.js";

export interface FunctionAppOwnerCheck {
  readonly subscriptionId: string;
  readonly connectorName: string;
  /** This cluster's identity (its kube-system namespace's UID) and API server. */
  readonly clusterId: string;
  readonly apiServer: string;
}

/** Throws, saying what to do instead, when the connector's Function App serves another cluster. */
export async function refuseForeignFunctionApp(check: FunctionAppOwnerCheck, az: AzRunner): Promise<void> {
  const resourceGroup = connectorResourceGroupName(check.connectorName);
  const subscription = ["--subscription", check.subscriptionId];
  if ((await az(["group", "exists", "--name", resourceGroup, ...subscription])) !== "true") return;
  const apps = (await az(["functionapp", "list", "--resource-group", resourceGroup, ...subscription, "--query", "[].name", "-o", "tsv"])).split(/\s+/).filter((n) => n !== "");
  for (const app of apps) {
    const settings = JSON.parse(await az(["functionapp", "config", "appsettings", "list", "--name", app, "--resource-group", resourceGroup, ...subscription, "-o", "json"])) as { name?: string; value?: string }[];
    const setting = (name: string) => settings.find((s) => s.name === name)?.value ?? "";
    const servedCluster = setting("ACI_CONNECTOR_CLUSTER_ID");
    const servedApiServer = setting("KUBE_API_SERVER");
    // An older install has no cluster id: its API server says which cluster it serves.
    const foreign = servedCluster !== "" ? servedCluster !== check.clusterId : servedApiServer !== "" && servedApiServer !== check.apiServer;
    if (foreign) {
      throw new Error(
        `Function App ${app} (resource group ${resourceGroup}) already serves connector "${check.connectorName}" of another cluster ` +
          `(${servedCluster !== "" ? `cluster ${servedCluster}` : servedApiServer}); this cluster is ${check.clusterId} (${check.apiServer}). ` +
          `Installing would take it over and leave that cluster's virtual nodes without a connector. ` +
          `Choose another --connector-name, or run remove on the other cluster first.`,
      );
    }
  }
}
