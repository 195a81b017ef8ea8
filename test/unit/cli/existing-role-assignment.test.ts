// install looks for the service principal's Contributor assignment on the ACI resource group before the
// template assigns one (ARM refuses a duplicate under another name: RoleAssignmentExists). The stand-in
// az answers `role assignment list --query [].scope -o tsv` as az does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { holdsContributorOn } from "../../../cli/existing-role-assignment.js";

const subscriptionId = "11111111-2222-3333-4444-555555555555";
const sp = "bbbbbbbb-0000-0000-0000-000000000002";

describe("an existing Contributor assignment of the service principal", () => {
  it("is found at the ACI resource group's exact scope (ARM compares scopes case-insensitively), asked of the named subscription", async () => {
    const calls: string[][] = [];
    const az = (args: readonly string[]) => (calls.push([...args]), Promise.resolve(`/subscriptions/${subscriptionId}/resourcegroups/MyResourceGroup-ACI\n`));
    assert.equal(await holdsContributorOn(sp, "myresourcegroup-aci", subscriptionId, az), true);
    assert.equal(calls[0]![calls[0]!.indexOf("--subscription") + 1], subscriptionId);
    assert.equal(calls[0]![calls[0]!.indexOf("--role") + 1], "b24988ac-6180-42a0-ab88-20f7382dd24c");
  });

  it("is not one inherited from the subscription or held on another group", async () => {
    const az = () => Promise.resolve(`/subscriptions/${subscriptionId}\n/subscriptions/${subscriptionId}/resourceGroups/other\n`);
    assert.equal(await holdsContributorOn(sp, "myresourcegroup-aci", subscriptionId, az), false);
  });
});
