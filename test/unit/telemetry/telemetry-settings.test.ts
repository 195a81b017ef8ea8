// Where the worker's telemetry goes, from the app settings: Application Insights only as the managed
// identity (never with the connection string's key), metric lines locally, and every bad setting named
// at once instead of a crash (the connector then runs without telemetry, saying why).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readTelemetrySettings } from "../../../shared/telemetry/telemetry-settings.js";

const connectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";
const clientId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

describe("the telemetry settings", () => {
  it("nothing set: no telemetry", () => {
    assert.deepEqual(readTelemetrySettings({}), { ok: true, value: { console: false } });
  });

  it("Application Insights as the user-assigned identity the Bicep configures, the webhook token kept for the scrub", () => {
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${clientId};Authorization=AAD`, WEBHOOK_PATH_TOKEN: "t0ken" };
    assert.deepEqual(readTelemetrySettings(env), { ok: true, value: { azureMonitor: { connectionString, managedIdentityClientId: clientId }, console: false, webhookPathToken: "t0ken" } });
  });

  it("Application Insights as a system-assigned identity, keys in any case and order", () => {
    const reading = readTelemetrySettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "authorization=aad" });
    assert.deepEqual(reading, { ok: true, value: { azureMonitor: { connectionString }, console: false } });
  });

  it("metric lines on the local run", () => {
    assert.deepEqual(readTelemetrySettings({ ACI_CONNECTOR_TELEMETRY: "console" }), { ok: true, value: { console: true } });
  });

  it("refuses a connection string without Entra ID authentication: it would send with the key", () => {
    const reading = readTelemetrySettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString });
    assert.equal(reading.ok, false);
    assert.match(!reading.ok ? reading.problems.join("\n") : "", /APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be "Authorization=AAD"/);
  });

  it("names every bad setting at once", () => {
    const reading = readTelemetrySettings({
      APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "ClientId=not-a-guid;Authorization=Key;Secret=x",
      ACI_CONNECTOR_TELEMETRY: "stdout",
    });
    assert.deepEqual(!reading.ok && reading.problems, [
      `APPLICATIONINSIGHTS_AUTHENTICATION_STRING: must contain "Authorization=AAD"; ClientId must be the identity's client id, a GUID; unknown keys secret (only Authorization and ClientId)`,
      `ACI_CONNECTOR_TELEMETRY must be "console" or "off", got "stdout"`,
    ]);
  });

  it("refuses an authentication string without a resource to send to", () => {
    assert.deepEqual(readTelemetrySettings({ APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD" }), {
      ok: false,
      problems: ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING is set but APPLICATIONINSIGHTS_CONNECTION_STRING is not: there is no Application Insights resource to send to"],
    });
  });
});
