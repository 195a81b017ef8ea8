// Environment variables: plain values, Secret values as ACI secureValues (never echoed by ARM), ConfigMap
// keys, the downward API (fieldRef, resourceFieldRef) and envFrom, with optional references honoured.
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { ArmEnvironmentVariable } from "./arm-types.js";
import type { ProblemList } from "./problems.js";
import { secretValue, type PodReferences } from "./references.js";
import { parseQuantity, type ContainerResources } from "./resources.js";

export function environmentVariables(
  container: V1Container,
  path: string,
  pod: V1Pod,
  resources: ContainerResources | undefined,
  refs: PodReferences,
  problems: ProblemList,
): ArmEnvironmentVariable[] {
  // envFrom first, then env: a later definition of a name wins, as in a kubelet.
  const vars = new Map<string, ArmEnvironmentVariable>();
  const set = (v: ArmEnvironmentVariable) => vars.set(v.name, v);

  (container.envFrom ?? []).forEach((source, i) => {
    const at = `${path}.envFrom[${i}]`;
    const prefix = source.prefix ?? "";
    if (source.secretRef !== undefined) {
      const secret = refs.secrets.get(source.secretRef.name ?? "");
      if (secret === undefined) {
        if (!source.secretRef.optional) problems.missing(`${at}.secretRef`, `Secret "${source.secretRef.name}" not found`);
        return;
      }
      for (const key of Object.keys(secret.data ?? {})) set({ name: `${prefix}${key}`, secureValue: secretValue(secret, key) ?? "" });
    } else if (source.configMapRef !== undefined) {
      const configMap = refs.configMaps.get(source.configMapRef.name ?? "");
      if (configMap === undefined) {
        if (!source.configMapRef.optional) problems.missing(`${at}.configMapRef`, `ConfigMap "${source.configMapRef.name}" not found`);
        return;
      }
      for (const [key, value] of Object.entries(configMap.data ?? {})) set({ name: `${prefix}${key}`, value });
    }
  });

  (container.env ?? []).forEach((env, i) => {
    const at = `${path}.env[${i}]`;
    const from = env.valueFrom;
    if (from === undefined) return void set({ name: env.name, value: env.value ?? "" });
    if (from.secretKeyRef !== undefined) {
      const { name, key, optional } = from.secretKeyRef;
      const secret = refs.secrets.get(name ?? "");
      const value = secret === undefined ? undefined : secretValue(secret, key);
      if (value !== undefined) set({ name: env.name, secureValue: value });
      else if (!optional) problems.missing(`${at}.valueFrom.secretKeyRef`, secret === undefined ? `Secret "${name}" not found` : `Secret "${name}" has no key "${key}"`);
    } else if (from.configMapKeyRef !== undefined) {
      const { name, key, optional } = from.configMapKeyRef;
      const configMap = refs.configMaps.get(name ?? "");
      const value = configMap?.data?.[key];
      if (value !== undefined) set({ name: env.name, value });
      else if (!optional) problems.missing(`${at}.valueFrom.configMapKeyRef`, configMap === undefined ? `ConfigMap "${name}" not found` : `ConfigMap "${name}" has no key "${key}"`);
    } else if (from.fieldRef !== undefined) {
      const value = fieldValue(pod, from.fieldRef.fieldPath);
      if (value === undefined) problems.add(`${at}.valueFrom.fieldRef.fieldPath`, `"${from.fieldRef.fieldPath}" is not known before the container group exists; supported: ${supportedFields}`);
      else set({ name: env.name, value });
    } else if (from.resourceFieldRef !== undefined) {
      const value = resourceValue(from.resourceFieldRef.resource, from.resourceFieldRef.divisor, resources);
      if (value === undefined) problems.add(`${at}.valueFrom.resourceFieldRef`, `"${from.resourceFieldRef.resource}" is not one of limits.cpu, limits.memory, requests.cpu, requests.memory`);
      else set({ name: env.name, value });
    } else {
      problems.add(`${at}.valueFrom`, "only secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef are supported");
    }
  });
  return [...vars.values()];
}

const supportedFields = "metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName";

/** The downward API's pod fields that are known when the group is created. */
export function fieldValue(pod: V1Pod, fieldPath: string): string | undefined {
  const m = pod.metadata ?? {};
  const simple: Record<string, string | undefined> = {
    "metadata.name": m.name,
    "metadata.namespace": m.namespace,
    "metadata.uid": m.uid,
    "spec.nodeName": pod.spec?.nodeName,
    "spec.serviceAccountName": pod.spec?.serviceAccountName,
  };
  if (fieldPath in simple) return simple[fieldPath] ?? "";
  const keyed = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(fieldPath);
  if (keyed !== null) return (keyed[1] === "labels" ? m.labels : m.annotations)?.[keyed[2]!] ?? "";
  if (fieldPath === "metadata.labels" || fieldPath === "metadata.annotations") {
    const map = fieldPath === "metadata.labels" ? m.labels : m.annotations;
    return Object.entries(map ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("\n");
  }
  return undefined;
}

function resourceValue(resource: string, divisor: string | undefined, resources: ContainerResources | undefined): string | undefined {
  if (resources === undefined) return undefined;
  const by = parseQuantity(divisor ?? "1") ?? 1;
  const values: Record<string, number> = {
    "requests.cpu": resources.requests.cpu,
    "limits.cpu": resources.limits.cpu,
    "requests.memory": resources.requests.memoryInGB * 1e9,
    "limits.memory": resources.limits.memoryInGB * 1e9,
  };
  const value = values[resource];
  // As a kubelet does: the quotient rounded up to a whole number.
  return value === undefined ? undefined : String(Math.ceil(value / by - 1e-9));
}
