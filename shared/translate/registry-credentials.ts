// imagePullSecrets (kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg) as ACI's
// imageRegistryCredentials: one server, username and password each.
//
// The API server checks only that such a Secret holds JSON, so `{"auths":{"myreg.io":null}}` is stored
// as readily as a working one: every shape is checked here. Messages name the Secret, the key and the
// registry, never what the Secret holds.
import type { V1Pod } from "@kubernetes/client-node";
import { quoted, type ProblemList } from "./problems.js";
import { secretValue, type CheckedReferences, type SecretContent } from "./references.js";
import { isBase64, isRecord } from "./values.js";

export interface RegistryCredential {
  server: string;
  username: string;
  password: string;
}

const dockerKeys: Readonly<Record<string, string>> = { "kubernetes.io/dockerconfigjson": ".dockerconfigjson", "kubernetes.io/dockercfg": ".dockercfg" };

export function registryCredentials(pod: V1Pod, refs: CheckedReferences, problems: ProblemList): RegistryCredential[] {
  const credentials: RegistryCredential[] = [];
  (pod.spec?.imagePullSecrets ?? []).forEach((ref, i) => {
    const path = `spec.imagePullSecrets[${i}]`;
    if (!ref.name) return void problems.add(`${path}.name`, "is required");
    const secret = refs.secrets.get(ref.name);
    // As a kubelet: no credentials from it, a Warning, and the pull is tried anyway.
    if (secret === undefined) return void problems.skipped(path, { kind: "Secret", name: ref.name });
    const auths = registries(secret);
    if (typeof auths === "string") return void problems.add(path, `Secret "${ref.name}" ${auths}`);
    for (const [registry, auth] of auths) {
      const credential = credentialOf(registry, auth);
      if (typeof credential === "string") problems.add(path, `Secret "${ref.name}" ${credential}`);
      else credentials.push(credential);
    }
  });
  return credentials;
}

/** The registries a Docker config Secret holds (dockerconfigjson's `auths`, dockercfg's top level), or what is wrong. */
function registries(secret: SecretContent): [string, unknown][] | string {
  const key = Object.hasOwn(dockerKeys, secret.type) ? dockerKeys[secret.type]! : undefined;
  if (key === undefined) return `is of type ${quoted(secret.type)}, not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg`;
  const text = secretValue(secret, key);
  if (text === undefined) return `has no key ${key}`;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return `does not hold valid Docker configuration JSON in ${key}`;
  }
  const auths = key === ".dockerconfigjson" && isRecord(config) ? (config.auths ?? {}) : config;
  if (!isRecord(auths)) return `does not hold Docker configuration in ${key}: ${key === ".dockercfg" ? "it" : '"auths"'} must map registries to credentials`;
  return Object.entries(auths);
}

/** One registry's entry as an ACI credential: username and password, given as such or in `auth` (base64 "user:password"). */
function credentialOf(registry: string, auth: unknown): RegistryCredential | string {
  const server = registry.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (server === "") return `has an entry without a registry server name`;
  if (!isRecord(auth)) return `has no username and password for ${quoted(server)}`;
  let { username, password } = auth;
  if ((username === undefined || password === undefined) && auth.auth !== undefined) {
    if (typeof auth.auth !== "string" || !isBase64(auth.auth)) return `has an "auth" for ${quoted(server)} that is not base64 "username:password"`;
    const decoded = Buffer.from(auth.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  if (typeof username !== "string" || typeof password !== "string" || username === "") return `has no username and password for ${quoted(server)}`;
  return { server, username, password };
}
