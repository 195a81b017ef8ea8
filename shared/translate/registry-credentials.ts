// imagePullSecrets (kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg) as ACI's
// imageRegistryCredentials: one server, username and password each.
import type { V1Pod } from "@kubernetes/client-node";
import type { ProblemList } from "./problems.js";
import { secretValue, type PodReferences } from "./references.js";

interface DockerAuth {
  username?: string;
  password?: string;
  auth?: string;
}

export function registryCredentials(pod: V1Pod, refs: PodReferences, problems: ProblemList): { server: string; username: string; password: string }[] {
  const credentials: { server: string; username: string; password: string }[] = [];
  (pod.spec?.imagePullSecrets ?? []).forEach((ref, i) => {
    const path = `spec.imagePullSecrets[${i}]`;
    const secret = refs.secrets.get(ref.name ?? "");
    if (secret === undefined) return void problems.missing(path, `Secret "${ref.name}" not found`);
    let auths: Record<string, DockerAuth> | undefined;
    try {
      if (secret.type === "kubernetes.io/dockerconfigjson") auths = (JSON.parse(secretValue(secret, ".dockerconfigjson") ?? "{}") as { auths?: Record<string, DockerAuth> }).auths;
      else if (secret.type === "kubernetes.io/dockercfg") auths = JSON.parse(secretValue(secret, ".dockercfg") ?? "{}") as Record<string, DockerAuth>;
      else return void problems.add(path, `Secret "${ref.name}" is of type ${secret.type}, not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg`);
    } catch {
      // The message never quotes the content: it holds credentials.
      return void problems.add(path, `Secret "${ref.name}" does not hold valid Docker configuration JSON`);
    }
    for (const [server, auth] of Object.entries(auths ?? {})) {
      let { username, password } = auth;
      if ((username === undefined || password === undefined) && auth.auth !== undefined) {
        const decoded = Buffer.from(auth.auth, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        if (colon > 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      }
      if (username === undefined || password === undefined) problems.add(path, `Secret "${ref.name}" has no username and password for ${server}`);
      else credentials.push({ server: server.replace(/^https?:\/\//, "").replace(/\/.*$/, ""), username, password });
    }
  });
  return credentials;
}
