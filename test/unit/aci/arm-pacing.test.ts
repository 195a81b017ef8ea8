// The client's copy of ARM's token buckets (shared/aci/arm-pacing.ts): a request takes a token or
// waits for the refill behind those already waiting, up to a limit; ARM's own count of what remains
// lowers the copy's, never raises it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { armPacingPolicy, createArmPacer } from "../../../shared/aci/arm-pacing.js";
import { AciError } from "../../../shared/aci/errors.js";

const buckets = {
  reads: { bucket: 3, refillPerSecond: 2 },
  writes: { bucket: 1, refillPerSecond: 1 },
  deletes: { bucket: 1, refillPerSecond: 1 },
};

function pacerAt(startMs = 0) {
  const now = { ms: startMs };
  return { now, pacer: createArmPacer({ now: () => new Date(now.ms) }, buckets, 0) };
}

describe("pacing ARM's requests by its token buckets", () => {
  it("sends at once while the bucket holds tokens, then queues each behind the last at the refill's pace", () => {
    const { pacer } = pacerAt();
    const waits = Array.from({ length: 6 }, () => pacer.take("reads", 10_000));
    // 3 in the bucket, then one every 500 ms (2 a second).
    assert.deepEqual(waits, [0, 0, 0, 500, 1000, 1500]);
  });

  it("refills with time, up to the bucket's size", () => {
    const { now, pacer } = pacerAt();
    for (let i = 0; i < 3; i++) pacer.take("reads", 0);
    assert.equal(pacer.take("reads", 0), undefined);
    now.ms += 250;
    assert.equal(pacer.take("reads", 0), undefined, "half a token after a quarter of a second");
    now.ms += 250;
    assert.equal(pacer.take("reads", 0), 0, "one token after half a second");
    now.ms += 60_000;
    assert.deepEqual(Array.from({ length: 4 }, () => pacer.take("reads", 0)), [0, 0, 0, undefined], "never more than the bucket holds");
  });

  it("refuses a request that would wait longer than it may, and takes nothing for it", () => {
    const { pacer } = pacerAt();
    for (let i = 0; i < 3; i++) pacer.take("reads", 10_000);
    assert.equal(pacer.take("reads", 499), undefined);
    assert.equal(pacer.take("reads", 500), 500, "the refused one held no place in the queue");
  });

  it("keeps each kind in its own bucket", () => {
    const { pacer } = pacerAt();
    assert.equal(pacer.take("writes", 10_000), 0);
    assert.equal(pacer.take("writes", 10_000), 1000);
    assert.equal(pacer.take("deletes", 10_000), 0);
    assert.equal(pacer.take("reads", 10_000), 0);
  });

  it("leaves a margin of refill in ARM's bucket, also below what ARM says remains", () => {
    const now = { ms: 0 };
    // Half a second of 2 a second: one token of the 3 is never spent.
    const pacer = createArmPacer({ now: () => new Date(now.ms) }, buckets, 0.5);
    assert.deepEqual([pacer.take("reads", 0), pacer.take("reads", 0), pacer.take("reads", 0)], [0, 0, undefined]);
    now.ms += 60_000;
    assert.deepEqual([pacer.take("reads", 0), pacer.take("reads", 0), pacer.take("reads", 0)], [0, 0, undefined], "refilled to the margin, no further");
    now.ms += 60_000;
    pacer.remaining("reads", 2);
    assert.deepEqual([pacer.take("reads", 0), pacer.take("reads", 0)], [0, undefined]);
  });

  it("lowers its count to what ARM says remains (other tools of the principal spend too), never raises it", () => {
    const { pacer } = pacerAt();
    pacer.remaining("reads", 1);
    assert.deepEqual([pacer.take("reads", 10_000), pacer.take("reads", 10_000)], [0, 500]);
    pacer.remaining("reads", 250);
    assert.equal(pacer.take("reads", 10_000), 1000, "a higher count from ARM frees no place already promised");
  });
});

describe("the pacing policy in the ARM client's pipeline", () => {
  const request = (method: string): PipelineRequest => createPipelineRequest({ url: "https://management.azure.com/subscriptions/s/providers/Microsoft.ContainerInstance/locations/westeurope/usages", method: method as "GET" });
  const answer = (req: PipelineRequest, remaining?: string): PipelineResponse => ({
    request: req,
    status: 200,
    headers: createHttpHeaders(remaining === undefined ? {} : { "x-ms-ratelimit-remaining-subscription-reads": remaining }),
  });

  it("refuses unsent a request that would wait longer than it may, naming ARM's refill and the kind", async () => {
    const { pacer } = pacerAt();
    for (let i = 0; i < 3; i++) pacer.take("reads", 0);
    let sent = 0;
    const policy = armPacingPolicy(pacer, 400);
    await assert.rejects(
      policy.sendRequest(request("GET"), (r) => (sent++, Promise.resolve(answer(r)))),
      (error: unknown) => {
        assert.ok(error instanceof AciError);
        assert.equal(error.kind, "throttled");
        assert.deepEqual([error.details.throttledKind, error.details.retryAfterMs, error.details.statusCode], ["reads", 400, 429]);
        assert.equal(error.message, "not sent: ARM refills 25 reads a second and this instance has promised them for more than 0.4 s ahead");
        return true;
      },
    );
    assert.equal(sent, 0);
  });

  it("sends at once with a token, and lowers its count to what ARM's answer says remains", async () => {
    const { pacer } = pacerAt();
    const policy = armPacingPolicy(pacer, 10_000);
    await policy.sendRequest(request("GET"), (r) => Promise.resolve(answer(r, "0")));
    assert.equal(pacer.take("reads", 10_000), 500, "ARM said none remain: the next waits for the refill");
  });

  it("ends a wait when the caller's deadline passes", async () => {
    const { pacer } = pacerAt();
    for (let i = 0; i < 3; i++) pacer.take("reads", 0);
    const req = request("GET");
    req.abortSignal = AbortSignal.timeout(20);
    let sent = 0;
    await assert.rejects(armPacingPolicy(pacer, 10_000).sendRequest(req, (r) => (sent++, Promise.resolve(answer(r)))), { name: "AbortError" });
    assert.equal(sent, 0);
  });
});
