// Pod volumes as ACI volumes. Secret, ConfigMap, downward API and projected volumes all become ACI
// secret volumes (files whose contents ACI never echoes back); Azure Files, gitRepo and emptyDir map
// directly. What ACI cannot mount is refused with the reason.
import type { V1DownwardAPIVolumeFile, V1KeyToPath, V1Pod, V1Volume } from "@kubernetes/client-node";
import type { ArmVolume } from "./arm-types.js";
import { fieldValue } from "./env.js";
import { dnsLabel, notDnsLabel } from "./naming.js";
import { quoted, type ProblemList } from "./problems.js";
import { secretValue, type CheckedReferences, type ConfigMapContent } from "./references.js";

export interface VolumeTranslation {
  readonly volumes: ArmVolume[];
  /** What was adapted rather than refused, for an Event on the pod. */
  readonly notices: string[];
}

/** File name -> base64 content. A Map, so a file named `__proto__` is just a file. */
type Files = Map<string, string>;

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const subFolder = (file: string) => `${quoted(file)} is in a sub-folder; ACI secret volumes hold files at their top level only`;

export function translateVolumes(pod: V1Pod, refs: CheckedReferences, problems: ProblemList): VolumeTranslation {
  const volumes: ArmVolume[] = [];
  const notices: string[] = [];
  const names = new Set<string>();
  (pod.spec?.volumes ?? []).forEach((volume, i) => {
    const path = `spec.volumes[${i}]`;
    // ACI wants lowercase volume names; Kubernetes' are DNS labels, so a pod the API server took fits.
    if (!dnsLabel.test(volume.name ?? "")) return void problems.add(`${path}.name`, volume.name ? notDnsLabel : "is required");
    if (names.has(volume.name)) return void problems.add(`${path}.name`, `another volume is also named ${quoted(volume.name)}`);
    names.add(volume.name);
    const translated = translateVolume(volume, path, pod, refs, problems, notices);
    if (translated !== undefined) volumes.push(translated);
  });
  if (volumes.length > 20) problems.add("spec.volumes", `ACI allows at most 20 volumes per container group, the pod has ${volumes.length}`);
  return { volumes, notices };
}

function translateVolume(volume: V1Volume, path: string, pod: V1Pod, refs: CheckedReferences, problems: ProblemList, notices: string[]): ArmVolume | undefined {
  const name = volume.name;
  // A volume without a source is an emptyDir: the API server defaults it so.
  if (volume.emptyDir !== undefined || Object.keys(volume).every((k) => k === "name")) {
    if (volume.emptyDir?.medium === "Memory") problems.add(`${path}.emptyDir.medium`, "ACI has no memory-backed volumes");
    return { name, emptyDir: {} };
  }
  if (volume.gitRepo !== undefined) {
    const { repository, directory, revision } = volume.gitRepo;
    if (!repository) return void problems.add(`${path}.gitRepo.repository`, "is required");
    return { name, gitRepo: { repository, ...(directory && { directory }), ...(revision && { revision }) } };
  }
  if (volume.secret !== undefined) {
    const { secretName, optional, items } = volume.secret;
    const files = referencedFiles(refs, "Secret", { name: secretName, optional, items }, `${path}.secret`, "secretName", problems);
    return files === undefined ? undefined : { name, secret: Object.fromEntries(files) };
  }
  if (volume.configMap !== undefined) {
    const files = referencedFiles(refs, "ConfigMap", volume.configMap, `${path}.configMap`, "name", problems);
    return files === undefined ? undefined : { name, secret: Object.fromEntries(files) };
  }
  if (volume.downwardAPI !== undefined) {
    return { name, secret: Object.fromEntries(downwardFiles(volume.downwardAPI.items ?? [], `${path}.downwardAPI.items`, pod, problems)) };
  }
  if (volume.projected !== undefined) {
    const files: Files = new Map();
    (volume.projected.sources ?? []).forEach((source, j) => {
      const at = `${path}.projected.sources[${j}]`;
      let more: Files | undefined;
      if (source.secret !== undefined) more = referencedFiles(refs, "Secret", source.secret, `${at}.secret`, "name", problems);
      else if (source.configMap !== undefined) more = referencedFiles(refs, "ConfigMap", source.configMap, `${at}.configMap`, "name", problems);
      else if (source.downwardAPI !== undefined) more = downwardFiles(source.downwardAPI.items ?? [], `${at}.downwardAPI.items`, pod, problems);
      else if (source.serviceAccountToken !== undefined) {
        // The API server adds this source to every pod (kube-api-access-*). A container group cannot use
        // a token bound to a pod the kubelet does not run, so it is left out and the pod is told.
        notices.push(`volume "${name}": the service account token is not mounted in ACI (ca.crt and namespace are)`);
      } else problems.add(at, "only secret, configMap, downwardAPI and serviceAccountToken sources are supported");
      more?.forEach((content, file) => files.set(file, content));
    });
    return { name, secret: Object.fromEntries(files) };
  }
  if (volume.azureFile !== undefined) {
    const { shareName, secretName, readOnly } = volume.azureFile;
    if (!shareName) problems.add(`${path}.azureFile.shareName`, "the Azure Files share name is required");
    const credentials = azureFileCredentials(secretName, refs, `${path}.azureFile.secretName`, problems);
    return credentials && shareName ? { name, azureFile: { shareName, ...credentials, ...(readOnly && { readOnly: true }) } } : undefined;
  }
  if (volume.csi !== undefined) {
    if (volume.csi.driver !== "file.csi.azure.com") {
      problems.add(`${path}.csi.driver`, `only the Azure Files CSI driver (file.csi.azure.com) can be mounted by ACI, not ${quoted(volume.csi.driver)}`);
      return undefined;
    }
    const shareName = volume.csi.volumeAttributes?.shareName;
    if (!shareName) problems.add(`${path}.csi.volumeAttributes.shareName`, "the Azure Files share name is required");
    const credentials = azureFileCredentials(volume.csi.volumeAttributes?.secretName, refs, `${path}.csi.volumeAttributes.secretName`, problems);
    return credentials && shareName ? { name, azureFile: { shareName, ...credentials, ...(volume.csi.readOnly && { readOnly: true }) } } : undefined;
  }
  const kind = Object.keys(volume).find((k) => k !== "name") ?? "unknown";
  const reasons: Record<string, string> = {
    hostPath: "a container group has no host to share a path with",
    persistentVolumeClaim: "ACI mounts Azure Files only: use an azureFile or file.csi.azure.com volume",
  };
  problems.add(`${path}.${kind}`, `${kind} volumes are not supported: ${(Object.hasOwn(reasons, kind) && reasons[kind]) || "ACI supports emptyDir, secret, configMap, projected, downwardAPI, azureFile, file.csi.azure.com and gitRepo"}`);
  return undefined;
}

/**
 * A Secret's or ConfigMap's keys as files (only the listed items, when items are given); an empty set
 * for a missing optional one; undefined for a missing required one, reported as a missing reference.
 */
function referencedFiles(
  refs: CheckedReferences,
  kind: "Secret" | "ConfigMap",
  ref: { name?: string; optional?: boolean; items?: V1KeyToPath[] },
  path: string,
  nameField: string,
  problems: ProblemList,
): Files | undefined {
  if (!ref.name) return void problems.add(`${path}.${nameField}`, "is required");
  const content = kind === "Secret" ? refs.secrets.get(ref.name)?.data : configMapFiles(refs.configMaps.get(ref.name));
  if (content === undefined) {
    if (!ref.optional) return void problems.missing(`${path}.${nameField}`, { kind, name: ref.name });
    problems.skipped(`${path}.${nameField}`, { kind, name: ref.name });
    return new Map();
  }
  if (ref.items === undefined) return new Map(content);
  const selected: Files = new Map();
  ref.items.forEach((item, i) => {
    const at = `${path}.items[${i}]`;
    if (!item.key || !item.path) problems.add(`${at}.${item.key ? "path" : "key"}`, "is required");
    else if (item.path.includes("/")) problems.add(`${at}.path`, subFolder(item.path));
    else if (content.has(item.key)) selected.set(item.path, content.get(item.key)!);
    // A kubelet leaves out a missing key of an optional source, and refuses one of a required source.
    else if (ref.optional) problems.skipped(`${at}.key`, { kind, name: ref.name!, key: item.key });
    else problems.missing(`${at}.key`, { kind, name: ref.name!, key: item.key });
  });
  return selected;
}

/** A ConfigMap's text and binary values as base64 file contents. */
function configMapFiles(configMap: ConfigMapContent | undefined): Files | undefined {
  return configMap && new Map([...[...configMap.data].map(([k, v]): [string, string] => [k, b64(v)]), ...configMap.binaryData]);
}

function downwardFiles(items: V1DownwardAPIVolumeFile[], path: string, pod: V1Pod, problems: ProblemList): Files {
  const files: Files = new Map();
  items.forEach((item, i) => {
    const value = item.fieldRef?.fieldPath ? fieldValue(pod, item.fieldRef.fieldPath) : undefined;
    if (!item.path) problems.add(`${path}[${i}].path`, "is required");
    else if (item.path.includes("/")) problems.add(`${path}[${i}].path`, subFolder(item.path));
    else if (value === undefined) problems.add(`${path}[${i}]`, "only fieldRef to pod metadata, spec.nodeName and spec.serviceAccountName is supported");
    else files.set(item.path, b64(value));
  });
  return files;
}

function azureFileCredentials(secretName: string | undefined, refs: CheckedReferences, path: string, problems: ProblemList) {
  if (!secretName) return void problems.add(path, "is required");
  const secret = refs.secrets.get(secretName);
  const account = secret && secretValue(secret, "azurestorageaccountname");
  const key = secret && secretValue(secret, "azurestorageaccountkey");
  if (account === undefined || key === undefined) {
    if (secret === undefined) problems.missing(path, { kind: "Secret", name: secretName });
    else problems.missing(path, { kind: "Secret", name: secretName, key: account === undefined ? "azurestorageaccountname" : "azurestorageaccountkey" }, `Secret "${secretName}" needs the keys azurestorageaccountname and azurestorageaccountkey`);
    return undefined;
  }
  return { storageAccountName: account, storageAccountKey: key };
}
