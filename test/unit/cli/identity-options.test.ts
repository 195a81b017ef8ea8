// install's identity arguments (--pull-identity, --pull-registries, --acr-id, --workload-identity): read,
// every bad one named, and handed to main.bicep as its parameters. docs/decisions/identities.md
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deploymentParameters, type AzureDeploymentInput } from "../../../cli/azure-deployment.js";
import { parseConnectorOptions } from "../../../cli/connector-options.js";

const seedInstall = ["--resource-group", "myResourceGroup", "--name", "myAKSCluster", "--connector-name", "virtual-kubelet"];
const ids = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
const acr = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/acr/providers/Microsoft.ContainerRegistry/registries/contoso";

function parsed(args: string[]) {
  const result = parseConnectorOptions("install", [...seedInstall, ...args], {});
  return result.ok ? { options: result.options } : { error: result.error ?? "" };
}

describe("install's identity arguments", () => {
  it("reads the pull identity, its registries and registries to grant AcrPull on, and the allow-list, each service account once", () => {
    const { options } = parsed(["--pull-identity", `${ids}/acr-pull`, "--pull-registries", "contoso.azurecr.io", "--acr-id", acr, "--workload-identity", `shop/api=${ids}/shop-api`, "--workload-identity", `shop/worker=${ids}/shop-worker`]);
    assert.deepEqual(options?.identities, {
      pullIdentity: `${ids}/acr-pull`,
      pullRegistries: "contoso.azurecr.io",
      acrIds: [acr],
      workloadIdentities: [
        { serviceAccount: "shop/api", resourceId: `${ids}/shop-api` },
        { serviceAccount: "shop/worker", resourceId: `${ids}/shop-worker` },
      ],
    });
  });

  it("has none without them", () => assert.equal(parsed([]).options?.identities, undefined));

  it("refuses every bad one, naming it", () => {
    const { error } = parsed([
      "--pull-identity", "acr-pull",
      "--pull-registries", "https://contoso.azurecr.io/",
      "--acr-id", `${ids}/not-a-registry`,
      "--workload-identity", "Shop/API=x",
      "--workload-identity", "shop/api=/subscriptions/x",
      "--workload-identity", `shop/worker=${ids}/a`,
      "--workload-identity", `shop/worker=${ids}/b`,
    ]);
    assert.deepEqual(error?.split("\n"), [
      "--pull-identity must be a user-assigned identity's resource id (/subscriptions/.../resourceGroups/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)",
      '--pull-registries must list registry hosts separated by commas, each exact (myacr.azurecr.io) or a wildcard for its sub-domains (*.azurecr.io); not "https://contoso.azurecr.io/"',
      `--acr-id ${ids}/not-a-registry: must be a container registry's resource id (/subscriptions/.../providers/Microsoft.ContainerRegistry/registries/<name>)`,
      "--workload-identity Shop/API=x: must be NAMESPACE/SERVICEACCOUNT=IDENTITY_RESOURCE_ID, the names lowercase as Kubernetes has them",
      "--workload-identity shop/api's identity must be a user-assigned identity's resource id (/subscriptions/.../resourceGroups/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)",
      "--workload-identity shop/worker: given twice; a service account has one identity",
    ]);
  });

  it("refuses registries to pull from without the identity that pulls, and identities for the local run", () => {
    assert.equal(parsed(["--acr-id", acr]).error, "--pull-registries and --acr-id need --pull-identity: the identity that pulls");
    const local = parseConnectorOptions("install", ["--local", "--pull-identity", `${ids}/acr-pull`], {});
    assert.ok(!local.ok);
    assert.equal(local.error, "--pull-identity, --acr-id and --workload-identity are for Azure: the local run's emulator has no managed identities to assign");
  });

  it("passes them to main.bicep as aciPullIdentityId, aciPullRegistries, acrIds and aciWorkloadIdentities; nothing when none", () => {
    const base = { cluster: { subscriptionId: "11111111-2222-3333-4444-555555555555", connectorName: "vk", location: "eastus", aciResourceGroup: "rg-aci", apiServer: "https://x", caBase64: "Q0E=" }, projectRoot: "/", clusterId: "c", osType: "Linux", webhookPathToken: "t", template: "main.bicep", functionAppLocation: "eastus" } satisfies AzureDeploymentInput;
    const workloadIdentities = { "shop/api": { clientId: "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b", resourceId: `${ids}/shop-api` } };
    const given = deploymentParameters({ ...base, identities: { pullIdentity: `${ids}/acr-pull`, acrIds: [acr], workloadIdentities } });
    assert.deepEqual([given.aciPullIdentityId, given.aciPullRegistries, given.acrIds, given.aciWorkloadIdentities], [{ value: `${ids}/acr-pull` }, undefined, { value: [acr] }, { value: workloadIdentities }]);
    const none = deploymentParameters(base);
    for (const p of ["aciPullIdentityId", "aciPullRegistries", "acrIds", "aciWorkloadIdentities"]) assert.equal(none[p], undefined, p);
  });
});
