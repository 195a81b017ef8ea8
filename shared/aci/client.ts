// The real ARM client for Microsoft.ContainerInstance, pointed at Azure or at another ARM endpoint
// (the local emulator), authenticated by managed identity unless told otherwise.
import { readFileSync } from "node:fs";
import { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import type { TokenCredential } from "@azure/core-auth";
import type { Settings } from "../config/settings.js";
import { systemClock, type Clock } from "../runtime/clock.js";
import { armBudget } from "./arm-budget.js";
import type { Telemetry } from "../telemetry/telemetry.js";
import type { ArmMeterRecorder } from "./arm-meter.js";
import { armPacingPolicy, type ArmPacer } from "./arm-pacing.js";
import { armRequestMetricsPolicy } from "./arm-request-metrics.js";
import { armThrottlePolicy, type ArmThrottle } from "./arm-throttle.js";

export interface AciClientOptions {
  readonly settings: Pick<Settings, "subscriptionId" | "armEndpoint" | "armCaFile">;
  readonly credential: TokenCredential;
  /** The SDK's retries within one call (default: armBudget.sdkRetry, short: reconcile retries). */
  readonly retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** ARM's remembered Retry-After: nothing is sent before it, and no call sleeps through a long one. */
  readonly throttle?: ArmThrottle;
  /** Holds each request until ARM has refilled a token for it (arm-pacing.ts). */
  readonly pacer?: ArmPacer;
  /** Counts what is sent to ARM and what ARM says is left (reconcile spends its reads by it). */
  readonly meter?: ArmMeterRecorder;
  /** Where each request is reported (by kind and ARM's status), asked at each request. */
  readonly telemetry?: () => Telemetry;
  readonly clock?: Clock;
}

export function createAciClient(options: AciClientOptions): ContainerInstanceManagementClient {
  const { settings, credential } = options;
  const client = new ContainerInstanceManagementClient(credential, settings.subscriptionId, {
    ...(settings.armEndpoint !== undefined && {
      // `$host` alone does not move the client; `endpoint` does, and then the token scope must be named.
      endpoint: settings.armEndpoint,
      credentialScopes: ["https://management.azure.com/.default"],
    }),
    ...(settings.armCaFile !== undefined && { tlsOptions: { ca: readFileSync(settings.armCaFile, "utf8") } }),
    retryOptions: options.retryOptions ?? armBudget.sdkRetry,
  });
  if (options.throttle !== undefined) {
    client.pipeline.addPolicy(armThrottlePolicy(options.throttle, options.clock ?? systemClock), { afterPhase: "Retry" });
  }
  // After the throttle: a remembered Retry-After refuses before any token is taken.
  if (options.pacer !== undefined) client.pipeline.addPolicy(armPacingPolicy(options.pacer), { afterPhase: "Retry" });
  // After both: a request they refuse is never sent, so never counted.
  if (options.meter !== undefined) client.pipeline.addPolicy(options.meter.policy, { afterPhase: "Retry" });
  if (options.telemetry !== undefined) client.pipeline.addPolicy(armRequestMetricsPolicy(options.telemetry), { afterPhase: "Retry" });
  return client;
}
