// ARM requests as the connector's telemetry counts them, through the real @azure/arm-containerinstance
// client and its pipeline (the policy sits beside the read meter, after the SDK's retries): by ARM's
// bucket (reads here) and by ARM's answer, 429s included. The emulator throttles as ARM does, with its
// token buckets and 429 + Retry-After (learn.microsoft.com/azure/azure-resource-manager/management/
// request-limits-and-throttling; test/emulator/faults-and-throttling.test.ts checks the emulator's side).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AggregationTemporality, InMemoryMetricExporter } from "@opentelemetry/sdk-metrics";
import { createAciClient } from "../../shared/aci/client.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { instruments } from "../../shared/telemetry/instruments.js";
import { startTelemetry } from "../../shared/telemetry/start.js";
import { startTestEmulator } from "../support/emulator.js";

describe("ARM requests counted by the telemetry, against the emulator", () => {
  it("each request by kind and ARM's status: a 404, two 200s, then ARM's 429", async () => {
    const now = Date.parse("2025-01-01T10:00:00Z");
    const emulator = await startTestEmulator({ throttling: { reads: { capacity: 3, refillPerSecond: 1 } }, clock: () => now });
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const running = startTelemetry({ spans: [], metrics: [{ exporter: metrics, intervalMs: 3_600_000 }] }, { webhookPathPrefix: "/api/pod-webhook/" });
    try {
      const client = createAciClient({
        settings: { subscriptionId: emulator.subscriptionId, armEndpoint: emulator.endpoint, armCaFile: emulator.caFile },
        credential: emulatorCredential,
        // No retry: each call is one request, so the counts are ARM's answers one by one.
        retryOptions: { maxRetries: 0 },
        telemetry: () => running.telemetry,
      });
      await assert.rejects(client.containerGroups.get(emulator.resourceGroup, "absent"), (e: { statusCode?: number }) => e.statusCode === 404);
      for (let i = 0; i < 2; i++) for await (const _ of client.location.listUsage("westeurope")) void _;
      await assert.rejects(async () => {
        for await (const _ of client.location.listUsage("westeurope")) void _;
      }, (e: { statusCode?: number }) => e.statusCode === 429);

      await running.flush();
      const requests = metrics.getMetrics().at(-1)!.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === instruments.armRequests.name)!;
      const counted = Object.fromEntries(requests.dataPoints.map((p) => [`${String(p.attributes.kind)} ${String(p.attributes["http.response.status_code"])}`, p.value]));
      assert.deepEqual(counted, { "reads 404": 1, "reads 200": 2, "reads 429": 1 });
    } finally {
      await running.shutdown();
      await emulator.stop();
    }
  });
});
