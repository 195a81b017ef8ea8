// Starts the worker's telemetry: a meter and a tracer provider of their own (no global provider, so
// nothing else in the process exports through them), their exporters, and the webhook token scrub in
// front of every span exporter. functions/telemetry.ts calls it once per process; the tests call it with
// in-memory exporters.
import { context, propagation, type TracerProvider } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { ManagedIdentityCredential } from "@azure/identity";
import { AzureMonitorMetricExporter, AzureMonitorTraceExporter } from "@azure/monitor-opentelemetry-exporter";
import { readPackageVersion } from "../version.js";
import { metricLineExporter } from "./metric-lines.js";
import { openTelemetry } from "./opentelemetry.js";
import type { Telemetry } from "./telemetry.js";
import type { TelemetrySettings } from "./telemetry-settings.js";
import { scrubbingSpanExporter, webhookTokenScrub } from "./webhook-token-scrub.js";

export interface TelemetryExporters {
  readonly spans: readonly SpanExporter[];
  readonly metrics: readonly { readonly exporter: PushMetricExporter; readonly intervalMs: number }[];
}

export interface RunningTelemetry {
  readonly telemetry: Telemetry;
  /** For an instrumentation registered later (HTTP, say): its spans then pass the same token scrub. */
  readonly tracerProvider: TracerProvider;
  /** Exports everything recorded so far (tests; and before an instance is taken away). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What the webhook token scrub must know: the route up to the token, and the token itself. */
export interface WebhookTokenOptions {
  readonly webhookPathPrefix: string;
  readonly webhookPathToken?: string;
}

// Azure Monitor's own default for exported metrics; the local lines come more often, to be watched.
const azureMonitorIntervalMs = 60_000;
const consoleIntervalMs = 30_000;

/** The exporters the settings ask for: Azure Monitor as the managed identity, and/or lines on `write`. */
export function exportersFor(settings: TelemetrySettings, write: (line: string) => void): TelemetryExporters {
  const spans: SpanExporter[] = [];
  const metrics: { exporter: PushMetricExporter; intervalMs: number }[] = [];
  if (settings.azureMonitor !== undefined) {
    const { connectionString, managedIdentityClientId } = settings.azureMonitor;
    // The identity the Bicep grants Monitoring Metrics Publisher on the resource (infra/modules/monitoring.bicep).
    const credential = managedIdentityClientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: managedIdentityClientId });
    spans.push(new AzureMonitorTraceExporter({ connectionString, credential }));
    metrics.push({ exporter: new AzureMonitorMetricExporter({ connectionString, credential }), intervalMs: azureMonitorIntervalMs });
  }
  if (settings.console) metrics.push({ exporter: metricLineExporter(write), intervalMs: consoleIntervalMs });
  return { spans, metrics };
}

export function startTelemetry(exporters: TelemetryExporters, options: WebhookTokenOptions & { spansAtOnce?: boolean }): RunningTelemetry {
  const resource = resourceFromAttributes({ "service.name": "aci-connector", "service.version": readPackageVersion() });
  const scrub = webhookTokenScrub(options.webhookPathPrefix, options.webhookPathToken);
  const meterProvider = new MeterProvider({
    resource,
    readers: exporters.metrics.map(({ exporter, intervalMs }) => new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs })),
  });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: exporters.spans.map((exporter) => {
      const scrubbing = scrubbingSpanExporter(exporter, scrub);
      return options.spansAtOnce === true ? new SimpleSpanProcessor(scrubbing) : new BatchSpanProcessor(scrubbing);
    }),
  });
  const scope = { name: "aci-connector", version: readPackageVersion() };
  return {
    telemetry: openTelemetry({ meter: meterProvider.getMeter(scope.name, scope.version), tracer: tracerProvider.getTracer(scope.name, scope.version) }),
    tracerProvider,
    flush: async () => {
      await tracerProvider.forceFlush();
      await meterProvider.forceFlush();
    },
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/**
 * Lets a span join the trace the Functions host started for the invocation (its W3C traceparent) and
 * lets spans nest across awaits: OpenTelemetry's context manager and propagator, process-wide.
 */
export function enableTraceContext(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/**
 * The handler run inside the trace the Functions host started for its invocation (the host hands its
 * W3C traceparent to the worker), so the spans of a pod sync join the host's request in Application
 * Insights.
 */
export function inHostTrace<H extends (...args: never[]) => unknown>(traceContext: { traceParent?: string | null; traceState?: string | null } | undefined, handler: H): H {
  if (traceContext?.traceParent == null) return handler;
  const carrier = { traceparent: traceContext.traceParent, ...(traceContext.traceState != null && { tracestate: traceContext.traceState }) };
  return context.bind(propagation.extract(context.active(), carrier), handler);
}
