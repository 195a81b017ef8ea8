// Client identities for the control plane: Kubernetes takes the user from the certificate's CN and
// the groups from its O fields, so a kubeconfig per (user, groups) is all a restricted identity needs.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CertificateAuthority } from "../pki.js";
import { renderKubeconfig } from "./kubeconfig.js";

export interface UserKubeconfigOptions {
  readonly ca: CertificateAuthority;
  readonly server: string;
  readonly dir: string;
  readonly user: string;
  readonly groups?: readonly string[];
}

/** Writes `<dir>/<user>.kubeconfig` for a user in the given groups and returns its path. */
export async function writeUserKubeconfig(options: UserKubeconfigOptions): Promise<string> {
  const client = await options.ca.issueClient({ user: options.user, groups: options.groups ?? [] });
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, `${options.user.replace(/[^A-Za-z0-9_.-]/g, "_")}.kubeconfig`);
  const yaml = renderKubeconfig({
    server: options.server,
    caPem: options.ca.certPem,
    user: options.user,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  });
  await writeFile(path, yaml, { mode: 0o600 });
  return path;
}
