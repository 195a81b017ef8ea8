// Pod volumes as ACI volumes. Secret, ConfigMap, downward API and projected volumes all become ACI
// secret volumes (files whose contents ACI never echoes back); Azure Files, gitRepo and emptyDir map
// directly. What ACI cannot mount is refused with the reason.
import type { V1DownwardAPIVolumeFile, V1KeyToPath, V1Pod, V1Volume } from "@kubernetes/client-node";
import type { ArmVolume } from "./arm-types.js";
import { fieldValue } from "./env.js";
import type { ProblemList } from "./problems.js";
import { secretValue, type PodReferences } from "./references.js";

export interface VolumeTranslation {
  readonly volumes: ArmVolume[];
  /** What was adapted rather than refused, for an Event on the pod. */
  readonly notices: string[];
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export function translateVolumes(pod: V1Pod, refs: PodReferences, problems: ProblemList): VolumeTranslation {
  const volumes: ArmVolume[] = [];
  const notices: string[] = [];
  (pod.spec?.volumes ?? []).forEach((volume, i) => {
    const path = `spec.volumes[${i}]`;
    const translated = translateVolume(volume, path, pod, refs, problems, notices);
    if (translated !== undefined) volumes.push(translated);
  });
  if (volumes.length > 20) problems.add("spec.volumes", `ACI allows at most 20 volumes per container group, the pod has ${volumes.length}`);
  return { volumes, notices };
}

function translateVolume(volume: V1Volume, path: string, pod: V1Pod, refs: PodReferences, problems: ProblemList, notices: string[]): ArmVolume | undefined {
  const name = volume.name;
  if (volume.emptyDir !== undefined) {
    if (volume.emptyDir.medium === "Memory") problems.add(`${path}.emptyDir.medium`, "ACI has no memory-backed volumes");
    return { name, emptyDir: {} };
  }
  if (volume.gitRepo !== undefined) {
    return { name, gitRepo: { repository: volume.gitRepo.repository, ...(volume.gitRepo.directory && { directory: volume.gitRepo.directory }), ...(volume.gitRepo.revision && { revision: volume.gitRepo.revision }) } };
  }
  if (volume.secret !== undefined) {
    const secret = refs.secrets.get(volume.secret.secretName ?? "");
    if (secret === undefined) {
      if (!volume.secret.optional) problems.missing(`${path}.secret.secretName`, `Secret "${volume.secret.secretName}" not found`);
      return volume.secret.optional ? { name, secret: {} } : undefined;
    }
    const files = Object.fromEntries(Object.keys(secret.data ?? {}).map((k) => [k, secret.data![k]!]));
    return { name, secret: selectItems(files, volume.secret.items, `${path}.secret.items`, problems) };
  }
  if (volume.configMap !== undefined) {
    const configMap = refs.configMaps.get(volume.configMap.name ?? "");
    if (configMap === undefined) {
      if (!volume.configMap.optional) problems.missing(`${path}.configMap.name`, `ConfigMap "${volume.configMap.name}" not found`);
      return volume.configMap.optional ? { name, secret: {} } : undefined;
    }
    const files = { ...Object.fromEntries(Object.entries(configMap.data ?? {}).map(([k, v]) => [k, b64(v)])), ...configMap.binaryData };
    return { name, secret: selectItems(files, volume.configMap.items, `${path}.configMap.items`, problems) };
  }
  if (volume.downwardAPI !== undefined) {
    return { name, secret: downwardFiles(volume.downwardAPI.items ?? [], `${path}.downwardAPI.items`, pod, problems) };
  }
  if (volume.projected !== undefined) {
    const files: Record<string, string> = {};
    (volume.projected.sources ?? []).forEach((source, j) => {
      const at = `${path}.projected.sources[${j}]`;
      if (source.secret !== undefined) {
        const secret = refs.secrets.get(source.secret.name ?? "");
        if (secret === undefined) {
          if (!source.secret.optional) problems.missing(`${at}.secret.name`, `Secret "${source.secret.name}" not found`);
          return;
        }
        Object.assign(files, selectItems({ ...secret.data }, source.secret.items, `${at}.secret.items`, problems));
      } else if (source.configMap !== undefined) {
        const configMap = refs.configMaps.get(source.configMap.name ?? "");
        if (configMap === undefined) {
          if (!source.configMap.optional) problems.missing(`${at}.configMap.name`, `ConfigMap "${source.configMap.name}" not found`);
          return;
        }
        const all = Object.fromEntries(Object.entries(configMap.data ?? {}).map(([k, v]) => [k, b64(v)]));
        Object.assign(files, selectItems(all, source.configMap.items, `${at}.configMap.items`, problems));
      } else if (source.downwardAPI !== undefined) {
        Object.assign(files, downwardFiles(source.downwardAPI.items ?? [], `${at}.downwardAPI.items`, pod, problems));
      } else if (source.serviceAccountToken !== undefined) {
        // The API server adds this source to every pod (kube-api-access-*). A container group cannot use
        // a token bound to a pod the kubelet does not run, so it is left out and the pod is told.
        notices.push(`volume "${name}": the service account token is not mounted in ACI (ca.crt and namespace are)`);
      } else {
        problems.add(at, "only secret, configMap, downwardAPI and serviceAccountToken sources are supported");
      }
    });
    return { name, secret: files };
  }
  if (volume.azureFile !== undefined) {
    const credentials = azureFileCredentials(volume.azureFile.secretName, refs, `${path}.azureFile.secretName`, problems);
    return credentials && { name, azureFile: { shareName: volume.azureFile.shareName, ...credentials, ...(volume.azureFile.readOnly && { readOnly: true }) } };
  }
  if (volume.csi !== undefined) {
    if (volume.csi.driver !== "file.csi.azure.com") {
      problems.add(`${path}.csi.driver`, `only the Azure Files CSI driver (file.csi.azure.com) can be mounted by ACI, not "${volume.csi.driver}"`);
      return undefined;
    }
    const shareName = volume.csi.volumeAttributes?.shareName;
    if (shareName === undefined) problems.add(`${path}.csi.volumeAttributes.shareName`, "the Azure Files share name is required");
    const credentials = azureFileCredentials(volume.csi.volumeAttributes?.secretName, refs, `${path}.csi.volumeAttributes.secretName`, problems);
    return credentials && shareName !== undefined ? { name, azureFile: { shareName, ...credentials, ...(volume.csi.readOnly && { readOnly: true }) } } : undefined;
  }
  const kind = Object.keys(volume).find((k) => k !== "name") ?? "unknown";
  const reasons: Record<string, string> = {
    hostPath: "a container group has no host to share a path with",
    persistentVolumeClaim: "ACI mounts Azure Files only: use an azureFile or file.csi.azure.com volume",
  };
  problems.add(`${path}.${kind}`, `${kind} volumes are not supported: ${reasons[kind] ?? "ACI supports emptyDir, secret, configMap, projected, downwardAPI, azureFile, file.csi.azure.com and gitRepo"}`);
  return undefined;
}

/** Keys as files, or only the listed items at their paths. ACI secret volumes are flat: no sub-folders. */
function selectItems(files: Record<string, string>, items: V1KeyToPath[] | undefined, path: string, problems: ProblemList): Record<string, string> {
  if (items === undefined) return files;
  const selected: Record<string, string> = {};
  items.forEach((item, i) => {
    if (item.path.includes("/")) problems.add(`${path}[${i}].path`, `"${item.path}" is in a sub-folder; ACI secret volumes hold files at their top level only`);
    else if (files[item.key] !== undefined) selected[item.path] = files[item.key]!;
    else problems.missing(`${path}[${i}].key`, `no key "${item.key}"`);
  });
  return selected;
}

function downwardFiles(items: V1DownwardAPIVolumeFile[], path: string, pod: V1Pod, problems: ProblemList): Record<string, string> {
  const files: Record<string, string> = {};
  items.forEach((item, i) => {
    const value = item.fieldRef === undefined ? undefined : fieldValue(pod, item.fieldRef.fieldPath);
    if (item.path.includes("/")) problems.add(`${path}[${i}].path`, `"${item.path}" is in a sub-folder; ACI secret volumes hold files at their top level only`);
    else if (value === undefined) problems.add(`${path}[${i}]`, "only fieldRef to pod metadata, spec.nodeName and spec.serviceAccountName is supported");
    else files[item.path] = b64(value);
  });
  return files;
}

function azureFileCredentials(secretName: string | undefined, refs: PodReferences, path: string, problems: ProblemList) {
  const secret = refs.secrets.get(secretName ?? "");
  const account = secret && secretValue(secret, "azurestorageaccountname");
  const key = secret && secretValue(secret, "azurestorageaccountkey");
  if (account === undefined || key === undefined) {
    problems.missing(path, secret === undefined ? `Secret "${secretName}" not found` : `Secret "${secretName}" needs the keys azurestorageaccountname and azurestorageaccountkey`);
    return undefined;
  }
  return { storageAccountName: account, storageAccountKey: key };
}
