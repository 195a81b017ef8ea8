// The ACI resource group exists before the template runs, because infra/main.bicep only references it:
// it may be the user's own, and a group the template declared would be deleted with everything in it by
// `azd down` (azd deletes the resource groups a deployment creates). Created here when missing, tagged
// with the connector's name; an existing one is used as it is, its tags and region left alone.
import type { AzRunner } from "./az.js";

export interface AciResourceGroupTarget {
  readonly subscriptionId: string;
  readonly name: string;
  /** Where a new group's metadata lives: the container groups' region. */
  readonly location: string;
  readonly connectorName: string;
}

/** Whether the group had to be created. */
export async function ensureAciResourceGroup(target: AciResourceGroupTarget, az: AzRunner): Promise<"created" | "existing"> {
  const subscription = ["--subscription", target.subscriptionId];
  if ((await az(["group", "exists", "--name", target.name, ...subscription])) === "true") return "existing";
  await az(["group", "create", "--name", target.name, "--location", target.location, ...subscription, "--tags", `aci-connector=${target.connectorName}`, "-o", "none"]);
  return "created";
}
