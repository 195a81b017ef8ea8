// The client's copy of ARM's token buckets (shared/aci/arm-pacing.ts): a request takes a token or
// waits for the refill behind those already waiting (the urgent ones first), up to a limit; ARM's own
// count of what remains lowers the copy's, never raises it.
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { sendArmRequest } from "../../../shared/aci/arm-http.js";
import { armPacingPolicy, createArmPacer, type ArmPacer } from "../../../shared/aci/arm-pacing.js";
import { AciError } from "../../../shared/aci/errors.js";
import { systemClock } from "../../../shared/runtime/clock.js";

const buckets = {
  reads: { bucket: 3, refillPerSecond: 2 },
  writes: { bucket: 1, refillPerSecond: 1 },
  deletes: { bucket: 1, refillPerSecond: 1 },
};

// The pacer keeps time by the clock and wakes by setTimeout: both mocked, so a test runs the clock on.
function pacerWith(t: TestContext, reserveSeconds = 0) {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
  return createArmPacer(systemClock, buckets, reserveSeconds);
}

/** When a request was served (ms on the mocked clock), or false when it was refused; undefined while it waits. */
function track(acquired: Promise<boolean>): { outcome?: number | false } {
  const tracked: { outcome?: number | false } = {};
  void acquired.then((served) => (tracked.outcome = served && Date.now()));
  return tracked;
}

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the mocked clock on to `ms` in steps of 10 ms, letting the served record their time. */
async function runTo(t: TestContext, ms: number): Promise<void> {
  await settled();
  while (Date.now() < ms) {
    t.mock.timers.tick(10);
    await settled();
  }
}

const patient = { maxWaitMs: 10_000 };
const outcomes = (tracked: { outcome?: number | false }[]) => tracked.map(({ outcome }) => outcome);

describe("pacing ARM's requests by its token buckets", () => {
  it("serves at once while the bucket holds tokens, then one at a time in arrival order at the refill's pace", async (t) => {
    const pacer = pacerWith(t);
    const requests = Array.from({ length: 6 }, () => track(pacer.acquire("reads", patient)));
    await runTo(t, 2_000);
    // 3 in the bucket, then one every 500 ms (2 a second).
    assert.deepEqual(outcomes(requests), [0, 0, 0, 500, 1000, 1500]);
  });

  it("serves urgent requests before those that came earlier, and the others after them in their order", async (t) => {
    const pacer = pacerWith(t);
    for (let i = 0; i < 3; i++) await pacer.acquire("reads", patient);
    const others = Array.from({ length: 3 }, () => track(pacer.acquire("reads", patient)));
    await runTo(t, 100);
    const urgent = Array.from({ length: 2 }, () => track(pacer.acquire("reads", { ...patient, urgent: true })));
    await runTo(t, 3_000);
    assert.deepEqual(outcomes(urgent), [500, 1000]);
    assert.deepEqual(outcomes(others), [1500, 2000, 2500]);
  });

  it("refills with time, up to the bucket's size", async (t) => {
    const pacer = pacerWith(t);
    const now = { maxWaitMs: 0 };
    for (let i = 0; i < 3; i++) await pacer.acquire("reads", now);
    assert.equal(await pacer.acquire("reads", now), false);
    await runTo(t, 250);
    assert.equal(await pacer.acquire("reads", now), false, "half a token after a quarter of a second");
    await runTo(t, 500);
    assert.equal(await pacer.acquire("reads", now), true, "one token after half a second");
    await runTo(t, 60_500);
    const four = [];
    for (let i = 0; i < 4; i++) four.push(await pacer.acquire("reads", now));
    assert.deepEqual(four, [true, true, true, false], "never more than the bucket holds");
  });

  it("refuses at once a request that would wait longer than it may, and keeps no place for it", async (t) => {
    const pacer = pacerWith(t);
    for (let i = 0; i < 3; i++) await pacer.acquire("reads", patient);
    const urgent = track(pacer.acquire("reads", { maxWaitMs: 500, urgent: true }));
    assert.equal(await pacer.acquire("reads", { maxWaitMs: 999 }), false, "behind the urgent one: 1 s");
    assert.equal(await pacer.acquire("reads", { maxWaitMs: 499, urgent: true }), false, "behind the other urgent one: 1 s");
    const patientOne = track(pacer.acquire("reads", { maxWaitMs: 1000 }));
    assert.equal(await pacer.acquire("reads", { maxWaitMs: 1499 }), false, "behind the urgent one and the other: 1.5 s");
    const laterUrgent = track(pacer.acquire("reads", { maxWaitMs: 1000, urgent: true }));
    await runTo(t, 2_000);
    assert.deepEqual(outcomes([urgent, laterUrgent, patientOne]), [500, 1000, 1500], "the refused held no place in the lines");
  });

  it("ends a wait when the caller's deadline passes, holding no place", async (t) => {
    const pacer = pacerWith(t);
    const deadline = new AbortController();
    // A served request leaves nothing behind that its caller's deadline could still touch.
    for (let i = 0; i < 3; i++) await pacer.acquire("reads", { ...patient, abortSignal: deadline.signal });
    const abandoned = pacer.acquire("reads", { ...patient, abortSignal: deadline.signal });
    const next = track(pacer.acquire("reads", patient));
    deadline.abort(new Error("the tick's deadline"));
    await assert.rejects(abandoned, { message: "the tick's deadline" });
    await runTo(t, 600);
    assert.equal(next.outcome, 500, "the one behind took its place");
    await assert.rejects(pacer.acquire("reads", { ...patient, abortSignal: deadline.signal }), { message: "the tick's deadline" });
    // A reason that is no Error (abort("...")) still rejects with one, as node:timers/promises does.
    const plain = new AbortController();
    const waiting = pacer.acquire("reads", { ...patient, abortSignal: plain.signal });
    plain.abort("gone");
    await assert.rejects(waiting, { name: "AbortError", message: "The operation was aborted" });
  });

  it("keeps each kind in its own bucket", async (t) => {
    const pacer = pacerWith(t);
    const requests = [track(pacer.acquire("writes", patient)), track(pacer.acquire("writes", patient)), track(pacer.acquire("deletes", patient)), track(pacer.acquire("reads", patient))];
    await runTo(t, 1_100);
    assert.deepEqual(outcomes(requests), [0, 1000, 0, 0]);
  });

  it("tells how long a request coming now would wait, counting every waiter", async (t) => {
    const pacer = pacerWith(t);
    assert.equal(pacer.waitMs("reads"), 0);
    for (let i = 0; i < 3; i++) await pacer.acquire("reads", patient);
    assert.equal(pacer.waitMs("reads"), 500);
    void pacer.acquire("reads", patient);
    void pacer.acquire("reads", { ...patient, urgent: true });
    assert.equal(pacer.waitMs("reads"), 1500);
    assert.equal(pacer.waitMs("writes"), 0);
    await runTo(t, 1_000);
  });

  it("leaves a margin of refill in ARM's bucket, also below what ARM says remains", async (t) => {
    // Half a second of 2 a second: one token of the 3 is never spent.
    const pacer = pacerWith(t, 0.5);
    const now = { maxWaitMs: 0 };
    const three = async () => [await pacer.acquire("reads", now), await pacer.acquire("reads", now), await pacer.acquire("reads", now)];
    assert.deepEqual(await three(), [true, true, false]);
    await runTo(t, 60_000);
    assert.deepEqual(await three(), [true, true, false], "refilled to the margin, no further");
    await runTo(t, 120_000);
    pacer.remaining("reads", 2);
    assert.deepEqual((await three()).slice(0, 2), [true, false]);
  });

  it("lowers its count to what ARM says remains (other tools of the principal spend too), never raises it", async (t) => {
    const pacer = pacerWith(t);
    pacer.remaining("reads", 1);
    const first = [track(pacer.acquire("reads", patient)), track(pacer.acquire("reads", patient))];
    pacer.remaining("reads", 250);
    const third = track(pacer.acquire("reads", patient));
    await runTo(t, 1_100);
    assert.deepEqual(outcomes([...first, third]), [0, 500, 1000], "a higher count from ARM frees no token");
  });
});

describe("the pacing policy in the ARM client's pipeline", () => {
  const request = (method: string): PipelineRequest => createPipelineRequest({ url: "https://management.azure.com/subscriptions/s/providers/Microsoft.ContainerInstance/locations/westeurope/usages", method: method as "GET" });
  const answer = (req: PipelineRequest, remaining?: string): PipelineResponse => ({
    request: req,
    status: 200,
    headers: createHttpHeaders(remaining === undefined ? {} : { "x-ms-ratelimit-remaining-subscription-reads": remaining }),
  });

  const drained = async (pacer: ArmPacer) => {
    for (let i = 0; i < 3; i++) await pacer.acquire("reads", { maxWaitMs: 0 });
  };

  it("refuses unsent a request that would wait longer than it may, naming ARM's refill and the kind", async (t) => {
    const pacer = pacerWith(t);
    await drained(pacer);
    let sent = 0;
    const policy = armPacingPolicy(pacer, 400);
    await assert.rejects(
      policy.sendRequest(request("GET"), (r) => (sent++, Promise.resolve(answer(r)))),
      (error: unknown) => {
        assert.ok(error instanceof AciError);
        assert.equal(error.kind, "throttled");
        assert.deepEqual([error.details.throttledKind, error.details.retryAfterMs, error.details.statusCode], ["reads", 400, 429]);
        assert.equal(error.message, "not sent: ARM refills 25 reads a second and the requests before this one would hold it more than 0.4 s");
        return true;
      },
    );
    assert.equal(sent, 0);
  });

  it("sends at once with a token, and lowers its count to what ARM's answer says remains", async (t) => {
    const pacer = pacerWith(t);
    const policy = armPacingPolicy(pacer, 10_000);
    await policy.sendRequest(request("GET"), (r) => Promise.resolve(answer(r, "0")));
    assert.equal(pacer.waitMs("reads"), 500, "ARM said none remain: the next waits for the refill");
  });

  it("sends a request marked urgent by its sender before those waiting, each attempt", async (t) => {
    const pacer = pacerWith(t);
    await drained(pacer);
    const policy = armPacingPolicy(pacer, 10_000);
    const sent: string[] = [];
    // Two attempts each, as the SDK's retry policy sends the same request again after a failure.
    const twice = (urgent: boolean, name: string) =>
      sendArmRequest({ sendRequest: async (r) => (await policy.sendRequest(r, (s) => (sent.push(name), Promise.resolve(answer(s)))), policy.sendRequest(r, (s) => (sent.push(name), Promise.resolve(answer(s))))) }, "GET", request("GET").url, { urgent });
    const done = [twice(false, "doorbell"), twice(false, "reconcile")];
    await runTo(t, 100);
    done.push(twice(true, "event"));
    await runTo(t, 4_000);
    await Promise.all(done);
    assert.deepEqual(sent, ["event", "event", "doorbell", "reconcile", "doorbell", "reconcile"]);
  });

  it("ends a wait when the caller's deadline passes, sending nothing", async (t) => {
    const pacer = pacerWith(t);
    await drained(pacer);
    const req = request("GET");
    const deadline = new AbortController();
    req.abortSignal = deadline.signal;
    let sent = 0;
    const waiting = armPacingPolicy(pacer, 10_000).sendRequest(req, (r) => (sent++, Promise.resolve(answer(r))));
    deadline.abort(new DOMException("the deadline passed", "AbortError"));
    await assert.rejects(waiting, { name: "AbortError" });
    await runTo(t, 1_000);
    assert.equal(sent, 0);
  });
});
