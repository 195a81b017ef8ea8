// The metrics as the local run prints them (ACI_CONNECTOR_TELEMETRY=console): one readable line per
// series, from the same instruments the Azure exporter receives.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { metricLineExporter } from "../../../shared/telemetry/metric-lines.js";
import { openTelemetry } from "../../../shared/telemetry/opentelemetry.js";
import { trace } from "@opentelemetry/api";

describe("the metric lines of the local run", () => {
  it("prints each series with its attributes, counts, sums and units", async () => {
    const lines: string[] = [];
    const provider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: metricLineExporter((l) => lines.push(l)), exportIntervalMillis: 3_600_000 })] });
    const telemetry = openTelemetry({ meter: provider.getMeter("test"), tracer: trace.getTracer("none") });
    telemetry.reconcileTick(0.25, "ok");
    telemetry.reconcileTick(0.5, "ok");
    telemetry.armRequest("reads", 200);
    telemetry.armRequest("reads", 429);
    telemetry.podsByPhase({ Pending: 1, Running: 3, Succeeded: 0, Failed: 0, Unknown: 0 });
    await provider.forceFlush();
    assert.deepEqual(lines.sort(), [
      "metric aci_connector.arm.requests kind=reads http.response.status_code=200 total=1",
      "metric aci_connector.arm.requests kind=reads http.response.status_code=429 total=1",
      "metric aci_connector.pods k8s.pod.phase=Failed value=0",
      "metric aci_connector.pods k8s.pod.phase=Pending value=1",
      "metric aci_connector.pods k8s.pod.phase=Running value=3",
      "metric aci_connector.pods k8s.pod.phase=Succeeded value=0",
      "metric aci_connector.pods k8s.pod.phase=Unknown value=0",
      "metric aci_connector.reconcile.duration outcome=ok count=2 sum=0.75 max=0.5 (s)",
    ]);
    await provider.shutdown();
  });
});
