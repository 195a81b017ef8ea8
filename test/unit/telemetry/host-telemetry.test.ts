// What the Functions host itself records of a webhook request, set in host.json (nothing of it can run
// here: the host is .NET, in Azure). Two things keep the token out of what the host sends to Application
// Insights, from the host's own sources (docs/decisions/telemetry.md):
// - In the default telemetry mode, with enableHttpTriggerExtendedInfoCollection off, the host tracks an
//   HTTP invocation as a request named by the function alone, without its URL (azure-webjobs-sdk,
//   src/Microsoft.Azure.WebJobs.Logging.ApplicationInsights/ApplicationInsightsLogger.cs,
//   StartTelemetryIfFunctionInvocation: StartOperation<RequestTelemetry>(functionName)).
// - "telemetryMode": "OpenTelemetry" would export the host's ASP.NET Core request spans with url.path,
//   which host.json cannot scrub (azure-functions-host, src/WebJobs.Script/Diagnostics/OpenTelemetry/
//   OpenTelemetryConfigurationExtensions.cs: AddAspNetCoreInstrumentation; ActivitySanitizingProcessor
//   cleans url.query and url.full of known secret patterns only).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const host = JSON.parse(readFileSync(join(root, "host.json"), "utf8")) as {
  telemetryMode?: string;
  logging?: { applicationInsights?: { httpAutoCollectionOptions?: { enableHttpTriggerExtendedInfoCollection?: boolean } } };
};

describe("host.json, for what the Functions host records of the webhook's URL", () => {
  it("tracks HTTP invocations without their URL", () => {
    assert.equal(host.logging?.applicationInsights?.httpAutoCollectionOptions?.enableHttpTriggerExtendedInfoCollection, false);
  });

  it("keeps the host's Application Insights mode: its OpenTelemetry mode would export the request's path", () => {
    assert.notEqual(host.telemetryMode?.toLowerCase(), "opentelemetry");
  });
});
