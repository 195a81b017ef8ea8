// The telemetry port over OpenTelemetry's API: the metrics of instruments.ts and one span per pod sync.
// It takes a meter and a tracer, never the global ones, so a test hands it in-memory providers and the
// Functions set-up (start.ts) the Azure Monitor ones.
import { SpanStatusCode, type Meter, type Tracer } from "@opentelemetry/api";
import { instruments } from "./instruments.js";
import { podPhases, type Telemetry } from "./telemetry.js";

/** The span of one pod sync; the pod is in its attributes, never in its name (one name, one series). */
export const podSyncSpanName = "aci_connector.pod_sync";
/** The attribute that carries a pod sync's outcome ("created", "status-updated", ...). */
export const podSyncOutcomeAttribute = "aci_connector.pod_sync.outcome";

// Seconds, from a fast tick or a quick PUT to a reconcile near its 60 s deadline: OpenTelemetry's default
// boundaries are meant for milliseconds and would put nearly everything in their first bucket.
const secondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120];

export function openTelemetry(providers: { meter: Meter; tracer: Tracer }): Telemetry {
  const { meter, tracer } = providers;
  const histogram = (spec: { name: string; unit: string; description: string }) =>
    meter.createHistogram(spec.name, { unit: spec.unit, description: spec.description, advice: { explicitBucketBoundaries: secondsBuckets } });
  const reconcileDuration = histogram(instruments.reconcileDuration);
  const doorbellToPut = histogram(instruments.doorbellToPut);
  const aciRunningToPodRunning = histogram(instruments.aciRunningToPodRunning);
  const armRequests = meter.createCounter(instruments.armRequests.name, { unit: instruments.armRequests.unit, description: instruments.armRequests.description });
  const pods = meter.createGauge(instruments.pods.name, { unit: instruments.pods.unit, description: instruments.pods.description });

  return {
    podSync(pod, work) {
      const attributes = { "k8s.namespace.name": pod.namespace, "k8s.pod.name": pod.name, "k8s.pod.uid": pod.uid, "k8s.node.name": pod.node };
      return tracer.startActiveSpan(podSyncSpanName, { attributes }, async (span) => {
        try {
          const outcome = await work();
          span.setAttribute(podSyncOutcomeAttribute, outcome);
          return outcome;
        } catch (error) {
          // The error's kind only: a message may quote what ARM or the API server said, which is not ours
          // to export. The invocation's log has the message.
          span.setAttribute("error.type", error instanceof Error ? error.name : typeof error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    reconcileTick: (seconds, outcome) => reconcileDuration.record(seconds, { outcome }),
    podsByPhase(counts) {
      for (const phase of podPhases) pods.record(counts[phase], { "k8s.pod.phase": phase });
    },
    armRequest: (kind, statusCode) => armRequests.add(1, { kind, ...(statusCode !== undefined && { "http.response.status_code": statusCode }) }),
    doorbellToPut: (seconds) => doorbellToPut.record(seconds),
    aciRunningToPodRunning: (seconds) => aciRunningToPodRunning.record(seconds),
  };
}
