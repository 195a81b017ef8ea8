// `aci-connector remove`: the seed's `az aks remove-connector`. Removes the nodes of --os-type (default
// every node) with their Leases, pods and container groups, and with the last node the connector's RBAC
// and webhook; then says what it removed. Running it again finds nothing and says so.
import { createContainerGroups } from "../shared/aci/container-groups.js";
import { removeClusterSide, type RemovalReport } from "../shared/install/cluster-side.js";
import { runAz } from "./az.js";
import { resolveAzureCluster } from "./azure-cluster.js";
import { connectorResourceGroupName } from "./azure-deployment.js";
import { runConnectorCommand } from "./connector-command.js";
import { osTypesOf, type ConnectorOptions } from "./connector-options.js";
import { openLocalTarget } from "./local-target.js";
import type { Command } from "./main.js";

export const removeCommand: Command = (args) => runConnectorCommand("remove", args, async (options, say) => describeRemoval(await remove(options, say)));

async function remove(options: ConnectorOptions, say: (line: string) => void): Promise<RemovalReport> {
  const osTypes = osTypesOf(options.osType);
  if (options.local) {
    const target = await openLocalTarget(options);
    return removeClusterSide({ kube: target.kube, connectorName: target.state.connectorName, location: target.state.location, groups: target.groups }, osTypes, { progress: say });
  }
  const cluster = await resolveAzureCluster(options, runAz);
  const groups = createContainerGroups(cluster.arm, { subscriptionId: cluster.subscriptionId, resourceGroup: cluster.aciResourceGroup });
  const report = await removeClusterSide({ kube: cluster.kube, connectorName: cluster.connectorName, location: cluster.location, groups }, osTypes, { progress: say });
  if (report.clusterObjects.length > 0) say(`the Azure side stays deployed: delete resource group ${connectorResourceGroupName(cluster.connectorName)} to remove it`);
  return report;
}

/** What was removed, one line per kind; a second run says there was nothing to remove. */
export function describeRemoval(report: RemovalReport): string {
  const lines = (
    [
      ["nodes", report.nodes],
      ["leases", report.leases],
      ["pods", report.pods],
      ["container groups", report.groups],
      ["RBAC and webhook", report.clusterObjects],
    ] as const
  )
    .filter(([, items]) => items.length > 0)
    .map(([what, items]) => `  ${what}: ${items.join(", ")}`);
  return lines.length === 0 ? "Nothing to remove: the connector has no such nodes." : `Removed:\n${lines.join("\n")}`;
}
