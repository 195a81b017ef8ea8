// Who the kubelet API lets in: a client certificate of the cluster's CA names its user; any other
// certificate, none, or a token the API server does not know gets nobody.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCertificateAuthority } from "../../../dev/pki.js";
import { authenticate, type AccessReviews } from "../../../shared/kubelet/auth.js";

const reviews: AccessReviews = {
  tokenReview: (token) => Promise.resolve(token === "good" ? { username: "alice", groups: ["devs"] } : undefined),
  subjectAccessReview: () => Promise.resolve(false),
};

describe("kubelet API authentication", () => {
  it("accepts a certificate of the cluster's CA, as PEM or as App Service's base64 DER, and nothing else", async () => {
    const cluster = await createCertificateAuthority("cluster");
    // The same name as the cluster's CA: only the signature tells them apart.
    const other = await createCertificateAuthority("cluster");
    const apiServer = await cluster.issueClient({ user: "kube-apiserver-kubelet-client", groups: ["system:masters"] });
    const forged = await other.issueClient({ user: "kube-apiserver-kubelet-client", groups: ["system:masters"] });
    const deps = { reviews, clusterCaPem: cluster.certPem, now: new Date() };
    const der = apiServer.certPem.replace(/-----[^-]+-----|\s/g, "");
    for (const clientCertificate of [apiServer.certPem, der]) {
      assert.deepEqual(await authenticate({ clientCertificate }, deps), { user: { username: "kube-apiserver-kubelet-client", groups: ["system:masters"] } });
    }
    assert.deepEqual(await authenticate({ clientCertificate: forged.certPem }, deps), { refused: "unauthenticated" });
    assert.deepEqual(await authenticate({ clientCertificate: cluster.certPem }, deps), { refused: "unauthenticated" }, "the CA itself is no client");
    assert.deepEqual(await authenticate({ clientCertificate: apiServer.certPem }, { ...deps, now: new Date(Date.now() + 20 * 365 * 86_400_000) }), { refused: "unauthenticated" }, "expired");
    assert.deepEqual(await authenticate({}, deps), { refused: "unauthenticated" });
    assert.deepEqual(await authenticate({ authorization: "Bearer bad" }, deps), { refused: "unauthenticated" });
    assert.deepEqual(await authenticate({ authorization: "Bearer good" }, deps), { user: { username: "alice", groups: ["devs"] } });
  });
});
