// Spot priority and the Confidential SKU through the real @azure/arm-containerinstance 9.1.0 client:
// what ACI accepts and echoes, what it refuses with the codes and messages Microsoft documents
// ("Error codes for Spot container creation in Azure Container Instances", learn.microsoft.com/
// troubleshoot/azure/azure-container-instances/configuration-setup/error-codes-spot-container-creation;
// the Spot and confidential overviews; the resource and quota limits page of 11/17/2025), and a Spot
// group's eviction driven through the control API, in-process and over HTTPS (docs/emulator.md, "Spot eviction").
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ContainerGroup } from "@azure/arm-containerinstance";
import { controlPaths } from "../../dev/emulator/control-protocol.js";
import { podGroup, startControlledTestEmulator } from "../support/emulator.js";
import { rawArm } from "../support/raw-arm.js";

type Emulator = Awaited<ReturnType<typeof startControlledTestEmulator>>;
// The REST spec's example policy (examples/ContainerGroupCreateConfidential.json at 2023-05-01).
const ccePolicy = "eyJhbGxvd19hbGwiOiB0cnVlLCAiY29udGFpbmVycyI6IHsibGVuZ3RoIjogMCwgImVsZW1lbnRzIjogbnVsbH19";

describe("ACI emulator: Spot and Confidential container groups", () => {
  let emulator: Emulator;
  let serial = 0;
  const create = (group: ContainerGroup, name = `spot-${++serial}`) =>
    emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, name, group, { updateIntervalInMs: 50 }).then(() => name);
  const get = (name: string) => emulator.client.containerGroups.get(emulator.resourceGroup, name);
  const base = (overrides: Partial<ContainerGroup> = {}): ContainerGroup => ({ ...podGroup({ name: `pod-${serial}`, uid: `uid-${serial}` }), ...overrides });
  const refused = (group: ContainerGroup, status: number, code: string, message: string) =>
    assert.rejects(create(group), (e: { statusCode?: number; code?: string; message?: string }) => {
      assert.deepEqual([e.statusCode, e.code, e.message], [status, code, message]);
      return true;
    });
  const control = (method: string, path: string) => rawArm({ endpoint: emulator.controlEndpoint, caCertPem: emulator.caCertPem }, method, path, { authorization: `Bearer ${emulator.controlToken}` });

  before(async () => {
    emulator = await startControlledTestEmulator();
  });
  after(() => emulator.stop());

  it("runs a Spot group, and its GET says Spot", async () => {
    const name = await create(base({ priority: "Spot" }));
    const group = await get(name);
    assert.deepEqual([group.priority, group.sku, group.provisioningState, group.instanceView?.state, group.ipAddress], ["Spot", "Standard", "Succeeded", "Running", undefined]);
  });

  it("runs a Spot group whose containers declare ports, without an IP address (the Spot CLI tutorial's group)", async () => {
    const group = base({ priority: "Spot" });
    group.containers[0]!.ports = [{ port: 80 }];
    assert.equal((await get(await create(group))).provisioningState, "Succeeded");
  });

  it("runs a confidential group and echoes its policy, as the REST spec's example answers", async () => {
    const group = await get(await create(base({ sku: "Confidential", confidentialComputeProperties: { ccePolicy } })));
    assert.deepEqual([group.sku, group.confidentialComputeProperties, group.priority], ["Confidential", { ccePolicy }, undefined]);
  });

  it("refuses what Microsoft documents for Spot, with ACI's codes and messages", async () => {
    await refused(base({ priority: "Low" }), 400, "PriorityNotSpecified", `The 'Priority' must be one of 'Regular,Spot' for container group 'spot-${serial + 1}'.`);
    const inbound = "Spot Priority is not supported for container groups with inbound connectivity.";
    await refused(base({ priority: "Spot", ipAddress: { type: "Public", ports: [{ port: 80 }] } }), 400, "SpotPriorityContainerGroupNotSupportedForInboundConnectivity", inbound);
    await refused(base({ priority: "Spot", subnetIds: [{ id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci" }] }), 400, "SpotPriorityContainerGroupNotSupportedForInboundConnectivity", inbound);
    await refused(base({ priority: "Spot", sku: "Confidential" }), 400, "SpotPriorityContainerGroupNotSupportedInSku", "Spot Priority Container Group is not supported in 'Confidential' Sku.");
    const gpu = base({ priority: "Spot" });
    gpu.containers[0]!.resources.requests.gpu = { count: 1, sku: "V100" };
    await refused(gpu, 400, "SpotPriorityContainerGroupWithGPUResourcesNotSupported", "Spot Priority Container Groups that include containers requesting GPU resources are not supported.");
  });

  it("refuses a Spot group beyond 4 CPU and 16 GB, and a confidential one beyond 180 GB, as a group beyond its region", async () => {
    const big = (cpu: number, memoryInGB: number, overrides: Partial<ContainerGroup>) => {
      const group = base(overrides);
      group.containers[0]!.resources.requests = { cpu, memoryInGB };
      return group;
    };
    const words = (cpu: string, gb: string) => `The requested resource is not available in the location 'westeurope' at this moment. Please retry with a different resource request or in another location. Resource requested: '${cpu}' CPU '${gb}' GB memory 'Linux' OS`;
    await refused(big(4.5, 4, { priority: "Spot" }), 409, "ServiceUnavailable", words("4.5", "4"));
    await refused(big(2, 16.5, { priority: "Spot" }), 409, "ServiceUnavailable", words("2", "16.5"));
    assert.equal((await get(await create(big(4, 16, { priority: "Spot" })))).provisioningState, "Succeeded");
    await refused(big(8, 181, { sku: "Confidential" }), 409, "ServiceUnavailable", words("8", "181"));
  });

  it("refuses a confidential Windows group (confidential containers are Linux containers)", async () => {
    await refused(base({ sku: "Confidential", osType: "Windows" }), 400, "ConfidentialSkuNotSupportedForOsType", `The 'Confidential' Sku of container group 'spot-${serial + 1}' supports only the 'Linux' OS type.`);
  });

  it("evicts a running Spot group: a Warning event on the group, its containers killed and restarted by ACI", async () => {
    const name = await create(base({ priority: "Spot" }));
    emulator.control.evictGroup(name);
    const group = await get(name);
    const evicted = group.instanceView?.events?.find((e) => e.name === "Evicted");
    assert.equal(evicted?.type, "Warning");
    assert.match(evicted?.message ?? "", /evicted/);
    const view = group.containers[0]!.instanceView!;
    assert.deepEqual([view.restartCount, view.currentState?.state, view.previousState?.state, view.previousState?.detailStatus], [1, "Running", "Terminated", "Evicted"]);
    assert.deepEqual([group.provisioningState, group.instanceView?.state], ["Succeeded", "Running"]);
    // A list item carries no instanceView, so no event either; nor does a PUT's answer.
    for await (const item of emulator.client.containerGroups.listByResourceGroup(emulator.resourceGroup)) assert.equal(item.instanceView, undefined);
  });

  it("evicts only a running Spot group", async () => {
    const regular = await create(base());
    assert.throws(() => emulator.control.evictGroup(regular), /is not a Spot container group \(priority Regular\): only Spot groups are evicted/);
    assert.throws(() => emulator.control.evictGroup("no-such-group"), /no container group named no-such-group/);
  });

  it("evicts over the control surface: 204, 404 for no such group, 409 for a Regular group", async () => {
    const name = await create(base({ priority: "Spot" }));
    assert.equal((await control("POST", controlPaths.evict(name))).status, 204);
    assert.ok((await get(name)).instanceView?.events?.some((e) => e.name === "Evicted"));
    assert.equal((await control("POST", controlPaths.evict("no-such-group"))).status, 404);
    const regular = await control("POST", controlPaths.evict(await create(base())));
    assert.deepEqual([regular.status, (regular.json as { error?: { code?: string } }).error?.code], [409, "NotSpot"]);
  });
});
