// Is ARM answering the connector, and what does ACI let it run? One cheap read (location usages)
// answers both: it needs the connector's identity to be authorized and returns the region's quotas.
//
// The read is urgent in this instance's ARM pacing (arm-pacing.ts): in a burst the doorbells' reads
// can fill the line for ARM's refill for seconds, and a probe waiting behind them would reach its
// deadline without having been sent, which the heartbeat would take for ARM unreachable (and taint the
// nodes NoSchedule). It comes once per node status interval at most.
import { armErrorOf, parseArmBody, sendArmRequest, subscriptionUrl, type ArmPipeline } from "./arm-http.js";
import { aciApiVersion } from "./container-groups.js";
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

/** ARM's usages list (Location - List Usage), as much of it as the probe reads. */
interface UsageList {
  readonly value?: readonly { readonly name?: { readonly value?: string }; readonly limit?: number }[];
}

export function createAciHealthProbe(client: ArmPipeline, target: { armEndpoint?: string; subscriptionId: string; location: string }): AciHealthProbe {
  const { location } = target;
  const url = `${subscriptionUrl(target)}/providers/Microsoft.ContainerInstance/locations/${encodeURIComponent(location)}/usages?api-version=${aciApiVersion}`;
  const operation = `reading ACI usages in ${location}`;
  return {
    async probe(options = {}) {
      try {
        const response = await sendArmRequest(client, "GET", url, { ...options, urgent: true });
        if (response.status !== 200) throw armErrorOf(response, operation);
        const quota: { containerGroups?: number; standardCores?: number } = {};
        for (const usage of parseArmBody<UsageList>(response).value ?? []) {
          const name = usage.name?.value?.toLowerCase();
          if (usage.limit === undefined) continue;
          if (name === "containergroups") quota.containerGroups = usage.limit;
          if (name === "standardcores") quota.standardCores = usage.limit;
        }
        return { healthy: true, quota };
      } catch (error) {
        const aci = toAciError(error, operation);
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
