// The ARM client's meter: what was sent, by ARM's kinds, and what ARM says is left of its bucket. The
// policy is called as the pipeline calls it, with `next` standing for the wire.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse, type SendRequest } from "@azure/core-rest-pipeline";
import { createArmMeter } from "../../../shared/aci/arm-meter.js";

const url = "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g?api-version=2023-05-01";

const answering = (headers: Record<string, string>): SendRequest => (request) =>
  Promise.resolve({ request, status: 200, headers: createHttpHeaders(headers), bodyAsText: "{}" } satisfies PipelineResponse);

describe("the ARM meter", () => {
  it("counts each request by the kind ARM charges it to", async () => {
    const meter = createArmMeter();
    for (const method of ["GET", "GET", "PUT", "DELETE", "POST"] as const) await meter.policy.sendRequest(createPipelineRequest({ url, method }), answering({}));
    assert.deepEqual([meter.sent("reads"), meter.sent("writes"), meter.sent("deletes")], [2, 2, 1]);
  });

  // learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling: each answer
  // carries x-ms-ratelimit-remaining-subscription-reads (or -writes, -deletes) for the bucket it charged.
  it("keeps ARM's latest word on what is left of each bucket, and nothing it did not say", async () => {
    const meter = createArmMeter();
    assert.equal(meter.remaining("reads"), undefined);
    await meter.policy.sendRequest(createPipelineRequest({ url, method: "GET" }), answering({ "x-ms-ratelimit-remaining-subscription-reads": "249" }));
    await meter.policy.sendRequest(createPipelineRequest({ url, method: "GET" }), answering({ "x-ms-ratelimit-remaining-subscription-reads": "11" }));
    await meter.policy.sendRequest(createPipelineRequest({ url, method: "GET" }), answering({}));
    await meter.policy.sendRequest(createPipelineRequest({ url, method: "PUT" }), answering({ "x-ms-ratelimit-remaining-subscription-writes": "199" }));
    assert.equal(meter.remaining("reads"), 11);
    assert.equal(meter.remaining("writes"), 199);
    assert.equal(meter.remaining("deletes"), undefined);
  });

  it("counts a request that failed on the wire: ARM may have charged it", async () => {
    const meter = createArmMeter();
    await assert.rejects(meter.policy.sendRequest(createPipelineRequest({ url, method: "GET" }), () => Promise.reject(new Error("socket hang up"))));
    assert.equal(meter.sent("reads"), 1);
  });
});
