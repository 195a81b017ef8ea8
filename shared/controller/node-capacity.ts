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
 * Without a quota read this time (ARM throttled or failed), the node keeps what it last offered
 * (`previous`) rather than falling back to the defaults: a throttled probe must not shrink the node.
 */
export function nodeCapacity(quota: AciQuota | undefined, overrides: CapacityOverrides, previous?: Partial<NodeCapacity>): NodeCapacity {
  const read = quota?.containerGroups !== undefined || quota?.standardCores !== undefined;
  const groups = quota?.containerGroups ?? defaultAciQuota.containerGroups;
  const cores = quota?.standardCores ?? defaultAciQuota.standardCores;
  const fromQuota = { cpu: String(cores), memory: `${groups * maxMemoryPerGroupGi}Gi`, pods: String(groups) };
  const kept = read ? {} : (previous ?? {});
  return {
    cpu: overrides.cpu ?? kept.cpu ?? fromQuota.cpu,
    memory: overrides.memory ?? kept.memory ?? fromQuota.memory,
    pods: overrides.pods ?? kept.pods ?? fromQuota.pods,
  };
}
