// Who is calling, and may they: the kubelet's own rules (--anonymous-auth=false, webhook authorization).
// A client certificate signed by the cluster's CA names the user (CN) and groups (O), as the API
// server's kubelet client certificate does; otherwise a bearer token is asked about with a TokenReview.
// Then a SubjectAccessReview for nodes/<subresource> on the node, as the kubelet's authorizer makes it.
// Anyone else gets 401 or 403 and learns nothing about pods.
import { X509Certificate } from "node:crypto";
import type { KubeletSubresource } from "./paths.js";

export interface KubeletUser {
  readonly username: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** The two reviews the API server answers (shared/kube/access-reviews.ts is the adapter). */
export interface AccessReviews {
  /** The token's user, or undefined when the API server does not authenticate it. */
  tokenReview(token: string, options?: { abortSignal?: AbortSignal }): Promise<KubeletUser | undefined>;
  /** Whether the user may `verb` nodes/<subresource> on this node. */
  subjectAccessReview(
    user: KubeletUser,
    attributes: { verb: string; node: string; subresource: KubeletSubresource },
    options?: { abortSignal?: AbortSignal },
  ): Promise<boolean>;
}

export interface KubeletCredentials {
  /** The client certificate the TLS connection proved (PEM or base64 DER, as App Service forwards it in X-ARR-ClientCert). */
  readonly clientCertificate?: string;
  readonly authorization?: string;
}

/** The user the certificate names, if the cluster's CA signed it and it is valid now; undefined otherwise. */
export function certificateUser(certificate: string, caPem: string, now: Date): KubeletUser | undefined {
  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(certificate.includes("-----BEGIN") ? certificate : Buffer.from(certificate, "base64"));
    ca = new X509Certificate(caPem);
  } catch {
    return undefined;
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return undefined;
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) return undefined;
  if (cert.ca) return undefined;
  const fields = cert.subject.split("\n").map((line) => {
    const eq = line.indexOf("=");
    return [line.slice(0, eq), line.slice(eq + 1)] as const;
  });
  const username = fields.find(([k]) => k === "CN")?.[1];
  if (username === undefined || username === "") return undefined;
  return { username, groups: fields.filter(([k]) => k === "O").map(([, v]) => v) };
}

export type Authentication = { readonly user: KubeletUser } | { readonly refused: "unauthenticated" };

export async function authenticate(
  credentials: KubeletCredentials,
  deps: { reviews: AccessReviews; clusterCaPem: string; now: Date },
  options: { abortSignal?: AbortSignal } = {},
): Promise<Authentication> {
  if (credentials.clientCertificate !== undefined && credentials.clientCertificate !== "") {
    const user = certificateUser(credentials.clientCertificate, deps.clusterCaPem, deps.now);
    if (user !== undefined) return { user };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? "")?.[1];
  if (bearer !== undefined) {
    const user = await deps.reviews.tokenReview(bearer, options);
    if (user !== undefined) return { user };
  }
  return { refused: "unauthenticated" };
}

/** The verb a kubelet checks for this HTTP method (pkg/kubelet/server/auth.go). */
export function verbOf(method: string): string {
  switch (method.toUpperCase()) {
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return "delete";
    default:
      return "get";
  }
}
