// The list of a node's pods asks for the watch cache (resourceVersion "0"), which may ignore `limit` and
// answer in one page (kube-apiserver 1.34 does: test/integration/pod-list-watch-cache.test.ts). A server
// that pages anyway must be followed to the end, each continue token sent alone: the token carries the
// version it continues, and the API concepts page calls a token with resourceVersion "0" invalid
// (https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list). A real API
// server cannot be made to page such a list, so a stand-in answers here, as the page describes.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { createPodClient } from "../../../shared/kube/pod-client.js";

const node = "virtual-kubelet-aci-connector-linux-westeurope";
const pod = (name: string) => ({ metadata: { name, namespace: "default" }, spec: { nodeName: node, containers: [{ name: "app", image: "nginx" }] } });

describe("listing a node's pods, page by page", () => {
  let server: Server;
  let kubeConfig: KubeConfig;
  const asked: URLSearchParams[] = [];
  /** The pages the stand-in answers, in order, each with the continue token of the next (none on the last). */
  let pages: { names: string[]; continueToken?: string }[] = [];

  before(async () => {
    server = createServer((request, response) => {
      const query = new URL(request.url!, "http://localhost").searchParams;
      asked.push(query);
      const page = pages[asked.length - 1]!;
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "41", ...(page.continueToken !== undefined && { continue: page.continueToken }) }, items: page.names.map(pod) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: "stand-in", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: "node" }],
      contexts: [{ name: "stand-in", cluster: "stand-in", user: "node" }],
      currentContext: "stand-in",
    });
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("one request when the watch cache answers in one page, ignoring the limit", async () => {
    asked.length = 0;
    pages = [{ names: ["a", "b", "c"] }];
    const listed = await createPodClient(kubeConfig).listPodsOnNode(node);
    assert.deepEqual(listed.map((p) => p.metadata?.name), ["a", "b", "c"]);
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.get("resourceVersion"), "0");
    assert.equal(asked[0]!.get("fieldSelector"), `spec.nodeName=${node}`);
    assert.equal(asked[0]!.get("continue"), null);
  });

  it("every page when the server pages: the first from the cache, each next one by its continue token alone", async () => {
    asked.length = 0;
    pages = [{ names: ["a"], continueToken: "token-1" }, { names: ["b"], continueToken: "token-2" }, { names: ["c"] }];
    const listed = await createPodClient(kubeConfig).listPodsOnNode(node);
    assert.deepEqual(listed.map((p) => p.metadata?.name), ["a", "b", "c"]);
    assert.deepEqual(
      asked.map((q) => ({ resourceVersion: q.get("resourceVersion"), continue: q.get("continue"), fieldSelector: q.get("fieldSelector") })),
      [
        { resourceVersion: "0", continue: null, fieldSelector: `spec.nodeName=${node}` },
        { resourceVersion: null, continue: "token-1", fieldSelector: `spec.nodeName=${node}` },
        { resourceVersion: null, continue: "token-2", fieldSelector: `spec.nodeName=${node}` },
      ],
    );
  });
});
