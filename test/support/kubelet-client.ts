// Calls to the kubelet API as the functions serve it, straight to the node's advertised address (the
// local API server refuses to proxy to a loopback one): with the API server's kubelet client
// certificate, another certificate, a bearer token, or nothing.
import { readFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { dirname, join } from "node:path";
import type { TestCluster } from "./cluster.js";

export interface KubeletCredential {
  readonly cert?: string;
  readonly key?: string;
  readonly token?: string;
}

export interface KubeletAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/** The certificate the cluster's API server presents to kubelets (--kubelet-client-certificate). */
export async function apiServerKubeletClient(cluster: TestCluster): Promise<{ cert: string; key: string }> {
  const pki = dirname(cluster.descriptor.caCertFile);
  return { cert: await readFile(join(pki, "apiserver-kubelet-client.crt"), "utf8"), key: await readFile(join(pki, "apiserver-kubelet-client.key"), "utf8") };
}

export function kubeletGet(origin: string, path: string, credential: KubeletCredential = {}, timeoutMs = 15_000): Promise<KubeletAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${origin}${path}`,
      {
        // The server's certificate is not what the callers check: who may ask is.
        rejectUnauthorized: false,
        ...(credential.cert !== undefined && { cert: credential.cert, key: credential.key }),
        ...(credential.token !== undefined && { headers: { authorization: `Bearer ${credential.token}` } }),
        timeout: timeoutMs,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, contentType: String(res.headers["content-type"]) }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on("error", reject);
    req.end();
  });
}
