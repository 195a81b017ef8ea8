// The arguments of `aci-connector install` and `remove`: the seed's `az aks install-connector` /
// `remove-connector` arguments with the same names, meanings and defaults, plus what running without
// the Azure CLI's context needs (--local, --subscription, --kubeconfig).
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { connectorNameFormProblem, connectorNameLengthProblem } from "../shared/config/connector-name.js";
import { identityIdProblem, pullRegistriesProblem } from "../shared/config/identity-settings.js";
import { osTypeChoices, subnetIdProblem, type NodeOs, type OsTypeChoice } from "../shared/config/settings.js";
import { defaultStateDir } from "./local-state.js";

export type ConnectorCommand = "install" | "remove";

export interface ConnectorOptions {
  readonly connectorName?: string;
  readonly clusterName?: string;
  readonly resourceGroup?: string;
  readonly osType: OsTypeChoice;
  readonly aciResourceGroup?: string;
  readonly location?: string;
  readonly servicePrincipal?: string;
  /**
   * Never printed, never taken from the command line (`ps` and shell history would show it): from
   * ACI_CONNECTOR_CLIENT_SECRET, or from standard input with `--client-secret -` (see clientSecretFromStdin).
   */
  readonly clientSecret?: string;
  /** `--client-secret -`: the command reads clientSecret from standard input before anything else. */
  readonly clientSecretFromStdin?: boolean;
  readonly chartUrl?: string;
  readonly imageTag?: string;
  /** A subnet for the container groups (install --subnet-id): the deployment's ACI_SUBNET_ID. */
  readonly subnetId?: string;
  /** The Function App's region when Flex Consumption is not offered in the container groups' (install --function-location). */
  readonly functionLocation?: string;
  /** The identities the connector may put on container groups (install --pull-identity, --acr-id, --workload-identity). */
  readonly identities?: IdentityOptions;
  /** Always-ready instances of the HTTP functions (install --http-always-ready; default none). */
  readonly httpAlwaysReady?: number;
  readonly local: boolean;
  readonly stateDir: string;
  readonly subscription?: string;
  readonly kubeconfig?: string;
}

export interface IdentityOptions {
  /** --pull-identity: a user-assigned identity's resource id (ACI_PULL_IDENTITY). */
  readonly pullIdentity?: string;
  /** --pull-registries: registry hosts, comma-separated (ACI_PULL_REGISTRIES; default *.azurecr.io). */
  readonly pullRegistries?: string;
  /** --acr-id: registries' resource ids, on which the pull identity is granted AcrPull. */
  readonly acrIds: readonly string[];
  /** --workload-identity NAMESPACE/SERVICEACCOUNT=IDENTITY_ID: the allow-list; install reads each client id. */
  readonly workloadIdentities: readonly { readonly serviceAccount: string; readonly resourceId: string }[];
}

export const clientSecretEnv = "ACI_CONNECTOR_CLIENT_SECRET";

export function connectorHelp(command: ConnectorCommand): string {
  const install = command === "install";
  return `Usage: aci-connector ${command} --connector-name NAME --name CLUSTER --resource-group RG [options]
       aci-connector ${command} --local [--os-type TYPE] [--state-dir DIR]

${
  install
    ? `Installs the connector, as az aks install-connector did: registers Microsoft.ContainerInstance in the
subscription if it is not Registered, deploys or updates the Azure side (infra/main.bicep: Function App,
managed identity, Event Grid), applies the cluster side (RBAC, webhook) and registers the virtual nodes.`
    : `Removes the connector's virtual nodes, as az aks remove-connector did: for each node of --os-type, the
node, its Lease, its pods and their container groups; with the connector's last node also its RBAC and
webhook. The Azure side stays deployed (delete its resource group to remove it).`
} Running it twice is harmless.

Arguments of az aks ${command}-connector:
  --connector-name NAME      the connector's name: nodes are virtual-kubelet-NAME-<os>-<location>, at
                             most 63 characters (their hostname label); lowercase letters, digits
                             and inner hyphens, at most 30 (required in Azure; with --local, the
                             local run's)
  -n, --name CLUSTER         the AKS cluster (required in Azure)
  -g, --resource-group RG    the AKS cluster's resource group (required in Azure)
  --os-type TYPE             Both, Linux or Windows (default: ${install ? "Linux" : "Both, every node of the connector"})
  --aci-resource-group RG    where container groups run (default: <resource-group>-aci-<connector-name>;
                             the connector is Contributor on it, so it should hold nothing else)
  -l, --location L           the region of the container groups (default: the cluster's)
${
  install
    ? `  --service-principal ID     authenticate the connector to ARM as this service principal instead of its
                             managed identity (the default); it is granted Contributor on the ACI
                             resource group. Kubernetes access stays with the managed identity.
  --client-secret -          the service principal's secret, read from standard input (e.g. piped from
                             az ad sp credential reset ... --query password -o tsv), or set
                             ${clientSecretEnv}; never on the command line, where ps shows it, and
                             never printed
  --chart-url SOURCE         maps to the template deployed: a .bicep or ARM .json file, or an https URL of
                             an ARM .json template (default: infra/main.bicep of this package)
  --image-tag VERSION        maps to the function package's version: it must be this package's version
                             (the package deployed is built from this checkout)
  --subnet-id ID             put every container group into this subnet (private IPs, as AKS virtual
                             nodes do); it must be delegated to Microsoft.ContainerInstance/containerGroups.
                             For the local run, give it to npm start (npm start -- --subnet-id ID)
  --function-location L      the Function App's region, when Flex Consumption is not offered in the
                             container groups' (install checks, and lists where it is)
  --pull-identity ID         a user-assigned identity (its resource id) that pulls images from private
                             registries, as AKS's kubelet identity pulls from ACR; a pod's own
                             imagePullSecrets still win. The connector may assign it to container groups
                             (Managed Identity Operator on it); any container of such a group can get
                             its tokens, so give it AcrPull and nothing else
  --pull-registries LIST     the registries it pulls from, comma-separated: hosts, or *.domain for every
                             registry under it (default: *.azurecr.io)
  --acr-id ID                a registry (its resource id) on which the pull identity is granted AcrPull;
                             repeat for more (or grant it yourself)
  --workload-identity NS/SA=ID
                             lets the pods of service account SA in namespace NS that carry the label
                             azure.workload.identity/use: "true" run with this user-assigned identity on
                             their container group (its client id is read with az); repeat for more.
                             No other pod can get an identity (docs/decisions/identities.md)
  --http-always-ready N      keep N instances of the HTTP functions (webhook, kubelet API) always running:
                             no cold start, at a baseline cost every month (default 0: docs/install.md)
`
    : ""
}
Options of aci-connector:
  --local                    against the local run (npm start) instead of Azure
  --state-dir DIR            the local run's state directory (default ${defaultStateDir})
  --subscription ID          the Azure subscription (default: AZURE_SUBSCRIPTION_ID, then az's current one)
  --kubeconfig FILE          the cluster's kubeconfig, with rights to install (default: KUBECONFIG or
                             ~/.kube/config, as after az aks get-credentials)
  -h, --help                 this text
`;
}

export type ParsedConnectorOptions = { readonly ok: true; readonly options: ConnectorOptions } | { readonly ok: false; readonly help: boolean; readonly error?: string };

export function parseConnectorOptions(command: ConnectorCommand, args: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): ParsedConnectorOptions {
  const installOnly = {
    "service-principal": { type: "string" },
    "client-secret": { type: "string" },
    "chart-url": { type: "string" },
    "image-tag": { type: "string" },
    "subnet-id": { type: "string" },
    "function-location": { type: "string" },
    "pull-identity": { type: "string" },
    "pull-registries": { type: "string" },
    "acr-id": { type: "string", multiple: true },
    "workload-identity": { type: "string", multiple: true },
    "http-always-ready": { type: "string" },
  } as const;
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        "connector-name": { type: "string" },
        name: { type: "string", short: "n" },
        "resource-group": { type: "string", short: "g" },
        "os-type": { type: "string" },
        "aci-resource-group": { type: "string" },
        location: { type: "string", short: "l" },
        ...(command === "install" ? installOnly : {}),
        local: { type: "boolean", default: false },
        "state-dir": { type: "string", default: defaultStateDir },
        subscription: { type: "string" },
        kubeconfig: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // parseArgs names an unknown option without its value, but quotes a stray argument (which may be
    // a secret meant for an option): that one is said without it.
    const e = error as Error & { code?: string };
    return { ok: false, help: false, error: e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" ? "unexpected argument: every value goes with an option (--name VALUE)" : e.message };
  }
  if (values.help === true) return { ok: false, help: true };
  const text = (key: string): string | undefined => {
    const v = (values as Record<string, unknown>)[key];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };

  const problems: string[] = [];
  const osTypeText = text("os-type") ?? (command === "install" ? "Linux" : "Both");
  const osType = osTypeChoices.find((c) => c.toLowerCase() === osTypeText.toLowerCase());
  if (osType === undefined) problems.push(`--os-type must be one of ${osTypeChoices.join(", ")}`);
  const servicePrincipal = text("service-principal");
  const secretArgument = text("client-secret");
  const clientSecretFromStdin = secretArgument === "-";
  if (secretArgument !== undefined && !clientSecretFromStdin) {
    // Refused, and never repeated: it is on the command line already, so say how to keep it off.
    problems.push(`--client-secret takes no secret on the command line, where ps and shell history show it: give --client-secret - and write the secret to standard input, or set ${clientSecretEnv}`);
  }
  // The environment's secret counts only for a service principal named here: a stray one set for some
  // other run must not fail a command that needs none.
  const envSecret = secretArgument === undefined && servicePrincipal !== undefined ? env[clientSecretEnv]?.trim() || undefined : undefined;
  if ((servicePrincipal === undefined) !== (secretArgument === undefined && envSecret === undefined)) {
    problems.push(`--service-principal and --client-secret - (or ${clientSecretEnv}) go together`);
  }
  const local = values.local === true;
  const subnetId = text("subnet-id");
  if (subnetId !== undefined && local) {
    problems.push("--subnet-id with --local: the local run's functions take the subnet when they start; give it to npm start -- --subnet-id ID");
  }
  if (!local) {
    for (const [flag, key] of [["--connector-name", "connector-name"], ["--name", "name"], ["--resource-group", "resource-group"]] as const) {
      if (text(key) === undefined) problems.push(`${flag} is required (or --local for the local run)`);
    }
  }
  problems.push(...valueProblems(command, text, osType));
  const listed = (key: string): string[] => (((values as Record<string, unknown>)[key] ?? []) as string[]).map((v) => v.trim()).filter((v) => v !== "");
  const identities = identityOptions(text, listed, problems);
  if (identities !== undefined && local) problems.push("--pull-identity, --acr-id and --workload-identity are for Azure: the local run's emulator has no managed identities to assign");
  if (problems.length > 0) return { ok: false, help: false, error: problems.join("\n") };

  const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
  return {
    ok: true,
    options: {
      osType: osType!,
      local,
      stateDir: text("state-dir") ?? defaultStateDir,
      ...optional("connectorName", text("connector-name")),
      ...optional("clusterName", text("name")),
      ...optional("resourceGroup", text("resource-group")),
      ...optional("aciResourceGroup", text("aci-resource-group")),
      ...optional("location", text("location")?.toLowerCase()),
      ...optional("servicePrincipal", servicePrincipal),
      ...optional("clientSecret", envSecret),
      ...(clientSecretFromStdin && { clientSecretFromStdin }),
      ...optional("chartUrl", text("chart-url")),
      ...optional("imageTag", text("image-tag")),
      ...optional("subnetId", subnetId),
      ...optional("functionLocation", text("function-location")?.toLowerCase()),
      ...(identities !== undefined && { identities }),
      ...(text("http-always-ready") !== undefined && { httpAlwaysReady: Number(text("http-always-ready")) }),
      ...optional("subscription", text("subscription")),
      ...optional("kubeconfig", text("kubeconfig")),
    },
  };
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ARM's rule for resource group names. */
const resourceGroupName = /^[-\w.()]{0,89}[-\w()]$/;
/** AKS's rule for cluster names. */
const clusterName = /^[A-Za-z0-9]([-\w]{0,61}[A-Za-z0-9])?$/;

/**
 * Every given value that cannot work, found before anything runs: a command must not reach the Azure
 * CLI or the cluster only to fail on its own arguments. The secret is checked apart (never shown).
 */
function valueProblems(command: ConnectorCommand, text: (key: string) => string | undefined, osType: OsTypeChoice | undefined): string[] {
  const problems: string[] = [];
  const connectorName = text("connector-name");
  const nameForm = connectorName === undefined ? undefined : connectorNameFormProblem(connectorName, "--connector-name");
  if (nameForm !== undefined) problems.push(nameForm);
  const location = text("location")?.toLowerCase();
  if (location !== undefined && !/^[a-z0-9]+$/.test(location)) problems.push(`--location="${location}" must be a region name such as westeurope (no spaces)`);
  const functionLocation = text("function-location")?.toLowerCase();
  if (functionLocation !== undefined && !/^[a-z0-9]+$/.test(functionLocation)) problems.push(`--function-location="${functionLocation}" must be a region name such as westeurope (no spaces)`);
  // Install registers nodes; remove only takes away what exists, so a name too long never blocks it.
  else if (command === "install" && connectorName !== undefined && nameForm === undefined && location !== undefined && osType !== undefined) {
    const tooLong = connectorNameLengthProblem(connectorName, location, osTypesOf(osType), "--connector-name");
    if (tooLong !== undefined) problems.push(tooLong);
  }
  const alwaysReady = text("http-always-ready");
  // The plan's scale limit is 40 instances (modules/function-app.bicep's maximumInstanceCount).
  if (alwaysReady !== undefined && !(/^\d{1,2}$/.test(alwaysReady) && Number(alwaysReady) <= 40)) problems.push(`--http-always-ready="${alwaysReady}" must be a whole number from 0 to 40`);
  const name = text("name");
  if (name !== undefined && !clusterName.test(name)) problems.push(`--name="${name}" is not an AKS cluster name (letters, digits, - and _, at most 63)`);
  for (const flag of ["resource-group", "aci-resource-group"]) {
    const group = text(flag);
    if (group !== undefined && !resourceGroupName.test(group)) problems.push(`--${flag}="${group}" is not a resource group name (letters, digits, - _ . ( ), at most 90, not ending in .)`);
  }
  const subscription = text("subscription");
  if (subscription !== undefined && !guid.test(subscription)) problems.push(`--subscription="${subscription}" must be a subscription id, a GUID`);
  const servicePrincipal = text("service-principal");
  if (servicePrincipal !== undefined && !guid.test(servicePrincipal)) problems.push(`--service-principal="${servicePrincipal}" must be the service principal's application (client) id, a GUID`);
  const kubeconfig = text("kubeconfig");
  if (kubeconfig !== undefined && !existsSync(kubeconfig)) problems.push(`--kubeconfig ${kubeconfig}: no such file`);
  const subnetId = text("subnet-id");
  const subnetProblem = subnetId === undefined ? undefined : subnetIdProblem(subnetId, "--subnet-id");
  if (subnetProblem !== undefined) problems.push(subnetProblem);
  const chartUrl = text("chart-url");
  if (chartUrl !== undefined && !/^https:\/\//.test(chartUrl) && !(/\.(bicep|json)$/.test(chartUrl) && existsSync(chartUrl))) {
    problems.push(`--chart-url ${chartUrl}: must be a .bicep or .json file that exists, or an https URL of an ARM JSON template`);
  }
  return problems;
}

const armResourceId = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerRegistry\/registries\/[^/]+$/i;
const serviceAccountKey = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** The identity arguments, each bad one named; undefined when none is given. */
function identityOptions(text: (key: string) => string | undefined, listed: (key: string) => string[], problems: string[]): IdentityOptions | undefined {
  const pullIdentity = text("pull-identity");
  const pullRegistries = text("pull-registries");
  const acrIds = listed("acr-id");
  const workload = listed("workload-identity");
  if (pullIdentity === undefined && pullRegistries === undefined && acrIds.length === 0 && workload.length === 0) return undefined;
  const idProblem = pullIdentity === undefined ? undefined : identityIdProblem(pullIdentity, "--pull-identity");
  if (idProblem !== undefined) problems.push(idProblem);
  const registriesProblem = pullRegistries === undefined ? undefined : pullRegistriesProblem(pullRegistries, "--pull-registries");
  if (registriesProblem !== undefined) problems.push(registriesProblem);
  if (pullIdentity === undefined && (pullRegistries !== undefined || acrIds.length > 0)) problems.push("--pull-registries and --acr-id need --pull-identity: the identity that pulls");
  for (const id of acrIds) if (!armResourceId.test(id)) problems.push(`--acr-id ${id}: must be a container registry's resource id (/subscriptions/.../providers/Microsoft.ContainerRegistry/registries/<name>)`);
  const workloadIdentities = workload.flatMap((entry) => {
    const equals = entry.indexOf("=");
    const [serviceAccount, resourceId] = equals < 0 ? [entry, ""] : [entry.slice(0, equals), entry.slice(equals + 1)];
    const before = problems.length;
    if (!serviceAccountKey.test(serviceAccount)) problems.push(`--workload-identity ${entry}: must be NAMESPACE/SERVICEACCOUNT=IDENTITY_RESOURCE_ID, the names lowercase as Kubernetes has them`);
    else if (identityIdProblem(resourceId, "") !== undefined) problems.push(identityIdProblem(resourceId, `--workload-identity ${serviceAccount}=`)!.replace("= must", "'s identity must"));
    return problems.length > before ? [] : [{ serviceAccount, resourceId }];
  });
  const seen = new Set<string>();
  for (const { serviceAccount } of workloadIdentities) {
    if (seen.has(serviceAccount)) problems.push(`--workload-identity ${serviceAccount}: given twice; a service account has one identity`);
    seen.add(serviceAccount);
  }
  return { ...(pullIdentity !== undefined && { pullIdentity }), ...(pullRegistries !== undefined && { pullRegistries }), acrIds, workloadIdentities };
}

/** The OS types an --os-type choice names. */
export function osTypesOf(choice: OsTypeChoice): NodeOs[] {
  return choice === "Both" ? ["Linux", "Windows"] : [choice];
}

/** The seed's Azure-only arguments given to a local run, where they name nothing. */
export function azureOnlyArguments(options: ConnectorOptions): string[] {
  const given: [string, unknown][] = [
    ["--name", options.clusterName],
    ["--resource-group", options.resourceGroup],
    ["--aci-resource-group", options.aciResourceGroup],
    ["--service-principal", options.servicePrincipal],
    ["--client-secret", options.clientSecretFromStdin],
    ["--chart-url", options.chartUrl],
    ["--image-tag", options.imageTag],
    ["--subscription", options.subscription],
    ["--kubeconfig", options.kubeconfig],
  ];
  return given.filter(([, v]) => v !== undefined).map(([flag]) => flag);
}
