// The connector's Azure identity: managed identity in Azure (DefaultAzureCredential, which also reads
// AZURE_CLIENT_ID for a user-assigned identity), or a fixed token for the local ACI emulator only.
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";
import { settingNames, type Settings } from "../config/settings.js";

export const armCredentialSetting = "ARM_CREDENTIAL";

/** Accepted by the local emulator, which checks that a bearer token is present, not what it says. */
export const emulatorCredential: TokenCredential = {
  getToken: () => Promise.resolve<AccessToken>({ token: "local-emulator-token", expiresOnTimestamp: Date.now() + 3600_000 }),
};

export function createCredential(env: Readonly<Record<string, string | undefined>> = process.env): TokenCredential {
  const kind = env[armCredentialSetting] ?? "managed-identity";
  if (kind === "emulator") return emulatorCredential;
  if (kind === "managed-identity") return new DefaultAzureCredential();
  throw new Error(`${armCredentialSetting}="${kind}" must be managed-identity (the default) or emulator`);
}

/**
 * The credential for ARM: a service principal when one is configured (install's --service-principal),
 * otherwise the connector's own credential. Kubernetes and Event Grid always use the managed identity.
 */
export function createArmCredential(
  settings: Pick<Settings, "armServicePrincipal">,
  connectorCredential: TokenCredential,
  env: Readonly<Record<string, string | undefined>> = process.env,
): TokenCredential {
  const principal = settings.armServicePrincipal;
  if (principal === undefined) return connectorCredential;
  return new ClientSecretCredential(principal.tenantId, principal.clientId, env[settingNames.armClientSecret] ?? "");
}
