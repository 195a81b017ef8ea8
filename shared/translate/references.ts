// The Secrets and ConfigMaps a pod references, as the controller read them from its namespace.
import type { V1ConfigMap, V1Pod, V1Secret } from "@kubernetes/client-node";

export interface PodReferences {
  readonly secrets: ReadonlyMap<string, V1Secret>;
  readonly configMaps: ReadonlyMap<string, V1ConfigMap>;
}

/** Names of every Secret and ConfigMap the pod refers to: env, envFrom, volumes, image pull secrets. */
export function referencedNames(pod: V1Pod): { secrets: Set<string>; configMaps: Set<string> } {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef?.name) secrets.add(e.secretRef.name);
      if (e.configMapRef?.name) configMaps.add(e.configMapRef.name);
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.azureFile?.secretName) secrets.add(v.azureFile.secretName);
    const csiSecret = v.csi?.volumeAttributes?.secretName;
    if (v.csi?.driver === "file.csi.azure.com" && csiSecret) secrets.add(csiSecret);
    for (const s of v.projected?.sources ?? []) {
      if (s.secret?.name) secrets.add(s.secret.name);
      if (s.configMap?.name) configMaps.add(s.configMap.name);
    }
  }
  for (const s of pod.spec?.imagePullSecrets ?? []) if (s.name) secrets.add(s.name);
  return { secrets, configMaps };
}

/** A Secret's value by key, decoded from base64 (stringData never reaches the API's readers). */
export function secretValue(secret: V1Secret, key: string): string | undefined {
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
}
