// `aci-connector install`: the seed's `az aks install-connector`, in the seed's order. 1) the
// Microsoft.ContainerInstance provider Registered; 2) the Azure side deployed or updated (nothing to
// deploy for --local, whose functions host is already running); 3) the cluster side: RBAC, webhook, and
// the virtual nodes. Every step is idempotent, so install also updates and repairs.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AdmissionregistrationV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { ArmPipeline } from "../shared/aci/arm-http.js";
import { createAciHealthProbe } from "../shared/aci/location-health.js";
import { connectorNameLengthProblem } from "../shared/config/connector-name.js";
import type { NodeOs, OsTypeChoice } from "../shared/config/settings.js";
import type { NodeRegistration } from "../shared/controller/node-registration.js";
import { unlessNotFound } from "../shared/kube/errors.js";
import { createNodeClient } from "../shared/kube/node-client.js";
import { allNodeOs, installClusterSide, nodeNamesOf } from "../shared/install/cluster-side.js";
import { containerInstanceNamespace, ensureResourceProviderRegistered, type ArmTarget } from "../shared/install/resource-provider.js";
import { readPackageVersion } from "../shared/version.js";
import { newPathToken } from "../shared/webhook/path-token.js";
import { runAz, type AzRunner } from "./az.js";
import { resolveAzureCluster } from "./azure-cluster.js";
import { deployAzureSide, type AzureDeploymentInput } from "./azure-deployment.js";
import { holdsContributorOn } from "./existing-role-assignment.js";
import { checkedFunctionAppLocation } from "./function-location.js";
import { refuseForeignFunctionApp } from "./function-app-owner.js";
import { readClusterId } from "../shared/kube/cluster-id.js";
import { runConnectorCommand } from "./connector-command.js";
import { osTypesOf, type ConnectorOptions, type IdentityOptions } from "./connector-options.js";
import { openLocalTarget } from "./local-target.js";
import type { Command } from "./main.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url)); // from dist/cli/

export const installCommand: Command = (args) =>
  runConnectorCommand("install", args, async (options, say) => {
    const nodes = options.local ? await installLocal(options, say) : await installAzure(options, runAz, say);
    return `\nThe connector is installed. Its nodes: ${nodes.map((n) => n.node).join(", ")}\n  kubectl get nodes`;
  });

/** Installs into the local run (npm start does this when it starts). */
export async function installLocal(
  options: Pick<ConnectorOptions, "stateDir" | "osType" | "connectorName" | "location">,
  say: (line: string) => void,
): Promise<NodeRegistration[]> {
  const target = await openLocalTarget(options);
  const { state } = target;
  await registerProvider(target.arm, { armEndpoint: state.emulator.endpoint, subscriptionId: state.emulator.subscriptionId }, say);
  say(`Azure side: served by the local run's functions host (${new URL(state.webhook.url).origin})`);
  return installClusterSide(
    {
      kube: target.kube,
      connectorName: state.connectorName,
      location: state.location,
      connectorUser: state.connectorUser,
      webhook: { url: state.webhook.url, caPem: target.webhookCaPem },
      aciHealth: target.aciHealth,
    },
    osTypesOf(options.osType),
    say,
  );
}

async function installAzure(options: ConnectorOptions, az: AzRunner, say: (line: string) => void): Promise<NodeRegistration[]> {
  const version = readPackageVersion();
  if (options.imageTag !== undefined && options.imageTag.replace(/^v/, "") !== version) {
    throw new Error(`--image-tag ${options.imageTag}: this is aci-connector ${version}, and it deploys the function package built from its own checkout; run install from a checkout of ${options.imageTag}`);
  }
  const cluster = await resolveAzureCluster(options, az);
  // Without --location the region is the cluster's: only now can the node names be checked, still
  // before anything is changed.
  const tooLong = connectorNameLengthProblem(cluster.connectorName, cluster.location, osTypesOf(options.osType), "--connector-name");
  if (tooLong !== undefined) throw new Error(tooLong);
  if (!cluster.entraId) {
    throw new Error(
      `AKS cluster ${cluster.clusterName} has no Entra ID integration: the connector signs in to the API server with its managed identity's Entra token, ` +
        `and stores no cluster credential. Enable it with: az aks update -g ${cluster.resourceGroup} -n ${cluster.clusterName} --enable-aad`,
    );
  }
  const functionAppLocation = await checkedFunctionAppLocation(options.functionLocation ?? cluster.location, cluster.subscriptionId, az, options.functionLocation !== undefined ? "--function-location" : "the container groups' region");
  say(`cluster ${cluster.clusterName} (${cluster.apiServer}); container groups in ${cluster.aciResourceGroup}, ${cluster.location}; Function App in ${functionAppLocation}`);
  await registerProvider(cluster.arm, { subscriptionId: cluster.subscriptionId }, say);
  // Flex Consumption runs on Microsoft.App, which a template of Microsoft.Web resources does not register
  // by itself (infra/hooks/preprovision.sh does the same for azd).
  await registerProvider(cluster.arm, { subscriptionId: cluster.subscriptionId }, say, flexConsumptionNamespace);

  const servicePrincipal =
    options.servicePrincipal === undefined
      ? undefined
      : {
          clientId: options.servicePrincipal,
          objectId: await az(["ad", "sp", "show", "--id", options.servicePrincipal, "--query", "id", "-o", "tsv"]),
          secret: options.clientSecret!,
        };
  const servicePrincipalHasContributor = servicePrincipal !== undefined && (await holdsContributorOn(servicePrincipal.objectId, cluster.aciResourceGroup, cluster.subscriptionId, az));
  if (servicePrincipalHasContributor) say(`the service principal already holds Contributor on ${cluster.aciResourceGroup}: that assignment is kept`);
  const clusterId = await readClusterId(cluster.kube);
  await refuseForeignFunctionApp({ subscriptionId: cluster.subscriptionId, connectorName: cluster.connectorName, clusterId, apiServer: cluster.apiServer }, az);
  const webhookPathToken = (await currentWebhookToken(cluster.kube, cluster.connectorName)) ?? newPathToken();
  const identities = options.identities === undefined ? undefined : await resolvedIdentities(options.identities, cluster.subscriptionId, az);
  const deployment = await deployAzureSide(
    {
      cluster,
      clusterId,
      projectRoot,
      // The Function App serves every node the connector has, not only the ones this run adds.
      osType: await servedOsType(cluster.kube, cluster, osTypesOf(options.osType)),
      webhookPathToken,
      template: options.chartUrl ?? join(projectRoot, "infra", "main.bicep"),
      ...(servicePrincipal !== undefined && { servicePrincipal: { ...servicePrincipal, hasContributor: servicePrincipalHasContributor } }),
      ...(options.subnetId !== undefined && { subnetId: options.subnetId }),
      ...(identities !== undefined && { identities }),
      ...(options.httpAlwaysReady !== undefined && { httpAlwaysReady: options.httpAlwaysReady }),
      functionAppLocation,
    },
    az,
    say,
  );
  return installClusterSide(
    {
      kube: cluster.kube,
      connectorName: cluster.connectorName,
      location: cluster.location,
      connectorUser: deployment.connectorPrincipalId,
      webhook: { url: `https://${deployment.functionAppHost}/api/pod-webhook/${webhookPathToken}` },
      aciHealth: createAciHealthProbe(cluster.arm, { subscriptionId: cluster.subscriptionId, location: cluster.location }),
    },
    osTypesOf(options.osType),
    say,
  );
}

const flexConsumptionNamespace = "Microsoft.App";

/**
 * The identity arguments with each workload identity's client id, read from the identity itself: the
 * allow-list pairs them, and a client id typed by hand could name another identity.
 */
async function resolvedIdentities(given: IdentityOptions, subscriptionId: string, az: AzRunner): Promise<NonNullable<AzureDeploymentInput["identities"]>> {
  const workloadIdentities: Record<string, { clientId: string; resourceId: string }> = {};
  for (const { serviceAccount, resourceId } of given.workloadIdentities) {
    const clientId = (await az(["identity", "show", "--ids", resourceId, "--subscription", subscriptionId, "--query", "clientId", "-o", "tsv"])).trim();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) throw new Error(`--workload-identity ${serviceAccount}: az identity show gave no client id for ${resourceId}`);
    workloadIdentities[serviceAccount] = { clientId, resourceId };
  }
  return {
    ...(given.pullIdentity !== undefined && { pullIdentity: given.pullIdentity }),
    ...(given.pullRegistries !== undefined && { pullRegistries: given.pullRegistries }),
    acrIds: given.acrIds,
    workloadIdentities,
  };
}

async function registerProvider(arm: ArmPipeline, target: ArmTarget, say: (line: string) => void, namespace = containerInstanceNamespace): Promise<void> {
  const outcome = await ensureResourceProviderRegistered(arm, target, namespace, { progress: say });
  say(`${namespace}: ${outcome === "registered" ? "registered now" : "Registered"}`);
}

/** The webhook URL's secret segment already in the cluster, so a repeated install keeps it. */
async function currentWebhookToken(kube: KubeConfig, connectorName: string): Promise<string | undefined> {
  const existing = await unlessNotFound(kube.makeApiClient(AdmissionregistrationV1Api).readValidatingWebhookConfiguration({ name: `aci-connector-${connectorName}` }));
  const url = existing?.webhooks?.[0]?.clientConfig.url;
  return url === undefined ? undefined : /\/api\/pod-webhook\/([A-Za-z0-9_-]+)$/.exec(url)?.[1];
}

/** The OS types the connector serves after this install: the ones asked for and the ones registered. */
async function servedOsType(kube: KubeConfig, target: { connectorName: string; location: string }, adding: readonly NodeOs[]): Promise<OsTypeChoice> {
  const nodes = createNodeClient(kube);
  const serving = new Set<NodeOs>(adding);
  for (const os of allNodeOs) {
    if ((await nodes.getNode(nodeNamesOf(target, [os])[0]!)) !== undefined) serving.add(os);
  }
  return serving.size === allNodeOs.length ? "Both" : [...serving][0]!;
}
