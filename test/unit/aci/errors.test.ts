// ARM's answers sorted into the few kinds the controllers act on. Status 409 carries two meanings in ACI:
// a conflict with the resource's state (ARM's generic Conflict, e.g. another operation on the group in
// progress), and ServiceUnavailable, the region short of capacity, which ACI answers with 409 and which
// "is typically intermittent" and worth retrying (learn.microsoft.com/troubleshoot/azure/
// azure-container-instances/configuration-setup/service-unavailable-requested-resource-is-not-available).
// 429 is throttling whatever its code (learn.microsoft.com/azure/azure-resource-manager/management/
// request-limits-and-throttling); 401 and 403 are the identity's; 5xx and no answer at all are ARM's side.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RestError } from "@azure/core-rest-pipeline";
import { aciErrorKindOf, toAciError } from "../../../shared/aci/errors.js";

describe("ARM errors by kind", () => {
  const cases: [number | undefined, string | undefined, string][] = [
    [409, "ServiceUnavailable", "unavailable"],
    [409, "Conflict", "conflict"],
    [409, "AnotherOperationInProgress", "conflict"],
    [429, "SubscriptionRequestsThrottled", "throttled"],
    [429, undefined, "throttled"],
    [404, "ResourceNotFound", "notFound"],
    [404, "ResourceGroupNotFound", "notFound"],
    [401, "InvalidAuthenticationToken", "unauthorized"],
    [403, "AuthorizationFailed", "unauthorized"],
    [400, "InvalidRequestContent", "invalid"],
    [500, "InternalServerError", "unavailable"],
    [502, undefined, "unavailable"],
    [503, "ServiceUnavailable", "unavailable"],
    [504, "GatewayTimeout", "unavailable"],
    [undefined, undefined, "unavailable"],
  ];
  for (const [status, code, kind] of cases) {
    it(`${[status ?? "no answer", code].filter((part) => part !== undefined).join(" ")} is ${kind}`, () => {
      assert.equal(aciErrorKindOf(status, code), kind);
    });
  }

  it("keeps status and code from the SDK's error, so a 409 ServiceUnavailable is not taken for a conflict", () => {
    const capacity = toAciError(new RestError("The requested resource is not available in the location 'westeurope' at this moment.", { statusCode: 409, code: "ServiceUnavailable" }), "creating container group x");
    const conflict = toAciError(new RestError("Another operation is in progress.", { statusCode: 409, code: "Conflict" }), "creating container group x");
    assert.deepEqual([capacity.kind, capacity.details.statusCode, capacity.details.code], ["unavailable", 409, "ServiceUnavailable"]);
    assert.deepEqual([conflict.kind, conflict.details.statusCode, conflict.details.code], ["conflict", 409, "Conflict"]);
    assert.match(capacity.message, /^creating container group x failed: 409 ServiceUnavailable: The requested resource is not available/);
  });
});
