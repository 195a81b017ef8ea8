// The Azure side of install: infra/main.bicep (or --chart-url's template) deployed at subscription scope,
// the function package zip-deployed to the Function App, then the Event Grid subscriptions, which need
// the functions to exist. Secrets (the webhook token, a service principal's secret) go to az in a
// parameters file readable only by this user, never on a command line where `ps` would show them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OsTypeChoice } from "../shared/config/settings.js";
import { writeFunctionPackage } from "../shared/install/function-package.js";
import { ensureAciResourceGroup } from "./aci-resource-group.js";
import type { AzRunner } from "./az.js";
import type { AzureCluster } from "./azure-cluster.js";

export interface AzureDeploymentInput {
  readonly cluster: Pick<AzureCluster, "subscriptionId" | "connectorName" | "location" | "aciResourceGroup" | "apiServer" | "caBase64">;
  readonly projectRoot: string;
  readonly osType: OsTypeChoice;
  /** The cluster's identity (its kube-system namespace UID). */
  readonly clusterId: string;
  readonly webhookPathToken: string;
  /** A .bicep or .json file, or an https URL of an ARM JSON template (--chart-url). */
  readonly template: string;
  readonly servicePrincipal?: {
    readonly clientId: string;
    readonly objectId: string;
    readonly secret: string;
    /** It holds Contributor on the ACI resource group already (cli/existing-role-assignment.ts). */
    readonly hasContributor?: boolean;
  };
  /** The subnet the container groups go into (--subnet-id). */
  readonly subnetId?: string;
  /** The Function App's region, where Flex Consumption is offered (cli/function-location.ts). */
  readonly functionAppLocation: string;
  /** The identities the connector may put on container groups, with each workload identity's client id read. */
  readonly identities?: {
    readonly pullIdentity?: string;
    readonly pullRegistries?: string;
    readonly acrIds: readonly string[];
    /** `namespace/serviceaccount` -> the identity (ACI_WORKLOAD_IDENTITIES' shape). */
    readonly workloadIdentities: Readonly<Record<string, { readonly clientId: string; readonly resourceId: string }>>;
  };
  /** Always-ready instances of the HTTP functions (--http-always-ready), when any. */
  readonly httpAlwaysReady?: number;
}

export interface AzureDeployment {
  readonly functionAppName: string;
  readonly functionAppHost: string;
  /** The managed identity's object id: the connector's user name in the cluster's RBAC. */
  readonly connectorPrincipalId: string;
}

/** The azd environment and deployment name of a connector, and its resource group (main.bicep's default). */
export const connectorEnvironmentName = (connectorName: string) => `aci-connector-${connectorName}`;
export const connectorResourceGroupName = (connectorName: string) => `rg-${connectorEnvironmentName(connectorName)}`;

/** The deployment's parameters; exported for the unit test that pins them to main.bicep's. */
export function deploymentParameters(input: AzureDeploymentInput): Record<string, { value: unknown }> {
  const { cluster, identities } = input;
  const values: Record<string, unknown> = {
    environmentName: connectorEnvironmentName(cluster.connectorName),
    location: cluster.location,
    functionAppLocation: input.functionAppLocation,
    aciResourceGroupName: cluster.aciResourceGroup,
    connectorName: cluster.connectorName,
    clusterId: input.clusterId,
    osType: input.osType,
    kubeApiServer: cluster.apiServer,
    kubeCaBase64: cluster.caBase64,
    webhookPathToken: input.webhookPathToken,
    ...(input.subnetId !== undefined && { aciSubnetId: input.subnetId }),
    ...(identities?.pullIdentity !== undefined && { aciPullIdentityId: identities.pullIdentity }),
    ...(identities?.pullRegistries !== undefined && { aciPullRegistries: identities.pullRegistries }),
    ...(identities !== undefined && identities.acrIds.length > 0 && { acrIds: identities.acrIds }),
    ...(identities !== undefined && Object.keys(identities.workloadIdentities).length > 0 && { aciWorkloadIdentities: identities.workloadIdentities }),
    ...(input.httpAlwaysReady !== undefined && { httpAlwaysReady: input.httpAlwaysReady }),
    ...(input.servicePrincipal !== undefined && {
      armClientId: input.servicePrincipal.clientId,
      armPrincipalObjectId: input.servicePrincipal.objectId,
      armClientSecret: input.servicePrincipal.secret,
      ...(input.servicePrincipal.hasContributor === true && { armPrincipalHasContributor: true }),
    }),
  };
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }]));
}

/** The functions the Event Grid subscriptions deliver to: each must be listed before it can be subscribed. */
const subscribedFunctions = ["podEvents", "aciEvents"] as const;

export interface DeploymentTiming {
  /** How long to wait between two looks at the Function App's function list (default 10 s). */
  readonly listPollMs?: number;
  /** How many looks before giving up (default 30: five minutes). */
  readonly listAttempts?: number;
}

export async function deployAzureSide(input: AzureDeploymentInput, az: AzRunner, progress: (line: string) => void, timing: DeploymentTiming = {}): Promise<AzureDeployment> {
  const { cluster } = input;
  const work = await mkdtemp(join(tmpdir(), "aci-connector-deploy-"));
  const subscription = ["--subscription", cluster.subscriptionId];
  try {
    const parametersFile = join(work, "parameters.json");
    await writeFile(parametersFile, JSON.stringify({ $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", contentVersion: "1.0.0.0", parameters: deploymentParameters(input) }), { mode: 0o600 });
    const aciGroup = await ensureAciResourceGroup({ subscriptionId: cluster.subscriptionId, name: cluster.aciResourceGroup, location: cluster.location, connectorName: cluster.connectorName }, az);
    progress(aciGroup === "created" ? `created resource group ${cluster.aciResourceGroup} in ${cluster.location} for the container groups` : `container groups go into the existing resource group ${cluster.aciResourceGroup} (left as it is)`);
    const templateArgs = /^https:\/\//.test(input.template) ? ["--template-uri", input.template] : ["--template-file", input.template];
    progress(`deploying ${input.template} to subscription ${cluster.subscriptionId} (Function App, identity, storage, Event Grid; a few minutes)`);
    const outputs = JSON.parse(
      // Named by location too: ARM refuses a subscription deployment of an existing name in another
      // location (InvalidDeploymentLocation), so an install into a second region must not reuse the name.
      await az(["deployment", "sub", "create", "--name", `aci-connector-${cluster.connectorName}-${cluster.location}`, "--location", cluster.location, ...subscription, ...templateArgs, "--parameters", `@${parametersFile}`, "--query", "properties.outputs", "-o", "json"]),
    ) as Record<string, { value?: string } | undefined>;
    const output = (name: string) => {
      const value = outputs[name]?.value;
      if (value === undefined || value === "") throw new Error(`the deployment has no output ${name}: is ${input.template} aci-connector's template?`);
      return value;
    };
    const resourceGroup = output("AZURE_RESOURCE_GROUP");
    const functionAppName = output("FUNCTION_APP_NAME");

    const zip = join(work, "functions.zip");
    const files = await writeFunctionPackage(input.projectRoot, zip);
    progress(`deploying the function package (${files} files) to ${functionAppName}`);
    await az(["functionapp", "deployment", "source", "config-zip", "--resource-group", resourceGroup, "--name", functionAppName, "--src", zip, ...subscription]);

    await waitForFunctions(az, { resourceGroup, functionAppName, subscription }, progress, timing);
    // Azure allows one Event Grid system topic per source: the ACI resource group's, if it has one
    // already (another tool's, or another connector's), is subscribed to rather than created again.
    const systemTopic = (await az(["eventgrid", "system-topic", "list", "--resource-group", cluster.aciResourceGroup, ...subscription, "--query", "[?topicType=='Microsoft.Resources.ResourceGroups'].name", "-o", "tsv"])).trim().split("\n")[0] ?? "";
    progress(`subscribing podEvents to the relay topic and aciEvents to the ACI resource group's ARM events (${systemTopic === "" ? "a new system topic" : `its system topic ${systemTopic}`})`);
    await az([
      "deployment", "group", "create", "--name", `aci-connector-${cluster.connectorName}-events`, "--resource-group", resourceGroup, ...subscription,
      "--template-file", join(input.projectRoot, "infra", "modules", "event-subscriptions.bicep"),
      "--parameters", `functionAppName=${functionAppName}`, `relayTopicName=${output("RELAY_TOPIC_NAME")}`, `aciResourceGroupName=${cluster.aciResourceGroup}`,
      `connectorName=${cluster.connectorName}`, `existingSystemTopicName=${systemTopic}`,
    ]);
    return { functionAppName, functionAppHost: output("FUNCTION_APP_HOST"), connectorPrincipalId: output("CONNECTOR_PRINCIPAL_ID") };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * An Event Grid subscription to an Azure Function fails until the Function App lists that function, and
 * the list lags a zip deployment (the host must start and index the package). Bounded, with progress.
 */
async function waitForFunctions(
  az: AzRunner,
  app: { resourceGroup: string; functionAppName: string; subscription: readonly string[] },
  progress: (line: string) => void,
  timing: DeploymentTiming,
): Promise<void> {
  const attempts = timing.listAttempts ?? 30;
  const pollMs = timing.listPollMs ?? 10_000;
  let missing: string[] = [...subscribedFunctions];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const listed = (await az(["functionapp", "function", "list", "--resource-group", app.resourceGroup, "--name", app.functionAppName, ...app.subscription, "--query", "[].name", "-o", "tsv"])).split(/\s+/);
    // Listed as "<app>/<function>".
    missing = subscribedFunctions.filter((f) => !listed.some((name) => name.endsWith(`/${f}`)));
    if (missing.length === 0) return;
    progress(`waiting for ${app.functionAppName} to list ${missing.join(" and ")} (${attempt}/${attempts})`);
    if (attempt < attempts) await sleep(pollMs);
  }
  throw new Error(`${app.functionAppName} still does not list ${missing.join(" and ")} after ${Math.round((attempts * pollMs) / 1000)} s: the package may not have started (the app's Application Insights shows why); run install again once it does`);
}
