// Every request sent to ARM, reported to telemetry by kind (reads, writes, deletes: ARM's buckets) and
// by ARM's answer, 429s included: what an operator compares with ARM's limits. Beside the meter in the
// ARM client's pipeline, after the retry policy, so each attempt is one request, as ARM counts them.
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Telemetry } from "../telemetry/telemetry.js";
import { armRequestKindOf } from "./arm-throttle.js";

/** `telemetry` is asked at each request: the process's telemetry may be set up after the client is made. */
export function armRequestMetricsPolicy(telemetry: () => Telemetry): PipelinePolicy {
  return {
    name: "aciConnectorArmRequestMetrics",
    async sendRequest(request, next) {
      const kind = armRequestKindOf(request.method);
      try {
        const response = await next(request);
        telemetry().armRequest(kind, response.status);
        return response;
      } catch (error) {
        // No answer (a reset, a deadline): sent all the same, and ARM may have charged it.
        telemetry().armRequest(kind, undefined);
        throw error;
      }
    },
  };
}
