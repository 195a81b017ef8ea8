// The real ARM client for Microsoft.ContainerInstance, pointed at Azure or at another ARM endpoint
// (the local emulator), authenticated by managed identity unless told otherwise.
import { readFileSync } from "node:fs";
import { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import type { TokenCredential } from "@azure/core-auth";
import type { Settings } from "../config/settings.js";

export interface AciClientOptions {
  readonly settings: Pick<Settings, "subscriptionId" | "armEndpoint" | "armCaFile">;
  readonly credential: TokenCredential;
  /** Extra pipeline options, e.g. a shorter retry policy in tests. */
  readonly retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

export function createAciClient(options: AciClientOptions): ContainerInstanceManagementClient {
  const { settings, credential } = options;
  return new ContainerInstanceManagementClient(credential, settings.subscriptionId, {
    ...(settings.armEndpoint !== undefined && {
      // `$host` alone does not move the client; `endpoint` does, and then the token scope must be named.
      endpoint: settings.armEndpoint,
      credentialScopes: ["https://management.azure.com/.default"],
    }),
    ...(settings.armCaFile !== undefined && { tlsOptions: { ca: readFileSync(settings.armCaFile, "utf8") } }),
    ...(options.retryOptions !== undefined && { retryOptions: options.retryOptions }),
  });
}
