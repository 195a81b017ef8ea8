// ARM refuses a role assignment that repeats an existing one (same principal, role and scope) under
// another name: RoleAssignmentExists, and the whole deployment fails. The seed's own set-up gives the
// service principal Contributor on the resource group before install runs, under a name of az's
// choosing, while the template names its assignment by guid(); so install looks first and asks the
// template to skip what is already there.
import type { AzRunner } from "./az.js";

/** Contributor: b24988ac-6180-42a0-ab88-20f7382dd24c */
const contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";

export async function holdsContributorOn(principalObjectId: string, resourceGroup: string, subscriptionId: string, az: AzRunner): Promise<boolean> {
  const scope = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  // Listed across the subscription and filtered to the exact scope: a group that does not exist yet has
  // no assignment, and one inherited from the subscription is not a duplicate.
  const scopes = await az(["role", "assignment", "list", "--assignee", principalObjectId, "--role", contributor, "--all", "--subscription", subscriptionId, "--query", "[].scope", "-o", "tsv"]);
  return scopes.split("\n").some((s) => s.trim().toLowerCase() === scope.toLowerCase());
}
