// The Function App's region is checked against where Flex Consumption is offered before anything is
// deployed (az functionapp list-flexconsumption-locations, here a stand-in answering as it does).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkedFunctionAppLocation } from "../../../cli/function-location.js";

const subscriptionId = "11111111-2222-3333-4444-555555555555";
const offered = "eastus\nWest Europe\nnortheurope\n";

describe("the Function App's region", () => {
  it("is the given region when Flex Consumption is offered there, whatever its spelling, asked of the named subscription", async () => {
    const calls: string[][] = [];
    const az = (args: readonly string[]) => (calls.push([...args]), Promise.resolve(offered));
    assert.equal(await checkedFunctionAppLocation("westeurope", subscriptionId, az, "--location"), "westeurope");
    assert.deepEqual(calls, [["functionapp", "list-flexconsumption-locations", "--subscription", subscriptionId, "--query", "[].name", "-o", "tsv"]]);
  });

  it("is refused before anything is deployed where Flex Consumption is not offered, naming where it is", async () => {
    const az = () => Promise.resolve(offered);
    await assert.rejects(
      checkedFunctionAppLocation("southindia", subscriptionId, az, "the container groups' region"),
      { message: "Flex Consumption Function Apps are not offered in southindia (the container groups' region); give --function-location one of: eastus, northeurope, westeurope. The container groups stay in their own region." },
    );
  });
});
