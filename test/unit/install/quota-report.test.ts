// The quota line install prints: the region's limits ARM lists, the creation rates it does not, and
// where to raise them (Microsoft's "Resource availability & quota limits for ACI" page).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quotaReport } from "../../../shared/install/quota-report.js";

const creations =
  "creations: 100 creations per 5 minutes and 300 per hour by default (ARM does not list them); a quota request raises any of these: https://learn.microsoft.com/azure/container-instances/container-instances-resource-and-quota-limits";

describe("install's quota line", () => {
  it("names the container groups and standard cores ARM lists for the region", () => {
    assert.equal(quotaReport({ healthy: true, quota: { containerGroups: 100, standardCores: 10 } }, "westeurope"), `ACI quota in westeurope: 100 container groups and 10 standard cores; ${creations}`);
  });

  it("says what ARM did not list", () => {
    assert.equal(quotaReport({ healthy: true, quota: { standardCores: 10 } }, "westeurope"), `ACI quota in westeurope: 10 standard cores; ${creations}`);
    assert.equal(quotaReport({ healthy: true, quota: {}, note: "throttled" }, "westeurope"), `ACI quota in westeurope: not listed by ARM; ${creations}`);
  });

  it("says why the quota could not be read, and still names the creation rates", () => {
    const health = { healthy: false, reason: "AzureNotAuthorized", message: "reading ACI usages in westeurope: the client has no authorization" } as const;
    assert.equal(quotaReport(health, "westeurope"), `ACI's quota in westeurope could not be read (reading ACI usages in westeurope: the client has no authorization); ${creations}`);
  });
});
