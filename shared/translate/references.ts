// The Secrets and ConfigMaps a pod references: where it references them, and their content checked before
// use (as the controller read them from the namespace, or as a manifest holds them).
import type { V1ConfigMap, V1Pod, V1Secret } from "@kubernetes/client-node";
import type { ProblemList } from "./problems.js";
import { indexedRecords as records, isBase64, isRecord, own } from "./values.js";

export interface PodReferences {
  readonly secrets: ReadonlyMap<string, V1Secret>;
  readonly configMaps: ReadonlyMap<string, V1ConfigMap>;
}

/** A Secret as the translation reads it: its type, and its data as the API gives it (base64 values). */
export interface SecretContent {
  readonly type: string;
  readonly data: ReadonlyMap<string, string>;
}

/** A ConfigMap as the translation reads it: text values, and binary ones in base64. */
export interface ConfigMapContent {
  readonly data: ReadonlyMap<string, string>;
  readonly binaryData: ReadonlyMap<string, string>;
}

/** The references found, each well formed. Maps, so a key such as `constructor` is just a key. */
export interface CheckedReferences {
  readonly secrets: ReadonlyMap<string, SecretContent>;
  readonly configMaps: ReadonlyMap<string, ConfigMapContent>;
}

interface ReferenceSite {
  readonly kind: "Secret" | "ConfigMap";
  readonly name: string;
  /** The pod field that names it. */
  readonly path: string;
}

const nameAt = (value: unknown, key: string): string | undefined => {
  const name = isRecord(value) ? own(value, key) : undefined;
  return typeof name === "string" && name !== "" ? name : undefined;
};

/** Every place the pod names a Secret or ConfigMap: env, envFrom, volumes, image pull secrets. Tolerates any shape. */
function referenceSites(pod: V1Pod): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  const add = (kind: ReferenceSite["kind"], name: string | undefined, path: string) => void (name !== undefined && sites.push({ kind, name, path }));
  const spec: unknown = pod.spec;
  if (!isRecord(spec)) return sites;
  for (const list of ["initContainers", "containers"] as const) {
    for (const [c, i] of records(spec[list])) {
      const at = `spec.${list}[${i}]`;
      for (const [e, j] of records(c.env)) {
        const from = e.valueFrom;
        if (!isRecord(from)) continue;
        add("Secret", nameAt(from.secretKeyRef, "name"), `${at}.env[${j}].valueFrom.secretKeyRef`);
        add("ConfigMap", nameAt(from.configMapKeyRef, "name"), `${at}.env[${j}].valueFrom.configMapKeyRef`);
      }
      for (const [e, j] of records(c.envFrom)) {
        add("Secret", nameAt(e.secretRef, "name"), `${at}.envFrom[${j}].secretRef`);
        add("ConfigMap", nameAt(e.configMapRef, "name"), `${at}.envFrom[${j}].configMapRef`);
      }
    }
  }
  for (const [v, i] of records(spec.volumes)) {
    const at = `spec.volumes[${i}]`;
    add("Secret", nameAt(v.secret, "secretName"), `${at}.secret.secretName`);
    add("ConfigMap", nameAt(v.configMap, "name"), `${at}.configMap.name`);
    add("Secret", nameAt(v.azureFile, "secretName"), `${at}.azureFile.secretName`);
    if (isRecord(v.csi) && v.csi.driver === "file.csi.azure.com") add("Secret", nameAt(v.csi.volumeAttributes, "secretName"), `${at}.csi.volumeAttributes.secretName`);
    for (const [s, j] of isRecord(v.projected) ? records(v.projected.sources) : []) {
      add("Secret", nameAt(s.secret, "name"), `${at}.projected.sources[${j}].secret.name`);
      add("ConfigMap", nameAt(s.configMap, "name"), `${at}.projected.sources[${j}].configMap.name`);
    }
  }
  for (const [s, i] of records(spec.imagePullSecrets)) add("Secret", nameAt(s, "name"), `spec.imagePullSecrets[${i}]`);
  return sites;
}

/** Names of every Secret and ConfigMap the pod refers to, for the controller to read. */
export function referencedNames(pod: V1Pod): { secrets: Set<string>; configMaps: Set<string> } {
  const sites = referenceSites(pod);
  const named = (kind: ReferenceSite["kind"]) => new Set(sites.filter((s) => s.kind === kind).map((s) => s.name));
  return { secrets: named("Secret"), configMaps: named("ConfigMap") };
}

/**
 * The referenced Secrets and ConfigMaps that exist, read and checked. One that cannot be read (data that
 * is not base64, a value that is not text) is reported at every field that references it, by key, never
 * by value, and left out.
 */
export function checkReferences(pod: V1Pod, refs: PodReferences, problems: ProblemList): CheckedReferences {
  const secrets = new Map<string, SecretContent>();
  const configMaps = new Map<string, ConfigMapContent>();
  for (const site of referenceSites(pod)) {
    const found: unknown = site.kind === "Secret" ? refs.secrets.get(site.name) : refs.configMaps.get(site.name);
    if (found === undefined) continue;
    const read = site.kind === "Secret" ? readSecret(found) : readConfigMap(found);
    if (typeof read === "string") problems.add(site.path, `${site.kind} "${site.name}" cannot be read: ${read}`);
    else if (site.kind === "Secret") secrets.set(site.name, read as SecretContent);
    else configMaps.set(site.name, read as ConfigMapContent);
  }
  return { secrets, configMaps };
}

/** A Secret's type and data, or what is wrong with it. */
function readSecret(secret: unknown): SecretContent | string {
  if (!isRecord(secret)) return "it is not an object";
  const type = secret.type ?? "Opaque";
  if (typeof type !== "string") return "its type must be a string";
  const data = readMap(secret.data, "data", (v) => isBase64(v), "base64 text");
  return typeof data === "string" ? data : { type, data };
}

function readConfigMap(configMap: unknown): ConfigMapContent | string {
  if (!isRecord(configMap)) return "it is not an object";
  const data = readMap(configMap.data, "data", () => true, "text");
  if (typeof data === "string") return data;
  const binaryData = readMap(configMap.binaryData, "binaryData", (v) => isBase64(v), "base64 text");
  return typeof binaryData === "string" ? binaryData : { data, binaryData };
}

function readMap(value: unknown, field: string, valid: (v: string) => boolean, expected: string): Map<string, string> | string {
  if (value === undefined || value === null) return new Map();
  if (!isRecord(value)) return `${field} must be a mapping of keys to ${expected}`;
  const entries = Object.entries(value);
  const bad = entries.find(([, v]) => typeof v !== "string" || !valid(v));
  return bad !== undefined ? `${field}[${JSON.stringify(bad[0])}] is not ${expected}` : new Map(entries as [string, string][]);
}

/** A Secret's value by key, decoded from base64 (stringData never reaches the API's readers). */
export function secretValue(secret: SecretContent, key: string): string | undefined {
  const encoded = secret.data.get(key);
  return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
}
