// What the virtual node offers the scheduler: ACI's regional quotas, unless the settings override them.
import type { AciQuota } from "../aci/location-health.js";
import type { CapacityOverrides } from "../config/settings.js";

/** ACI's documented defaults per region and subscription, used until a quota has been read. */
export const defaultAciQuota = { containerGroups: 100, standardCores: 100 } as const;
/** The most memory one standard container group may have; ACI has no memory quota of its own. */
const maxMemoryPerGroupGi = 16;

export interface NodeCapacity {
  readonly cpu: string;
  readonly memory: string;
  readonly pods: string;
}

/**
 * cpu = standard cores, pods = container groups (one per pod), memory = pods × the per-group maximum:
 * an upper bound, so the scheduler never refuses a placement that ACI would accept on memory alone.
 */
export function nodeCapacity(quota: AciQuota, overrides: CapacityOverrides): NodeCapacity {
  const groups = quota.containerGroups ?? defaultAciQuota.containerGroups;
  const cores = quota.standardCores ?? defaultAciQuota.standardCores;
  return {
    cpu: overrides.cpu ?? String(cores),
    memory: overrides.memory ?? `${groups * maxMemoryPerGroupGi}Gi`,
    pods: overrides.pods ?? String(groups),
  };
}
