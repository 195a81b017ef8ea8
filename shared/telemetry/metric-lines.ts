// The connector's metrics as readable lines, one per series, for the local run (ACI_CONNECTOR_TELEMETRY=
// console): the same instruments Azure Monitor receives, printed where the other local lines go, e.g.
//   metric aci_connector.arm.requests kind=reads http.response.status_code=200 total=42
//   metric aci_connector.reconcile.duration outcome=ok count=8 sum=1.204 max=0.311 (s)
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { DataPointType, type MetricData, type PushMetricExporter, type ResourceMetrics } from "@opentelemetry/sdk-metrics";

export function metricLines(metrics: ResourceMetrics): string[] {
  return metrics.scopeMetrics.flatMap((scope) => scope.metrics.flatMap(linesOf));
}

function linesOf(metric: MetricData): string[] {
  const name = metric.descriptor.name;
  const unit = metric.descriptor.unit === "" ? "" : ` (${metric.descriptor.unit})`;
  const labels = (attributes: Record<string, unknown>) => Object.entries(attributes).map(([k, v]) => ` ${k}=${String(v)}`).join("");
  switch (metric.dataPointType) {
    case DataPointType.HISTOGRAM:
      return metric.dataPoints.map(({ attributes, value }) => `metric ${name}${labels(attributes)} count=${value.count} sum=${round(value.sum ?? 0)}${value.max !== undefined ? ` max=${round(value.max)}` : ""}${unit}`);
    case DataPointType.SUM:
      return metric.dataPoints.map(({ attributes, value }) => `metric ${name}${labels(attributes)} total=${value}`);
    case DataPointType.GAUGE:
      return metric.dataPoints.map(({ attributes, value }) => `metric ${name}${labels(attributes)} value=${value}`);
    default:
      return [];
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A metric exporter that writes each export as lines. */
export function metricLineExporter(write: (line: string) => void): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void) {
      for (const line of metricLines(metrics)) write(line);
      done({ code: ExportResultCode.SUCCESS });
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
