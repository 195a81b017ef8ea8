// Environment variables: plain values, Secret values as ACI secureValues (never echoed by ARM), ConfigMap
// keys, the downward API (fieldRef, resourceFieldRef) and envFrom, with optional references honoured.
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { ArmEnvironmentVariable } from "./arm-types.js";
import { quoted, type MissingReference, type ProblemList } from "./problems.js";
import { secretValue, type CheckedReferences } from "./references.js";
import { parseQuantity, type ContainerResources } from "./resources.js";
import { own } from "./values.js";

export function environmentVariables(
  container: V1Container,
  path: string,
  pod: V1Pod,
  resources: ContainerResources | undefined,
  refs: CheckedReferences,
  problems: ProblemList,
): ArmEnvironmentVariable[] {
  // envFrom first, then env: a later definition of a name wins, as in a kubelet.
  const vars = new Map<string, ArmEnvironmentVariable>();
  const set = (v: ArmEnvironmentVariable) => vars.set(v.name, v);

  (container.envFrom ?? []).forEach((source, i) => {
    const ref = source.secretRef ?? source.configMapRef;
    if (ref === undefined) return;
    const kind = source.secretRef !== undefined ? "Secret" : "ConfigMap";
    const at = `${path}.envFrom[${i}].${kind === "Secret" ? "secretRef" : "configMapRef"}`;
    if (!ref.name) return void problems.add(`${at}.name`, "is required");
    const values = keyedValues(refs, kind, ref.name);
    if (values === undefined) {
      if (ref.optional) problems.skipped(at, { kind, name: ref.name });
      else problems.missing(at, { kind, name: ref.name });
      return;
    }
    for (const [key, value] of values) set({ name: `${source.prefix ?? ""}${key}`, ...value });
  });

  (container.env ?? []).forEach((env, i) => {
    const at = `${path}.env[${i}]`;
    const from = env.valueFrom;
    if (!env.name) return void problems.add(`${at}.name`, "is required");
    if (from === undefined) return void set({ name: env.name, value: env.value ?? "" });
    const ref = from.secretKeyRef ?? from.configMapKeyRef;
    if (ref !== undefined) {
      const kind = from.secretKeyRef !== undefined ? "Secret" : "ConfigMap";
      const field = `${at}.valueFrom.${kind === "Secret" ? "secretKeyRef" : "configMapKeyRef"}`;
      const { name, key, optional } = ref;
      if (!name || !key) return void problems.add(`${field}.${name ? "key" : "name"}`, "is required");
      const values = keyedValues(refs, kind, name);
      const value = values?.get(key);
      const missing: MissingReference = values === undefined ? { kind, name } : { kind, name, key };
      if (value !== undefined) set({ name: env.name, ...value });
      else if (optional) problems.skipped(field, missing, env.name);
      else problems.missing(field, missing);
    } else if (from.fieldRef !== undefined) {
      const { fieldPath } = from.fieldRef;
      const value = fieldPath ? fieldValue(pod, fieldPath) : undefined;
      if (value === undefined) problems.add(`${at}.valueFrom.fieldRef.fieldPath`, `${quoted(fieldPath ?? "")} is not known before the container group exists; supported: ${supportedFields}`);
      else set({ name: env.name, value });
    } else if (from.resourceFieldRef !== undefined) {
      const { resource, divisor } = from.resourceFieldRef;
      const by = parseQuantity(divisor ?? "1");
      if (by === undefined || by <= 0) return void problems.add(`${at}.valueFrom.resourceFieldRef.divisor`, `${quoted(divisor)} is not a positive quantity`);
      const value = resourceValue(resource, by, resources);
      if (value === undefined) problems.add(`${at}.valueFrom.resourceFieldRef`, `${quoted(resource)} is not one of limits.cpu, limits.memory, requests.cpu, requests.memory`);
      else set({ name: env.name, value });
    } else {
      problems.add(`${at}.valueFrom`, "only secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef are supported");
    }
  });
  return [...vars.values()];
}

/** A referenced Secret's keys as secure values (ARM never echoes them) or a ConfigMap's as plain ones; undefined when absent. */
function keyedValues(refs: CheckedReferences, kind: "Secret" | "ConfigMap", name: string): Map<string, Omit<ArmEnvironmentVariable, "name">> | undefined {
  const configMap = kind === "ConfigMap" ? refs.configMaps.get(name) : undefined;
  if (configMap !== undefined) return new Map([...configMap.data].map(([key, value]) => [key, { value }]));
  const secret = kind === "Secret" ? refs.secrets.get(name) : undefined;
  return secret && new Map([...secret.data.keys()].map((key) => [key, { secureValue: secretValue(secret, key) ?? "" }]));
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
  if (Object.hasOwn(simple, fieldPath)) return simple[fieldPath] ?? "";
  const keyed = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(fieldPath);
  if (keyed !== null) return (own(keyed[1] === "labels" ? m.labels : m.annotations, keyed[2]!) as string | undefined) ?? "";
  if (fieldPath === "metadata.labels" || fieldPath === "metadata.annotations") {
    // As the kubelet's FormatMap (pkg/fieldpath): `key="value"` lines, sorted by key.
    const map = fieldPath === "metadata.labels" ? m.labels : m.annotations;
    // A map's keys are unique, so no two compare equal.
    const byKey = Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    return byKey.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("\n");
  }
  return undefined;
}

function resourceValue(resource: string, by: number, resources: ContainerResources | undefined): string | undefined {
  if (resources === undefined) return undefined;
  const values: Record<string, number> = {
    "requests.cpu": resources.requests.cpu,
    "limits.cpu": resources.limits.cpu,
    "requests.memory": resources.requests.memoryInGB * 1e9,
    "limits.memory": resources.limits.memoryInGB * 1e9,
  };
  const value = Object.hasOwn(values, resource) ? values[resource] : undefined;
  // As a kubelet does: the quotient rounded up to a whole number.
  return value === undefined ? undefined : String(Math.ceil(value / by - 1e-9));
}
