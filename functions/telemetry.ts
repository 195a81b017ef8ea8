// The worker's telemetry, set up once when the app settings ask for it: OpenTelemetry to Application
// Insights as the managed identity, or the metrics as lines on the local run (ACI_CONNECTOR_TELEMETRY=
// console). Loaded with the function files (package.json "main"); the handlers find it at each
// invocation. docs/decisions/telemetry.md says what it follows and why the host is left as it is.
import { app } from "@azure/functions";
import { useTelemetry } from "../shared/runtime/connector.js";
import { enableTraceContext, exportersFor, inHostTrace, startTelemetry } from "../shared/telemetry/start.js";
import { readTelemetrySettings } from "../shared/telemetry/telemetry-settings.js";
import { triggers } from "./triggers.js";

const settings = readTelemetrySettings();
if (!settings.ok) {
  // Refused, not thrown: the connector runs on without telemetry, saying why.
  console.warn(`telemetry is off: ${settings.problems.join("; ")}`);
} else if (settings.value.azureMonitor !== undefined || settings.value.console) {
  enableTraceContext();
  const running = startTelemetry(exportersFor(settings.value, (line) => console.log(line)), {
    webhookPathPrefix: `/${triggers.podWebhook.route.slice(0, triggers.podWebhook.route.indexOf("{token}"))}`,
    ...(settings.value.webhookPathToken !== undefined && { webhookPathToken: settings.value.webhookPathToken }),
  });
  useTelemetry(running.telemetry);
  app.hook.preInvocation((invocation) => {
    invocation.functionHandler = inHostTrace(invocation.invocationContext.traceContext, invocation.functionHandler);
  });
}
