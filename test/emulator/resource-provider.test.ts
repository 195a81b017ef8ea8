// The seed's first step against the emulator: a subscription where Microsoft.ContainerInstance is not
// registered refuses container groups until install registers the provider, through the real SDK
// client's pipeline and Microsoft.Resources' own operations.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { AciError } from "../../shared/aci/errors.js";
import { createAciHealthProbe } from "../../shared/aci/location-health.js";
import { containerInstanceNamespace, ensureResourceProviderRegistered } from "../../shared/install/resource-provider.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { rawArm } from "../support/raw-arm.js";

describe("ACI emulator: resource provider registration", () => {
  let emulator: TestEmulator;
  const target = () => ({ armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId });

  before(async () => {
    emulator = await startTestEmulator({ providerRegistered: false, timeScale: 0.2 });
  });
  after(() => emulator.stop());

  it("refuses ACI operations with MissingSubscriptionRegistration while the provider is not registered", async () => {
    const groups = createContainerGroups(emulator.client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup });
    await assert.rejects(groups.list(), (error: unknown) => {
      assert.ok(error instanceof AciError);
      assert.equal(error.details.code, "MissingSubscriptionRegistration");
      assert.equal(error.details.statusCode, 409);
      assert.match(error.message, /not registered to use namespace 'Microsoft\.ContainerInstance'/);
      return true;
    });
    const health = await createAciHealthProbe(emulator.client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, location: "westeurope" }).probe();
    assert.deepEqual(health.healthy ? "healthy" : health.reason, "AciProviderNotRegistered");
  });

  it("registers it, waits until Registered, and then ACI answers", async () => {
    const progress: string[] = [];
    const outcome = await ensureResourceProviderRegistered(emulator.client, target(), containerInstanceNamespace, { progress: (l) => progress.push(l), pollIntervalMs: 50 });
    assert.equal(outcome, "registered");
    assert.match(progress[0] ?? "", /Microsoft\.ContainerInstance is NotRegistered in subscription .*: registering it/);
    const health = await createAciHealthProbe(emulator.client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, location: "westeurope" }).probe();
    assert.equal(health.healthy, true);
    assert.equal(await ensureResourceProviderRegistered(emulator.client, target(), containerInstanceNamespace), "already-registered");
  });

  it("answers as Microsoft.Resources does: the provider's registrationState, an unknown namespace, a bad api-version", async () => {
    const path = `/subscriptions/${emulator.subscriptionId}/providers`;
    const errorCode = (json: unknown) => (json as { error?: { code?: string } }).error?.code;
    const provider = await rawArm(emulator, "GET", `${path}/Microsoft.ContainerInstance?api-version=2021-04-01`);
    const body = provider.json as { namespace?: string; registrationState?: string };
    assert.deepEqual([provider.status, body.namespace, body.registrationState], [200, "Microsoft.ContainerInstance", "Registered"]);
    const unknown = await rawArm(emulator, "GET", `${path}/Microsoft.Nothing?api-version=2021-04-01`);
    assert.deepEqual([unknown.status, errorCode(unknown.json)], [404, "InvalidResourceNamespace"]);
    const badVersion = await rawArm(emulator, "POST", `${path}/Microsoft.ContainerInstance/register?api-version=2023-05-01`);
    assert.deepEqual([badVersion.status, errorCode(badVersion.json)], [400, "InvalidApiVersionParameter"]);
  });
});
