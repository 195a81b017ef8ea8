// The ARM client's throttle policy: nothing sent before a remembered Retry-After, no sleep inside a call
// through a long one. The policy is called as the pipeline calls it, with `next` standing for the wire.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse, type SendRequest } from "@azure/core-rest-pipeline";
import { armThrottlePolicy, createArmThrottle } from "../../../shared/aci/arm-throttle.js";
import { AciError } from "../../../shared/aci/errors.js";

const url = "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g?api-version=2023-05-01";

function wire(answers: { status: number; headers?: Record<string, string>; body?: string }[]) {
  const sent: string[] = [];
  const next: SendRequest = (request) => {
    sent.push(request.method);
    const a = answers.shift() ?? { status: 200 };
    return Promise.resolve({ request, status: a.status, headers: createHttpHeaders(a.headers), bodyAsText: a.body ?? "{}" } satisfies PipelineResponse);
  };
  return { next, sent };
}

describe("the ARM throttle policy", () => {
  it("fails a 429 at once with ARM's Retry-After, and sends no request of that kind before it", async () => {
    let now = 1_000_000;
    const clock = { now: () => new Date(now) };
    const throttle = createArmThrottle(clock);
    const policy = armThrottlePolicy(throttle, clock);
    const w = wire([{ status: 429, headers: { "retry-after": "30" }, body: '{"error":{"code":"SubscriptionRequestsThrottled","message":"slow down"}}' }]);
    await assert.rejects(policy.sendRequest(createPipelineRequest({ url, method: "PUT" }), w.next), (e: unknown) => {
      assert.ok(e instanceof AciError && e.kind === "throttled" && e.details.retryAfterMs === 30_000);
      // ARM's words, and the resource without the subscription: this message may reach a node condition.
      assert.equal(e.message, "PUT Microsoft.ContainerInstance/containerGroups/g failed: 429 SubscriptionRequestsThrottled: slow down");
      return true;
    });
    now += 29_000;
    await assert.rejects(policy.sendRequest(createPipelineRequest({ url, method: "PUT" }), w.next), (e: unknown) => e instanceof AciError && e.kind === "throttled" && /not sent/.test(e.message));
    assert.deepEqual(w.sent, ["PUT"], "the second PUT never reached the wire");
    // Reads are counted apart by ARM: they go on.
    assert.equal((await policy.sendRequest(createPipelineRequest({ url, method: "GET" }), w.next)).status, 200);
    now += 1_001;
    assert.equal((await policy.sendRequest(createPipelineRequest({ url, method: "PUT" }), w.next)).status, 200);
    assert.deepEqual(w.sent, ["PUT", "GET", "PUT"]);
  });

  it("waits the default when a 429 says nothing, and tells whoever shares the waits", async () => {
    const clock = { now: () => new Date(0) };
    let told = 0;
    const throttle = createArmThrottle(clock, () => told++);
    await assert.rejects(armThrottlePolicy(throttle, clock).sendRequest(createPipelineRequest({ url, method: "DELETE" }), wire([{ status: 429 }]).next));
    assert.deepEqual(throttle.current(), { deletes: 30_000 });
    assert.equal(told, 1);
  });

  it("never lets a call sleep through a long Retry-After on another status (503)", async () => {
    const clock = { now: () => new Date(0) };
    const policy = armThrottlePolicy(createArmThrottle(clock), clock);
    await assert.rejects(policy.sendRequest(createPipelineRequest({ url, method: "GET" }), wire([{ status: 503, headers: { "retry-after": "60" } }]).next), (e: unknown) => e instanceof AciError && e.kind === "unavailable");
    const short = await policy.sendRequest(createPipelineRequest({ url, method: "GET" }), wire([{ status: 503, headers: { "retry-after": "1" } }]).next);
    assert.equal(short.status, 503, "a short wait is the SDK's own retry to make");
  });
});
