// Kubeconfig files with the certificates embedded, so a file can be copied and used anywhere.
import { stringify } from "yaml";

export interface KubeconfigOptions {
  readonly server: string;
  readonly caPem: string;
  readonly user: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}

export function renderKubeconfig(options: KubeconfigOptions): string {
  const b64 = (pem: string) => Buffer.from(pem).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "local", cluster: { server: options.server, "certificate-authority-data": b64(options.caPem) } }],
    users: [
      {
        name: options.user,
        user: { "client-certificate-data": b64(options.clientCertPem), "client-key-data": b64(options.clientKeyPem) },
      },
    ],
    contexts: [{ name: `${options.user}@local`, context: { cluster: "local", user: options.user } }],
    "current-context": `${options.user}@local`,
  });
}
