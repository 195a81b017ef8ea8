// Is ARM answering the connector, and what does ACI let it run? One cheap read (location usages)
// answers both: it needs the connector's identity to be authorized and returns the region's quotas.
import type { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { toAciError } from "./errors.js";

/**
 * ACI's creation-rate quotas, which ARM's usages do not list: Microsoft's "Resource availability & quota
 * limits for ACI" page gives these defaults, raised by a quota request (the page says how).
 */
export const aciDefaultCreationRates = "100 creations per 5 minutes and 300 per hour";
export const aciQuotaPage = "https://learn.microsoft.com/azure/container-instances/container-instances-resource-and-quota-limits";

export interface AciQuota {
  /** Container groups the subscription may run in the region (each pod is one). */
  readonly containerGroups?: number;
  /** Standard cores the subscription may use in the region. */
  readonly standardCores?: number;
}

export type AciHealth =
  | { readonly healthy: true; readonly quota: AciQuota; readonly note?: string }
  | { readonly healthy: false; readonly reason: string; readonly message: string };

export interface AciHealthProbe {
  probe(options?: { abortSignal?: AbortSignal }): Promise<AciHealth>;
}

export function createAciHealthProbe(client: ContainerInstanceManagementClient, location: string): AciHealthProbe {
  return {
    async probe(options = {}) {
      try {
        const quota: { containerGroups?: number; standardCores?: number } = {};
        for await (const usage of client.location.listUsage(location, { abortSignal: options.abortSignal })) {
          const name = usage.name?.value?.toLowerCase();
          if (usage.limit === undefined) continue;
          if (name === "containergroups") quota.containerGroups = usage.limit;
          if (name === "standardcores") quota.standardCores = usage.limit;
        }
        return { healthy: true, quota };
      } catch (error) {
        const aci = toAciError(error, `reading ACI usages in ${location}`);
        // Throttling is ARM answering: the connector is reachable and authorized, only busy.
        if (aci.kind === "throttled") return { healthy: true, quota: {}, note: aci.message };
        const reason =
          aci.kind === "unauthorized"
            ? "AzureNotAuthorized"
            : aci.details.code === "MissingSubscriptionRegistration"
              ? "AciProviderNotRegistered" // aci-connector install registers it
              : "AzureUnreachable";
        return { healthy: false, reason, message: aci.message };
      }
    },
  };
}
