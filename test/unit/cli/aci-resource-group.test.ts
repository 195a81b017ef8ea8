// The ACI resource group: created (tagged with the connector) only when missing, so that a user's own
// group keeps its tags and region, and infra/main.bicep can reference it without declaring it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ensureAciResourceGroup } from "../../../cli/aci-resource-group.js";

const target = { subscriptionId: "11111111-2222-3333-4444-555555555555", name: "my-own-group", location: "westeurope", connectorName: "vk" };

function recordingAz(exists: "true" | "false") {
  const calls: string[][] = [];
  const az = (args: readonly string[]) => {
    calls.push([...args]);
    return Promise.resolve(args[1] === "exists" ? exists : "");
  };
  return { calls, az };
}

describe("the ACI resource group", () => {
  it("is left as it is when it exists: no create, so no tag or region of the user's group changes", async () => {
    const { calls, az } = recordingAz("true");
    assert.equal(await ensureAciResourceGroup(target, az), "existing");
    assert.deepEqual(calls, [["group", "exists", "--name", "my-own-group", "--subscription", target.subscriptionId]]);
  });

  it("is created in the container groups' region, tagged with the connector, when missing", async () => {
    const { calls, az } = recordingAz("false");
    assert.equal(await ensureAciResourceGroup(target, az), "created");
    assert.deepEqual(calls[1], ["group", "create", "--name", "my-own-group", "--location", "westeurope", "--subscription", target.subscriptionId, "--tags", "aci-connector=vk", "-o", "none"]);
  });
});
