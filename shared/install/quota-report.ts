// What ACI lets the connector run in its region, and how to get more: said once by install, so that a
// burst that meets the quota (pods waiting with ContainerGroupCreationThrottled, or refused by ACI's
// group or core limits) was announced before it happened.
import { aciDefaultCreationRates, aciQuotaPage, type AciHealth } from "../aci/location-health.js";

export function quotaReport(health: AciHealth, location: string): string {
  const creations = `creations: ${aciDefaultCreationRates} by default (ARM does not list them); a quota request raises any of these: ${aciQuotaPage}`;
  if (!health.healthy) return `ACI's quota in ${location} could not be read (${health.message}); ${creations}`;
  const { containerGroups, standardCores } = health.quota;
  const listed = [containerGroups === undefined ? [] : [`${containerGroups} container groups`], standardCores === undefined ? [] : [`${standardCores} standard cores`]].flat();
  return `ACI quota in ${location}: ${listed.length > 0 ? listed.join(" and ") : "not listed by ARM"}; ${creations}`;
}
