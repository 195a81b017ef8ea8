// The connector's settings, read once from the environment (the Function App's app settings) into a
// frozen, typed object. Every missing or bad setting is named in one error, never one at a time.
import { armBudget } from "../aci/arm-budget.js";
import { minPathTokenLength } from "../webhook/path-token.js";
import type { PullIdentity } from "../translate/pull-identity.js";
import type { WorkloadIdentityGrant } from "../translate/workload-identity.js";
import { connectorNameFormProblem, connectorNameLengthProblem } from "./connector-name.js";
import { identitySettingNames, readPullIdentity, readWorkloadIdentities } from "./identity-settings.js";

export const osTypeChoices = ["Linux", "Windows", "Both"] as const;
export type OsTypeChoice = (typeof osTypeChoices)[number];
export type NodeOs = "Linux" | "Windows";

/** How the connector reaches the cluster's API server. */
export type KubernetesAccess =
  /** A kubeconfig file, or its contents base64-encoded (e.g. from a Key Vault reference): any cluster. */
  | { readonly kind: "kubeconfig"; readonly path?: string; readonly base64?: string }
  /** AKS with Entra ID: the API server URL and CA, and a token from the managed identity. */
  | { readonly kind: "entra"; readonly server: string; readonly caBase64: string };

export interface CapacityOverrides {
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
}

export interface Settings {
  /** Names the connector's nodes (`virtual-kubelet-<name>-<os>-<location>`) and tags its groups. */
  readonly connectorName: string;
  /**
   * The cluster this connector serves (its kube-system namespace's UID, written by install). Container
   * groups are tagged with it, and a group of another cluster is never touched, even one whose
   * connector has the same name in the same resource group.
   */
  readonly clusterId: string;
  readonly nodeOsTypes: readonly NodeOs[];
  readonly location: string;
  readonly subscriptionId: string;
  readonly aciResourceGroup: string;
  /** Set to deploy groups into a virtual network (private IPs) instead of with public IPs. */
  readonly subnetId?: string;
  readonly capacity: CapacityOverrides;
  readonly kubernetes: KubernetesAccess;
  /** Another ARM endpoint (the local emulator) and the CA that signs its certificate. */
  readonly armEndpoint?: string;
  readonly armCaFile?: string;
  /**
   * Azure Monitor's metrics data plane, where the kubelet API's resource metrics come from (METRICS_ENDPOINT):
   * `https://<location>.metrics.monitor.azure.com` unless set (the local emulator's endpoint, with
   * METRICS_CA_FILE for its CA). docs/decisions/resource-metrics.md
   */
  readonly metricsEndpoint: string;
  readonly metricsCaFile?: string;
  /** How often node status is posted and ARM's health probed, at most (default 60 s). */
  readonly nodeStatusIntervalSeconds: number;
  /**
   * The share of ARM's read refill (25 a second per principal and region) that reconcile may spend
   * (ARM_READ_SHARE, 0.01 to 1, default 0.5): what is left after the lists and the groups that can be
   * changing goes to re-reading running pods, so this decides how soon a container's exit is seen.
   */
  readonly armReadShare: number;
  /** The secret path segment of the webhook URL (the API server cannot send a key any other way). */
  readonly webhookPathToken: string;
  /**
   * Where the functions serve the kubelet API (KUBELET_ENDPOINT, `host:port`): the virtual nodes
   * advertise it as their address and kubelet port, so `kubectl logs` reaches the functions. Unset: no
   * endpoint (port 0), as before.
   */
  readonly kubeletEndpoint?: { readonly host: string; readonly port: number };
  /** The Event Grid topic that relays webhook calls to podEvents; unset only on the local host. */
  readonly relayTopicEndpoint?: string;
  /**
   * A service principal for ARM instead of the managed identity (install's --service-principal). Its
   * secret is read by the credential from ACI_ARM_CLIENT_SECRET and never kept here.
   */
  readonly armServicePrincipal?: { readonly tenantId: string; readonly clientId: string };
  /** The user-assigned identity that pulls images from the listed registries (ACI_PULL_IDENTITY, ACI_PULL_REGISTRIES). */
  readonly pullIdentity?: PullIdentity;
  /** Which service account's pods may carry which identity (ACI_WORKLOAD_IDENTITIES); empty: none. */
  readonly workloadIdentities: readonly WorkloadIdentityGrant[];
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`aci-connector settings are not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/** The app setting names, in one place for the Bicep templates, the local host and the docs. */
export const settingNames = {
  connectorName: "ACI_CONNECTOR_NAME",
  clusterId: "ACI_CONNECTOR_CLUSTER_ID",
  osType: "ACI_CONNECTOR_OS_TYPE",
  location: "ACI_LOCATION",
  subscriptionId: "AZURE_SUBSCRIPTION_ID",
  aciResourceGroup: "ACI_RESOURCE_GROUP",
  subnetId: "ACI_SUBNET_ID",
  capacityCpu: "ACI_NODE_CAPACITY_CPU",
  capacityMemory: "ACI_NODE_CAPACITY_MEMORY",
  capacityPods: "ACI_NODE_CAPACITY_PODS",
  kubeconfigPath: "KUBECONFIG",
  kubeconfigBase64: "KUBECONFIG_BASE64",
  kubeServer: "KUBE_API_SERVER",
  kubeCaBase64: "KUBE_CA_BASE64",
  armEndpoint: "ARM_ENDPOINT",
  armCaFile: "ARM_CA_FILE",
  metricsEndpoint: "METRICS_ENDPOINT",
  metricsCaFile: "METRICS_CA_FILE",
  nodeStatusIntervalSeconds: "NODE_STATUS_INTERVAL_SECONDS",
  armReadShare: "ARM_READ_SHARE",
  webhookPathToken: "WEBHOOK_PATH_TOKEN",
  kubeletEndpoint: "KUBELET_ENDPOINT",
  relayTopicEndpoint: "RELAY_TOPIC_ENDPOINT",
  armClientId: "ACI_ARM_CLIENT_ID",
  armTenantId: "ACI_ARM_TENANT_ID",
  armClientSecret: "ACI_ARM_CLIENT_SECRET",
  ...identitySettingNames,
} as const;

const clusterIdPattern = /^[A-Za-z0-9-]{1,64}$/;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const quantity = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
/** What is wrong with a subnet resource id given as `label`, if anything. */
export function subnetIdProblem(subnetId: string, label: string): string | undefined {
  return subnetIdPattern.test(subnetId) ? undefined : `${label} must be a subnet resource id (/subscriptions/.../virtualNetworks/<vnet>/subnets/<subnet>)`;
}

const subnetIdPattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

export function readSettings(env: Readonly<Record<string, string | undefined>> = process.env): Settings {
  const problems: string[] = [];
  const n = settingNames;
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const required = (name: string, what: string) => {
    const v = value(name);
    if (v === undefined) problems.push(`${name} is missing: ${what}`);
    return v ?? "";
  };

  const connectorName = required(n.connectorName, "the connector's name, as in `--connector-name`");
  const nameForm = connectorName === "" ? undefined : connectorNameFormProblem(connectorName, n.connectorName);
  if (nameForm !== undefined) problems.push(nameForm);

  const clusterId = required(n.clusterId, "the cluster's identity, the UID of its kube-system namespace (aci-connector install sets it)");
  if (clusterId !== "" && !clusterIdPattern.test(clusterId)) problems.push(`${n.clusterId}="${clusterId}" must be the kube-system namespace's UID (letters, digits and hyphens)`);

  const osType = value(n.osType) ?? "Linux";
  const osChoice = osTypeChoices.find((c) => c.toLowerCase() === osType.toLowerCase());
  if (osChoice === undefined) problems.push(`${n.osType}="${osType}" must be one of ${osTypeChoices.join(", ")}`);
  const nodeOsTypes: NodeOs[] = osChoice === "Both" ? ["Linux", "Windows"] : osChoice === "Windows" ? ["Windows"] : ["Linux"];

  const location = required(n.location, "the Azure region for container groups, e.g. westeurope").toLowerCase();
  if (location !== "" && !/^[a-z0-9]+$/.test(location)) {
    problems.push(`${n.location}="${location}" must be a region name such as westeurope (no spaces)`);
  } else if (location !== "" && connectorName !== "" && nameForm === undefined) {
    const tooLong = connectorNameLengthProblem(connectorName, location, nodeOsTypes, n.connectorName);
    if (tooLong !== undefined) problems.push(tooLong);
  }
  const subscriptionId = required(n.subscriptionId, "the subscription that holds the ACI resource group");
  if (subscriptionId !== "" && !guid.test(subscriptionId)) problems.push(`${n.subscriptionId}="${subscriptionId}" is not a GUID`);
  const aciResourceGroup = required(n.aciResourceGroup, "the resource group the container groups are created in");

  const subnetId = value(n.subnetId);
  const subnetProblem = subnetId === undefined ? undefined : subnetIdProblem(subnetId, n.subnetId);
  if (subnetProblem !== undefined) problems.push(subnetProblem);

  const capacity: { cpu?: string; memory?: string; pods?: string } = {};
  for (const [key, name] of [["cpu", n.capacityCpu], ["memory", n.capacityMemory], ["pods", n.capacityPods]] as const) {
    const v = value(name);
    if (v === undefined) continue;
    if (!quantity.test(v)) problems.push(`${name}="${v}" is not a Kubernetes quantity (e.g. 100, 400Gi)`);
    capacity[key] = v;
  }

  const kubernetes = readKubernetesAccess(value, problems);

  const armEndpoint = value(n.armEndpoint);
  if (armEndpoint !== undefined && !/^https:\/\/[^/?#]+\/?$/.test(armEndpoint)) {
    problems.push(`${n.armEndpoint}="${armEndpoint}" must be an https:// origin (the Azure SDK sends tokens only over HTTPS)`);
  }
  const armCaFile = value(n.armCaFile);
  const metricsEndpoint = value(n.metricsEndpoint);
  if (metricsEndpoint !== undefined && !/^https:\/\/[^/?#]+\/?$/.test(metricsEndpoint)) {
    problems.push(`${n.metricsEndpoint}="${metricsEndpoint}" must be an https:// origin, e.g. https://westeurope.metrics.monitor.azure.com`);
  }
  const metricsCaFile = value(n.metricsCaFile);

  const intervalText = value(n.nodeStatusIntervalSeconds) ?? "60";
  const nodeStatusIntervalSeconds = Number(intervalText);
  if (!Number.isInteger(nodeStatusIntervalSeconds) || nodeStatusIntervalSeconds < 1 || nodeStatusIntervalSeconds > 60) {
    problems.push(`${n.nodeStatusIntervalSeconds}="${intervalText}" must be a whole number of seconds from 1 to 60`);
  }

  const shareText = value(n.armReadShare) ?? String(armBudget.reads.defaultShare);
  const armReadShare = Number(shareText);
  if (!(armReadShare >= 0.01 && armReadShare <= 1)) {
    problems.push(`${n.armReadShare}="${shareText}" must be a number from 0.01 to 1: the share of ARM's 25 reads a second that reconcile may spend`);
  }

  const webhookPathToken = required(n.webhookPathToken, `the webhook URL's secret path segment (${minPathTokenLength}+ URL-safe characters)`);
  if (webhookPathToken !== "" && !new RegExp(`^[A-Za-z0-9_-]{${minPathTokenLength},}$`).test(webhookPathToken)) {
    problems.push(`${n.webhookPathToken} must be at least ${minPathTokenLength} URL-safe characters (letters, digits, - and _)`);
  }
  const relayTopicEndpoint = value(n.relayTopicEndpoint);
  if (relayTopicEndpoint !== undefined && !/^https:\/\//.test(relayTopicEndpoint)) {
    problems.push(`${n.relayTopicEndpoint} must be the Event Grid topic's https:// endpoint`);
  }

  const armServicePrincipal = readArmServicePrincipal(value, problems);
  const kubeletEndpoint = readKubeletEndpoint(value(n.kubeletEndpoint), problems);
  const pullIdentity = readPullIdentity(value, problems);
  const workloadIdentities = readWorkloadIdentities(value(n.workloadIdentities), problems);

  if (problems.length > 0) throw new SettingsError(problems);
  return Object.freeze({
    connectorName,
    clusterId,
    nodeOsTypes: Object.freeze(nodeOsTypes),
    location,
    subscriptionId,
    aciResourceGroup,
    ...(subnetId !== undefined && { subnetId }),
    capacity: Object.freeze(capacity),
    kubernetes: Object.freeze(kubernetes),
    ...(armEndpoint !== undefined && { armEndpoint: armEndpoint.replace(/\/$/, "") }),
    ...(armCaFile !== undefined && { armCaFile }),
    // Azure Monitor's regional data-plane endpoint: the region must be the resources' own
    // (learn.microsoft.com/rest/api/monitor/metrics-batch/batch, `endpoint`).
    metricsEndpoint: metricsEndpoint?.replace(/\/$/, "") ?? `https://${location}.metrics.monitor.azure.com`,
    ...(metricsCaFile !== undefined && { metricsCaFile }),
    nodeStatusIntervalSeconds,
    armReadShare,
    webhookPathToken,
    ...(relayTopicEndpoint !== undefined && { relayTopicEndpoint }),
    ...(kubeletEndpoint !== undefined && { kubeletEndpoint: Object.freeze(kubeletEndpoint) }),
    ...(armServicePrincipal !== undefined && { armServicePrincipal: Object.freeze(armServicePrincipal) }),
    ...(pullIdentity !== undefined && { pullIdentity: Object.freeze({ ...pullIdentity, registries: Object.freeze(pullIdentity.registries) }) }),
    workloadIdentities: Object.freeze(workloadIdentities),
  });
}

function readKubeletEndpoint(text: string | undefined, problems: string[]): Settings["kubeletEndpoint"] {
  if (text === undefined) return undefined;
  const match = /^([A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535) {
    problems.push(`${settingNames.kubeletEndpoint}="${text}" must be host:port (an IPv4 address or DNS name, a port from 1 to 65535), e.g. myapp.azurewebsites.net:443`);
    return undefined;
  }
  return { host: match[1]!, port };
}

function readArmServicePrincipal(value: (name: string) => string | undefined, problems: string[]): Settings["armServicePrincipal"] {
  const n = settingNames;
  const clientId = value(n.armClientId);
  const tenantId = value(n.armTenantId);
  const hasSecret = value(n.armClientSecret) !== undefined;
  if (clientId === undefined && tenantId === undefined && !hasSecret) return undefined;
  // Named, never shown: the secret's value must not reach an error message or a log.
  if (clientId === undefined || !guid.test(clientId)) problems.push(`${n.armClientId} must be the service principal's application (client) id, a GUID`);
  if (tenantId === undefined || !guid.test(tenantId)) problems.push(`${n.armTenantId} must be the service principal's tenant id, a GUID`);
  if (!hasSecret) problems.push(`${n.armClientSecret} is missing: the service principal's secret`);
  return { tenantId: tenantId ?? "", clientId: clientId ?? "" };
}

function readKubernetesAccess(value: (name: string) => string | undefined, problems: string[]): KubernetesAccess {
  const n = settingNames;
  const path = value(n.kubeconfigPath);
  const base64 = value(n.kubeconfigBase64);
  const server = value(n.kubeServer);
  const caBase64 = value(n.kubeCaBase64);
  const kubeconfigGiven = path !== undefined || base64 !== undefined;
  const entraGiven = server !== undefined || caBase64 !== undefined;
  if (kubeconfigGiven && entraGiven) {
    problems.push(`set either ${n.kubeconfigPath}/${n.kubeconfigBase64} (kubeconfig) or ${n.kubeServer}+${n.kubeCaBase64} (AKS with Entra ID), not both`);
  } else if (entraGiven) {
    if (server === undefined || !/^https:\/\//.test(server)) problems.push(`${n.kubeServer} must be the API server's https:// URL`);
    if (caBase64 === undefined) problems.push(`${n.kubeCaBase64} is missing: the API server's CA certificate, base64-encoded PEM`);
    return { kind: "entra", server: server ?? "", caBase64: caBase64 ?? "" };
  } else if (!kubeconfigGiven) {
    problems.push(`no Kubernetes access: set ${n.kubeServer}+${n.kubeCaBase64} (AKS with Entra ID) or ${n.kubeconfigPath} or ${n.kubeconfigBase64}`);
  }
  return { kind: "kubeconfig", ...(path !== undefined && { path }), ...(base64 !== undefined && { base64 }) };
}
