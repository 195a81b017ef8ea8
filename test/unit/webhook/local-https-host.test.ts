// functions/podWebhook.ts served by the local functions host (dev/functions-host/https-server.ts) over
// real HTTPS, as the API server (or anyone on the internet) calls it in Azure: the body streams to the
// handler, which reads none of it without the path secret and stops reading past its limit.
import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { startHttpsFunctionServer, type HttpsFunctionServer } from "../../../dev/functions-host/https-server.js";
import { createCertificateAuthority } from "../../../dev/pki.js";
import { podWebhook } from "../../../functions/podWebhook.js";
import { triggers } from "../../../functions/triggers.js";
import type { PodChanged } from "../../../shared/relay/pod-changed.js";
import { useLocalRelay } from "../../../shared/runtime/connector.js";
import { maxAdmissionReviewBytes } from "../../../shared/webhook/admission-review.js";
import { newPathToken } from "../../../shared/webhook/path-token.js";
import { webhookOnlySettings } from "../../support/webhook-settings.js";

const token = newPathToken();
const chunk = Buffer.alloc(64 * 1024, 0x20);
const hundredMegabytes = (100 * 1024 * 1024) / chunk.length;

interface Sent {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** How many chunks the client had written when the answer's headers arrived. */
  readonly chunksWrittenAtAnswer: number;
}

describe("the pod webhook on the local functions host, over HTTPS", () => {
  let server: HttpsFunctionServer;
  let ca: string;
  const published: PodChanged[] = [];

  before(async () => {
    // The functions' settings, as a Function App's app settings (read once, on the first invocation).
    Object.assign(process.env, webhookOnlySettings("webhook-test", token));
    useLocalRelay({ publish: (event) => (published.push(event), Promise.resolve()) });
    const authority = await createCertificateAuthority("webhook test CA");
    ca = authority.certPem;
    server = await startHttpsFunctionServer({ ca: authority, routes: [{ name: "podWebhook", route: triggers.podWebhook.route, methods: triggers.podWebhook.methods, handler: podWebhook }] });
  });
  after(() => server.stop());

  /**
   * POSTs `chunks` chunks of 64 KiB, chunked unless a Content-Length is given, writing each only after
   * the last was taken by the connection, and stops writing as soon as the answer arrives.
   */
  function post(path: string, options: { chunks: number; body?: Buffer; contentLength?: number }): Promise<Sent> {
    return new Promise((resolve, reject) => {
      let written = 0;
      let answered = false;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (options.contentLength !== undefined) headers["content-length"] = String(options.contentLength);
      const req = request(`${server.origin}${path}`, { method: "POST", ca, headers }, (res) => {
        answered = true;
        const chunksWrittenAtAnswer = written;
        let body = "";
        res.setEncoding("utf8").on("data", (d: string) => (body += d));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, chunksWrittenAtAnswer });
        });
      });
      req.on("error", (error) => answered || reject(error));
      const writeNext = () => {
        while (!answered && written < options.chunks) {
          written++;
          if (!req.write(options.body ?? chunk)) return void req.once("drain", writeNext);
        }
        if (!answered) req.end();
      };
      req.flushHeaders();
      writeNext();
    });
  }

  it("answers a wrong path secret with a bare 404 while a 100 MB chunked body has hardly begun, and closes the connection", async () => {
    const answer = await post(`/api/pod-webhook/${token.slice(1)}x`, { chunks: hundredMegabytes });
    assert.equal(answer.status, 404);
    assert.equal(answer.body, "");
    assert.equal(answer.headers.connection, "close");
    // Answered without waiting for the body: the connection took only what its buffers hold.
    assert.ok(answer.chunksWrittenAtAnswer < 64, `answered after ${answer.chunksWrittenAtAnswer} chunks of 64 KiB`);
  });

  it("answers a wrong path secret with the same 404 as a route that does not exist, whatever the Content-Length", async () => {
    const wrongToken = await post(`/api/pod-webhook/${"A".repeat(43)}`, { chunks: 1, contentLength: 100 * 1024 * 1024 });
    const noRoute = await post("/api/no-such-function", { chunks: 1, contentLength: 100 * 1024 * 1024 });
    assert.deepEqual([wrongToken.status, wrongToken.body, wrongToken.headers.connection], [404, "", "close"]);
    assert.deepEqual([noRoute.status, noRoute.body, noRoute.headers.connection], [404, "", "close"]);
  });

  it("with the path secret, stops a 100 MB chunked body just past the limit with 413", async () => {
    const answer = await post(`/api/pod-webhook/${token}`, { chunks: hundredMegabytes });
    assert.equal(answer.status, 413);
    assert.match(answer.body, new RegExp(`body larger than ${maxAdmissionReviewBytes} bytes`));
    const limitInChunks = maxAdmissionReviewBytes / chunk.length;
    assert.ok(answer.chunksWrittenAtAnswer < limitInChunks + 64, `answered after ${answer.chunksWrittenAtAnswer} chunks of 64 KiB`);
  });

  it("with the path secret, reads a streamed AdmissionReview and rings the doorbell", async () => {
    const review = Buffer.from(JSON.stringify({
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      request: {
        uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
        operation: "CREATE",
        resource: { group: "", version: "v1", resource: "pods" },
        subResource: "binding",
        namespace: "default",
        name: "aci-helloworld",
        object: { apiVersion: "v1", kind: "Binding", metadata: { name: "aci-helloworld" }, target: { kind: "Node", name: "virtual-kubelet-webhook-test-linux-westeurope" } },
      },
    }));
    const answer = await post(`/api/pod-webhook/${token}`, { chunks: 1, body: review });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "705ab4f5-6393-11e8-b7cc-42010a800002", allowed: true } });
    assert.deepEqual(published, [{ namespace: "default", name: "aci-helloworld", node: "virtual-kubelet-webhook-test-linux-westeurope" }]);
  });
});
