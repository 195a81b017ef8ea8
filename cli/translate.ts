// `aci-connector translate`: what a manifest's pod becomes in ACI, offline, with secrets redacted.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { KubernetesObject, V1ConfigMap, V1Pod, V1PodTemplateSpec, V1Secret } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { identitySettingNames, readPullIdentity, readWorkloadIdentities } from "../shared/config/identity-settings.js";
import { podToContainerGroup } from "../shared/translate/pod-to-container-group.js";
import { TranslationError } from "../shared/translate/problems.js";
import { redactContainerGroup } from "../shared/translate/redact.js";
import { isRecord } from "../shared/translate/values.js";
import { virtualNodeName } from "../shared/translate/virtual-node.js";
import type { Command } from "./main.js";

const help = `Usage: aci-connector translate -f FILE [--node-os Linux|Windows] [--location L] [--resource-group RG] [--subnet ID] [--connector-name NAME]

Prints the ACI container group (ARM PUT body, api-version 2023-05-01) that the pod in FILE becomes, with
secret values redacted; or every problem, with its field, and exits 2. FILE is a YAML stream: a Pod, or a
Deployment, ReplicaSet, StatefulSet, DaemonSet or Job (its pod template), and the Secrets and ConfigMaps
it references. Works offline, so the group's size is not checked against the region's capabilities
(the connector reads them from ARM; docs/decisions/resource-limits.md). The identity settings are read
from the environment as the connector reads them: ACI_PULL_IDENTITY, ACI_PULL_REGISTRIES and
ACI_WORKLOAD_IDENTITIES (docs/decisions/identities.md).

  -f, --filename FILE    the manifest ("-" for standard input)
  --node-os OS           Linux or Windows (default: from the pod's nodeSelector, else Linux)
  --location L           Azure region (default westeurope)
  --resource-group RG    ACI resource group (only used in ids; default aci-connector)
  --subnet ID            deploy into this subnet (private IP) instead of with a public IP
  --connector-name NAME  the connector's name, for the node name and tags (default aci-connector)
`;

const workloads = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"]);

export const translateCommand: Command = (args) => {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        filename: { type: "string", short: "f" },
        "node-os": { type: "string" },
        location: { type: "string", default: "westeurope" },
        "resource-group": { type: "string", default: "aci-connector" },
        subnet: { type: "string" },
        "connector-name": { type: "string", default: "aci-connector" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}`);
    return Promise.resolve(2);
  }
  if (values.help) return (process.stdout.write(help), Promise.resolve(0));
  if (values.filename === undefined) return (process.stderr.write(`-f FILE is required\n\n${help}`), Promise.resolve(2));
  const settingProblems: string[] = [];
  const setting = (name: string) => process.env[name]?.trim() || undefined;
  const pullIdentity = readPullIdentity(setting, settingProblems);
  const workloadIdentities = readWorkloadIdentities(setting(identitySettingNames.workloadIdentities), settingProblems);
  if (settingProblems.length > 0) return (process.stderr.write(`aci-connector translate:\n${settingProblems.map((p) => `  - ${p}`).join("\n")}\n`), Promise.resolve(2));

  const objects = readManifest(values.filename);
  if (typeof objects === "string") return (process.stderr.write(`aci-connector translate: ${objects}\n`), Promise.resolve(2));
  const source = objects.find((o) => o.kind === "Pod" || workloads.has(o.kind ?? ""));
  if (source === undefined) return (process.stderr.write(`${values.filename} holds no Pod or workload (${[...workloads].join(", ")})\n`), Promise.resolve(2));
  const pod = podOf(source);
  const selector: unknown = pod.spec?.nodeSelector;
  const osLabel = isRecord(selector) ? (selector["kubernetes.io/os"] ?? selector["beta.kubernetes.io/os"]) : undefined;
  const osFromSelector = typeof osLabel === "string" ? osLabel.toLowerCase() : undefined;
  const osText = values["node-os"] ?? (osFromSelector === "windows" ? "Windows" : "Linux");
  if (osText !== "Linux" && osText !== "Windows") return (process.stderr.write(`--node-os must be Linux or Windows\n`), Promise.resolve(2));
  const node = { name: virtualNodeName({ connectorName: values["connector-name"], location: values.location, os: osText }), os: osText } as const;
  pod.spec = { ...pod.spec!, nodeName: node.name };
  const inNamespace = <T extends KubernetesObject>(kind: string) =>
    new Map(
      objects
        .filter((o) => o.kind === kind && isRecord(o.metadata) && typeof o.metadata.name === "string" && (o.metadata.namespace ?? "default") === pod.metadata!.namespace)
        .map((o) => [o.metadata!.name!, o as T]),
    );

  try {
    const translation = podToContainerGroup({
      pod,
      references: { secrets: new Map([...inNamespace<V1Secret>("Secret")].map(([name, secret]) => [name, asStored(secret)])), configMaps: inNamespace<V1ConfigMap>("ConfigMap") },
      node,
      // The cluster is not known offline; install tags groups with its kube-system namespace UID.
      settings: {
        connectorName: values["connector-name"],
        clusterId: "<cluster-id>",
        location: values.location,
        ...(values.subnet !== undefined && { subnetId: values.subnet }),
        ...(pullIdentity !== undefined && { pullIdentity }),
        workloadIdentities,
      },
    });
    const id = `/subscriptions/<subscription>/resourceGroups/${values["resource-group"]}/providers/Microsoft.ContainerInstance/containerGroups/${translation.name}`;
    process.stdout.write(`${JSON.stringify({ id, name: translation.name, ...redactContainerGroup(translation.body) }, null, 2)}\n`);
    for (const notice of translation.notices) process.stderr.write(`note: ${notice}\n`);
    return Promise.resolve(0);
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return Promise.resolve(2);
  }
};

/**
 * The objects of a YAML stream, or one line saying why there are none: a file that cannot be read, or
 * YAML that does not parse (its line and column, and the kind of mistake, never the text around it:
 * that text may be a Secret's value).
 */
function readManifest(file: string): KubernetesObject[] | string {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why: Record<string, string> = { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "it is a directory" };
    return `cannot read ${file}: ${(code !== undefined && why[code]) || code || "unknown error"}`;
  }
  try {
    const documents = parseAllDocuments(text);
    for (const document of documents) {
      const error = document.errors[0];
      if (error !== undefined) {
        const at = error.linePos?.[0];
        return `${file}${at === undefined ? "" : `:${at.line}:${at.col}`}: not valid YAML (${error.code.toLowerCase().replaceAll("_", " ")})`;
      }
    }
    return documents.map((d) => d.toJS() as unknown).filter((o): o is KubernetesObject => isRecord(o));
  } catch {
    // toJS throws only for aliases: one without its anchor, or one expanded so often it would exhaust memory.
    return `${file}: not valid YAML (an alias that is unresolved or expands too often)`;
  }
}

/**
 * A Secret as the API server stores it: `stringData` merged into `data` (base64), its values winning.
 * Values that are not text are copied as they are, for the translation to refuse.
 */
function asStored(secret: V1Secret): V1Secret {
  const stringData: unknown = (secret as { stringData?: unknown }).stringData;
  if (!isRecord(stringData)) return secret;
  const encoded = Object.entries(stringData).map(([key, value]): [string, unknown] => [key, typeof value === "string" ? Buffer.from(value, "utf8").toString("base64") : value]);
  const { stringData: _merged, ...stored } = secret;
  if (secret.data !== undefined && !isRecord(secret.data)) return stored;
  return { ...stored, data: { ...secret.data, ...(Object.fromEntries(encoded) as Record<string, string>) } };
}

/** The pod a manifest describes: the Pod itself, or a workload's template as its controller would stamp it. */
function podOf(source: KubernetesObject): V1Pod {
  const namespace = source.metadata?.namespace ?? "default";
  if (source.kind === "Pod") {
    const pod = structuredClone(source) as V1Pod;
    pod.metadata = { ...pod.metadata, namespace, uid: pod.metadata?.uid ?? "00000000-0000-0000-0000-000000000000" };
    return pod;
  }
  const template = (source as KubernetesObject & { spec?: { template?: V1PodTemplateSpec } }).spec?.template ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { ...template.metadata, name: `${source.metadata?.name ?? "pod"}-translated`, namespace, uid: "00000000-0000-0000-0000-000000000000" },
    spec: structuredClone(template.spec) ?? { containers: [] },
  };
}
