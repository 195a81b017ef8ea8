// Runs the connector as it runs in production: a user with nothing but the RBAC from infra/kubernetes/,
// applied here by the admin, as `aci-connector install` applies it.
import type { KubeConfig } from "@kubernetes/client-node";
import { applyObjects } from "../../shared/kube/apply.js";
import { renderConnectorRbac } from "../../shared/install/manifests.js";
import type { TestCluster } from "./cluster.js";

export interface ConnectorIdentity {
  readonly user: string;
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
}

export async function restrictedConnectorIdentity(
  cluster: TestCluster,
  options: { connectorName: string; nodeNames: readonly string[] },
): Promise<ConnectorIdentity> {
  const user = `aci-connector-${options.connectorName}`;
  await applyObjects(cluster.admin, renderConnectorRbac({ connectorName: options.connectorName, connectorUser: user, nodeNames: options.nodeNames }));
  const { path, kubeConfig } = await cluster.userKubeconfig(user);
  return { user, kubeconfigPath: path, kubeConfig };
}
