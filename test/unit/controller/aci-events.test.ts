import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { containerGroupOf } from "../../../shared/controller/aci-events.js";

const uri = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/aci-rg/providers/Microsoft.ContainerInstance/containerGroups/shop-web-0123456789abcdef";

describe("ARM events about container groups", () => {
  const cases = [
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: uri, expected: { name: "shop-web-0123456789abcdef" } },
    { eventType: "Microsoft.Resources.ResourceWriteFailure", resourceUri: uri, expected: { name: "shop-web-0123456789abcdef" } },
    // Left to reconcile, which checks every pod's group each tick: finding a deleted group's pod would
    // cost a list of every pod per event.
    { eventType: "Microsoft.Resources.ResourceDeleteSuccess", resourceUri: uri, expected: undefined },
    { eventType: "Microsoft.Resources.ResourceActionSuccess", resourceUri: `${uri}/restart`, expected: undefined },
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: "/subscriptions/s/resourceGroups/aci-rg/providers/Microsoft.Storage/storageAccounts/x", expected: undefined },
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: `${uri}/../../other`, expected: undefined },
  ];
  for (const c of cases) {
    it(`${c.expected ? "refreshes" : "ignores"} ${c.eventType} on ${c.resourceUri.split("/providers/")[1]}`, () => {
      assert.deepEqual(containerGroupOf(c), c.expected);
    });
  }
});
