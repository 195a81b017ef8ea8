// The Function App's region. Flex Consumption, the plan infra/modules/function-app.bicep deploys, is not
// offered in every region (Microsoft's "Flex Consumption plan" page; `az functionapp
// list-flexconsumption-locations` lists where it is), while the container groups' region defaults to
// the cluster's. A region without it would fail the deployment after minutes of work, so it is checked
// first, and --function-location puts the app elsewhere (the functions reach ARM and the API server
// from any region).
import type { AzRunner } from "./az.js";

/** A region name as ARM compares them: "West Europe" and "westeurope" are one region. */
const normalized = (region: string) => region.replace(/\s/g, "").toLowerCase();

export async function checkedFunctionAppLocation(wanted: string, subscriptionId: string, az: AzRunner, givenAs: string): Promise<string> {
  const offered = (await az(["functionapp", "list-flexconsumption-locations", "--subscription", subscriptionId, "--query", "[].name", "-o", "tsv"]))
    .split("\n")
    .map(normalized)
    .filter((r) => r !== "");
  const region = normalized(wanted);
  if (offered.includes(region)) return region;
  throw new Error(
    `Flex Consumption Function Apps are not offered in ${region} (${givenAs}); give --function-location one of: ${offered.sort().join(", ")}. ` +
      "The container groups stay in their own region.",
  );
}
