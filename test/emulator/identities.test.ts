// A container group's managed identities and private registries, through the real
// @azure/arm-containerinstance client (9.1.0: ContainerGroup.identity, ImageRegistryCredential.identity).
// - The identity's shape: the REST spec's ContainerGroupIdentity at 2023-05-01 (principalId and tenantId
//   read-only, userAssignedIdentities mapping each resource id to {principalId, clientId}).
// - A registry credential naming an identity the group does not carry: ACI's answer as the service gave it
//   (MicrosoftDocs/azure-docs#117644: InvalidImageRegistryIdentity, "The identity in the
//   'imageRegistryCredentials' of container group 'XYZ' not found in container group identity list"); its
//   status is not quoted anywhere found: 400 is the emulator's choice.
// - Pulling from ACR with a user-assigned identity that holds AcrPull: Microsoft's "Deploy to Azure
//   Container Instances from Azure Container Registry using a managed identity"
//   (learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi). A pull without an
//   accepted credential fails as every failed pull does in the emulator (InaccessibleImage).
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { ContainerGroup } from "@azure/arm-containerinstance";
import { emulatedClientId, emulatedTenantId } from "../../dev/emulator/index.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const poll = { updateIntervalInMs: 50 };
const pullId = "/subscriptions/00000000-0000-0000-0000-00000000ac1e/resourceGroups/aci-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acr-pull";
const otherId = "/subscriptions/00000000-0000-0000-0000-00000000ac1e/resourceGroups/aci-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/no-acr-pull";
const registry = "contoso.azurecr.io";

function fromAcr(overrides: Partial<ContainerGroup> = {}): ContainerGroup {
  return {
    location: "westeurope",
    osType: "Linux",
    restartPolicy: "Always",
    containers: [{ name: "app", image: `${registry}/shop/web:1.4`, resources: { requests: { cpu: 1, memoryInGB: 1.5 } } }],
    ...overrides,
  };
}
const carrying = (...ids: string[]): Pick<ContainerGroup, "identity"> => ({ identity: { type: "UserAssigned", userAssignedIdentities: Object.fromEntries(ids.map((id) => [id, {}])) } });

describe("ACI emulator: managed identities and private registries", () => {
  let emulator: TestEmulator;
  beforeEach(async () => {
    emulator = await startTestEmulator({ privateRegistries: { [registry]: { acrPull: [pullId], logins: [{ username: "puller", password: "pull-secret" }] } } });
  });
  afterEach(() => emulator.stop());

  it("pulls from a private registry with an identity the group carries and the registry granted AcrPull; answers the identity with its principal and client ids", async () => {
    const created = await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "with-identity", fromAcr({ ...carrying(pullId), imageRegistryCredentials: [{ server: registry, identity: pullId }] }), poll);
    assert.equal(created.provisioningState, "Succeeded");
    const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "with-identity");
    assert.equal(group.containers[0]!.instanceView?.currentState?.state, "Running");
    assert.equal(group.identity?.type, "UserAssigned");
    assert.equal(group.identity?.tenantId, emulatedTenantId);
    assert.equal(group.identity?.principalId, undefined, "no system-assigned identity asked for");
    const assigned = group.identity?.userAssignedIdentities?.[pullId];
    assert.equal(assigned?.clientId, emulatedClientId(pullId));
    assert.match(assigned?.principalId ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(group.imageRegistryCredentials, [{ server: registry, identity: pullId }]);
  });

  it("pulls with one of the registry's logins, and never answers its password", async () => {
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "with-login", fromAcr({ imageRegistryCredentials: [{ server: registry, username: "puller", password: "pull-secret" }] }), poll);
    const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "with-login");
    assert.equal(group.provisioningState, "Succeeded");
    assert.deepEqual(group.imageRegistryCredentials, [{ server: registry, username: "puller" }]);
  });

  for (const [description, overrides] of [
    ["no credential", {}],
    ["an identity without AcrPull on the registry", { ...carrying(otherId), imageRegistryCredentials: [{ server: registry, identity: otherId }] }],
    ["a wrong password", { imageRegistryCredentials: [{ server: registry, username: "puller", password: "wrong" }] }],
    ["a credential for another registry", { ...carrying(pullId), imageRegistryCredentials: [{ server: "other.azurecr.io", identity: pullId }] }],
  ] as const) {
    it(`fails the pull with ${description}: InaccessibleImage, the container Waiting`, async () => {
      await assert.rejects(emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "refused", fromAcr(overrides as Partial<ContainerGroup>), poll), /long-running operation has failed/);
      const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "refused");
      assert.equal(group.provisioningState, "Failed");
      assert.equal(group.containers[0]!.instanceView?.currentState?.state, "Waiting");
    });
  }

  it("refuses a registry credential whose identity the group does not carry, as ACI does: 400 InvalidImageRegistryIdentity, no group", async () => {
    const error = await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "not-carried", fromAcr({ ...carrying(otherId), imageRegistryCredentials: [{ server: registry, identity: pullId }] }), poll).then(
      () => assert.fail("accepted"),
      (e: { statusCode?: number; code?: string; message?: string }) => e,
    );
    assert.equal(error.statusCode, 400);
    assert.equal(error.code, "InvalidImageRegistryIdentity");
    assert.equal(error.message, "The identity in the 'imageRegistryCredentials' of container group 'not-carried' not found in container group identity list");
    await assert.rejects(emulator.client.containerGroups.get(emulator.resourceGroup, "not-carried"), (e: { statusCode?: number }) => e.statusCode === 404);
  });

  it("matches a credential's identity to the group's whatever the case of the resource id (ARM ids are case-insensitive)", async () => {
    const created = await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "any-case", fromAcr({ ...carrying(pullId.toLowerCase()), imageRegistryCredentials: [{ server: registry, identity: pullId }] }), poll);
    assert.equal(created.provisioningState, "Succeeded");
  });

  it("treats every other registry as public: an image of mcr.microsoft.com pulls without credentials", async () => {
    const created = await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "public", fromAcr({ containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: 1, memoryInGB: 1 } } }] }), poll);
    assert.equal(created.provisioningState, "Succeeded");
  });
});
