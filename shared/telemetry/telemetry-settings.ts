// Where the worker's telemetry goes, read from the app settings Microsoft documents for Functions and
// Application Insights (docs/decisions/telemetry.md): APPLICATIONINSIGHTS_CONNECTION_STRING names the
// resource, APPLICATIONINSIGHTS_AUTHENTICATION_STRING ("Authorization=AAD" and, for a user-assigned
// identity, "ClientId=<guid>") says to send with Microsoft Entra ID. Locally, ACI_CONNECTOR_TELEMETRY=
// console prints the metrics instead. A bad setting is refused with every problem named, never thrown:
// the connector runs on without telemetry rather than not at all.
export const telemetrySettingNames = {
  connectionString: "APPLICATIONINSIGHTS_CONNECTION_STRING",
  authentication: "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
  local: "ACI_CONNECTOR_TELEMETRY",
  webhookPathToken: "WEBHOOK_PATH_TOKEN",
} as const;

export interface TelemetrySettings {
  /** Azure Monitor (Application Insights), sent as the managed identity: never with the connection string's key. */
  readonly azureMonitor?: { readonly connectionString: string; readonly managedIdentityClientId?: string };
  /** The metrics as lines on the local run's output. */
  readonly console: boolean;
  /** The configured webhook token, scrubbed wherever it appears. */
  readonly webhookPathToken?: string;
}

export type TelemetrySettingsReading = { ok: true; value: TelemetrySettings } | { ok: false; problems: string[] };

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readTelemetrySettings(env: Readonly<Record<string, string | undefined>> = process.env): TelemetrySettingsReading {
  const n = telemetrySettingNames;
  const value = (name: string) => (env[name]?.trim() === "" ? undefined : env[name]?.trim());
  const problems: string[] = [];
  const connectionString = value(n.connectionString);
  const authentication = value(n.authentication);
  let azureMonitor: TelemetrySettings["azureMonitor"];
  if (connectionString !== undefined) {
    const auth = authenticationOf(authentication);
    // Without it the exporter would send with the connection string's instrumentation key, which the
    // Bicep turns off (DisableLocalAuth): telemetry would be refused, or sent with a key where it is not.
    if (auth === undefined) problems.push(`${n.authentication} must be "Authorization=AAD" (with ";ClientId=<guid>" for a user-assigned identity) when ${n.connectionString} is set: telemetry is sent as the managed identity only`);
    else if ("problem" in auth) problems.push(`${n.authentication}: ${auth.problem}`);
    else azureMonitor = { connectionString, ...(auth.clientId !== undefined && { managedIdentityClientId: auth.clientId }) };
  } else if (authentication !== undefined) {
    problems.push(`${n.authentication} is set but ${n.connectionString} is not: there is no Application Insights resource to send to`);
  }
  const local = value(n.local);
  if (local !== undefined && local !== "console" && local !== "off") problems.push(`${n.local} must be "console" or "off", got "${local}"`);
  if (problems.length > 0) return { ok: false, problems };
  const token = value(n.webhookPathToken);
  return { ok: true, value: { ...(azureMonitor !== undefined && { azureMonitor }), console: local === "console", ...(token !== undefined && { webhookPathToken: token }) } };
}

/** "Authorization=AAD[;ClientId=<guid>]", in any order and case of its keys, as the Functions host reads it. */
function authenticationOf(text: string | undefined): { clientId?: string } | { problem: string } | undefined {
  if (text === undefined) return undefined;
  const pairs = new Map(text.split(";").filter((p) => p.trim() !== "").map((p) => {
    const [key = "", ...rest] = p.split("=");
    return [key.trim().toLowerCase(), rest.join("=").trim()] as const;
  }));
  const problems: string[] = [];
  if (pairs.get("authorization")?.toLowerCase() !== "aad") problems.push(`must contain "Authorization=AAD"`);
  const clientId = pairs.get("clientid");
  if (clientId !== undefined && !guid.test(clientId)) problems.push(`ClientId must be the identity's client id, a GUID`);
  const unknown = [...pairs.keys()].filter((k) => k !== "authorization" && k !== "clientid");
  if (unknown.length > 0) problems.push(`unknown keys ${unknown.join(", ")} (only Authorization and ClientId)`);
  if (problems.length > 0) return { problem: problems.join("; ") };
  return clientId === undefined ? {} : { clientId };
}
