import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PodChanged, PodEventRelay } from "../../../shared/relay/pod-changed.js";
import { silentLogger } from "../../../shared/runtime/logger.js";
import { maxAdmissionReviewBytes } from "../../../shared/webhook/admission-review.js";
import { handleAdmission } from "../../../shared/webhook/handle-admission.js";
import { newPathToken } from "../../../shared/webhook/path-token.js";

const token = newPathToken();
const uid = "705ab4f5-6393-11e8-b7cc-42010a800002";
const podUid = "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f40";
const node = "virtual-kubelet-aci-connector-linux-westeurope";

function review(request: object): string {
  return JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid, ...request } });
}

function recordingRelay(): PodEventRelay & { events: PodChanged[] } {
  const events: PodChanged[] = [];
  return { events, publish: (e) => (events.push(e), Promise.resolve()) };
}

/**
 * A request body as the host hands it over: a stream that yields one chunk each time it is read, and
 * counts what was read. highWaterMark 0: nothing is pulled before the handler reads.
 */
function bodyStream(chunks: readonly Uint8Array[]): { stream: ReadableStream<Uint8Array>; bytesRead: () => number } {
  let next = 0;
  let bytes = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk === undefined) return controller.close();
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, bytesRead: () => bytes };
}

async function call(body: string | Uint8Array[], options: { pathToken?: string; contentType?: string | null; contentLength?: string | null; relay?: PodEventRelay } = {}) {
  const relay = options.relay ?? recordingRelay();
  const { stream, bytesRead } = bodyStream(typeof body === "string" ? [Buffer.from(body)] : body);
  const answer = await handleAdmission(
    {
      pathToken: "pathToken" in options ? options.pathToken : token,
      contentType: options.contentType === undefined ? "application/json" : options.contentType,
      contentLength: options.contentLength === undefined ? (typeof body === "string" ? String(Buffer.byteLength(body)) : null) : options.contentLength,
      body: stream,
    },
    { expectedPathToken: token, relay, log: silentLogger },
  );
  return { answer, relay, bytesRead };
}

const allowed = { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid, allowed: true } };

describe("the pod webhook", () => {
  const doorbells: { description: string; request: object; event: PodChanged | undefined }[] = [
    {
      description: "pods/binding CREATE: the pod from metadata, the node from target",
      request: {
        operation: "CREATE",
        resource: { group: "", version: "v1", resource: "pods" },
        subResource: "binding",
        namespace: "default",
        name: "aci-helloworld-5d8f",
        object: { apiVersion: "v1", kind: "Binding", metadata: { name: "aci-helloworld-5d8f", namespace: "default" }, target: { kind: "Node", name: node } },
      },
      event: { namespace: "default", name: "aci-helloworld-5d8f", node },
    },
    {
      description: "pods CREATE with spec.nodeName already set",
      request: {
        operation: "CREATE",
        resource: { group: "", version: "v1", resource: "pods" },
        namespace: "jobs",
        name: "direct",
        object: { metadata: { name: "direct", namespace: "jobs", uid: podUid }, spec: { nodeName: node } },
      },
      event: { namespace: "jobs", name: "direct", uid: podUid, node },
    },
    {
      description: "pods DELETE: the pod from oldObject",
      request: {
        operation: "DELETE",
        resource: { group: "", version: "v1", resource: "pods" },
        namespace: "default",
        name: "gone",
        oldObject: { metadata: { name: "gone", namespace: "default", uid: podUid }, spec: { nodeName: node } },
      },
      event: { namespace: "default", name: "gone", uid: podUid, node },
    },
    {
      description: "a request about another resource: allowed, no event",
      request: { operation: "CREATE", resource: { group: "apps", version: "v1", resource: "deployments" }, namespace: "default", name: "d" },
      event: undefined,
    },
    {
      description: "a dry run (sideEffects NoneOnDryRun): allowed, no event",
      request: {
        operation: "DELETE",
        dryRun: true,
        resource: { group: "", version: "v1", resource: "pods" },
        namespace: "default",
        name: "gone",
        oldObject: { metadata: { name: "gone", namespace: "default", uid: podUid }, spec: { nodeName: node } },
      },
      event: undefined,
    },
    {
      description: "a pod name that is not a Kubernetes name: allowed, no event",
      request: { operation: "DELETE", resource: { group: "", version: "v1", resource: "pods" }, namespace: "default", name: "../etc", oldObject: {} },
      event: undefined,
    },
  ];
  for (const d of doorbells) {
    it(`answers allowed and ${d.event ? "publishes" : "publishes nothing"} for ${d.description}`, async () => {
      const { answer, relay } = await call(review(d.request));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, allowed);
      assert.deepEqual((relay as ReturnType<typeof recordingRelay>).events, d.event ? [d.event] : []);
    });
  }

  const refusals: { description: string; body: string; contentType?: string | null; status: number; error: RegExp }[] = [
    { description: "a body that is not JSON", body: "{not json", status: 400, error: /^body is not JSON/ },
    { description: "a JSON body that is not an AdmissionReview", body: '{"hello":1}', status: 400, error: /apiVersion must be admission.k8s.io\/v1.*kind must be AdmissionReview.*request is missing/ },
    { description: "an AdmissionReview without request.uid", body: JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: {} }), status: 400, error: /request.uid must be a non-empty string/ },
    { description: "another content type", body: review({}), contentType: "text/plain", status: 415, error: /expected Content-Type application\/json, got text\/plain/ },
    { description: "an oversized body", body: `{"pad":"${"x".repeat(maxAdmissionReviewBytes)}"}`, status: 413, error: /body larger than/ },
  ];
  for (const r of refusals) {
    it(`answers ${r.status} with a reason for ${r.description}`, async () => {
      const { answer, relay } = await call(r.body, { contentType: r.contentType });
      assert.equal(answer.status, r.status);
      assert.match((answer.body as { error: string }).error, r.error);
      assert.deepEqual((relay as ReturnType<typeof recordingRelay>).events, []);
    });
  }

  it("answers a bare 404 to a wrong or missing path secret, whatever the body, and reads none of it", async () => {
    const chunk = new Uint8Array(64 * 1024);
    const bodies: { body: string | Uint8Array[]; contentLength?: string | null; contentType?: string }[] = [
      { body: "{not json" },
      { body: review({}), contentType: "text/plain" },
      { body: "x", contentLength: String(100 * 1024 * 1024) },
      { body: Array.from({ length: 100 }, () => chunk), contentLength: null },
    ];
    for (const pathToken of [undefined, "", token.slice(1), `${token}x`]) {
      for (const b of bodies) {
        const { answer, bytesRead } = await call(b.body, { pathToken, contentLength: b.contentLength, contentType: b.contentType });
        assert.deepEqual(answer, { status: 404 });
        assert.equal(bytesRead(), 0);
      }
    }
  });

  it("refuses a declared Content-Length over the limit with 413 without reading the body", async () => {
    const { answer, bytesRead } = await call("{}", { contentLength: String(maxAdmissionReviewBytes + 1) });
    assert.equal(answer.status, 413);
    assert.equal(bytesRead(), 0);
  });

  it("stops reading a chunked body at the first chunk past the limit, and answers 413", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const chunks = Array.from({ length: (100 * 1024 * 1024) / chunk.byteLength }, () => chunk); // 100 MB
    const { answer, bytesRead } = await call(chunks, { contentLength: null });
    assert.equal(answer.status, 413);
    assert.match((answer.body as { error: string }).error, /body larger than 3145728 bytes/);
    assert.equal(bytesRead(), maxAdmissionReviewBytes + chunk.byteLength);
  });

  it("reads a body in many chunks, multi-byte characters split between them", async () => {
    const bytes = Buffer.from(JSON.stringify({ apiVersion: "admission.k8s.io/v1-ü", kind: "AdmissionReview", request: { uid } }));
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const { answer } = await call(chunks, { contentLength: null });
    assert.equal(answer.status, 400);
    assert.match((answer.body as { error: string }).error, /got "admission\.k8s\.io\/v1-ü"/);
  });

  it("still allows the pod when publishing fails: reconcile will find it", async () => {
    const failing: PodEventRelay = { publish: () => Promise.reject(new Error("topic unreachable")) };
    const { answer } = await call(review(doorbells[0]!.request), { relay: failing });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, allowed);
  });
});
