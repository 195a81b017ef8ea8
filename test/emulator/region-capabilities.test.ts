// The emulator's regions through the real @azure/arm-containerinstance client: what
// `location.listCapabilities` lists, and a group beyond it refused as ACI refuses one.
//
// The figures expected here are Microsoft's, typed from their sources, not read from the emulator:
// every region today, "Resource availability & quota limits for ACI" (learn.microsoft.com, ms.date
// 11/17/2025): a standard group, Linux or Windows, public or in a virtual network, up to 31 CPU and
// 240 GB; GPUs retired. A smaller region, for the refusals: eastus as the service listed it on 2021-05-11
// (Az.ContainerInstance's recording in Azure/azure-powershell). The refusal's status, code and words:
// virtual-kubelet/virtual-kubelet#592 ("got HTTP response status code 409 error code
// \"ServiceUnavailable\": The requested resource is not available in the location 'westus' at this
// moment. ... Resource requested: '4' CPU '16' GB memory 'Linux' OS virtual network") and
// MicrosoftDocs/azure-docs#24776 (a public group: no " virtual network").
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { ContainerGroup, ResourceRequests } from "@azure/arm-containerinstance";
import { capabilitiesRecordedInEastUs2021 } from "../../dev/emulator/index.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const poll = { updateIntervalInMs: 50 };
type SdkError = { statusCode?: number; code?: string; message?: string };
const subnetId = "/subscriptions/00000000-0000-0000-0000-00000000ac1e/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/aci";

function group(location: string, requests: ResourceRequests[], options: { osType?: "Linux" | "Windows"; subnet?: boolean } = {}): ContainerGroup {
  return {
    location,
    osType: options.osType ?? "Linux",
    containers: requests.map((r, i) => ({ name: `c${i}`, image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: r } })),
    ...(options.subnet === true && { subnetIds: [{ id: subnetId }] }),
  };
}

const refusal = (location: string, requested: string) =>
  `The requested resource is not available in the location '${location}' at this moment. Please retry with a different resource request or in another location. Resource requested: ${requested}`;

describe("ACI emulator: a region's capabilities", () => {
  let emulator: TestEmulator;
  afterEach(() => emulator.stop());

  const create = (name: string, body: ContainerGroup) => emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, name, body, poll);
  const refused = async (name: string, body: ContainerGroup, message: string) => {
    await assert.rejects(emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, name, body, poll), (e: SdkError) => {
      assert.equal(e.statusCode, 409);
      assert.equal(e.code, "ServiceUnavailable");
      assert.equal(e.message, message);
      return true;
    });
    assert.ok(!emulator.control.groupNames().includes(name), `${name} was not created`);
  };
  const listed = async (location: string) => {
    const rows = [];
    for await (const row of emulator.client.location.listCapabilities(location)) rows.push(row);
    return rows;
  };

  it("lists today's documented figures for any region, as the service lists them (NotSpecified rows, no GPU)", async () => {
    emulator = await startTestEmulator();
    const documented = (ipAddressType: string) => ({ resourceType: "containerGroups", osType: "NotSpecified", location: "northeurope", ipAddressType, gpu: "None", capabilities: { maxMemoryInGB: 240, maxCpu: 31, maxGpuCount: 0 } });
    assert.deepEqual(await listed("northeurope"), [documented("Public"), documented("Private")]);
  });

  it("runs an 8-CPU, 32 GB group and one of exactly 31 CPU and 240 GB; refuses 32 CPU, and 241 GB, with 409 ServiceUnavailable in ACI's words", async () => {
    emulator = await startTestEmulator();
    assert.equal((await create("eight", group("westeurope", [{ cpu: 8, memoryInGB: 32 }]))).provisioningState, "Succeeded");
    assert.equal((await create("edge", group("westeurope", [{ cpu: 16, memoryInGB: 120 }, { cpu: 15, memoryInGB: 120 }]))).provisioningState, "Succeeded");
    await refused("cpu", group("westeurope", [{ cpu: 32, memoryInGB: 1 }]), refusal("westeurope", "'32' CPU '1' GB memory 'Linux' OS"));
    await refused("memory", group("westeurope", [{ cpu: 1, memoryInGB: 241 }], { osType: "Windows" }), refusal("westeurope", "'1' CPU '241' GB memory 'Windows' OS"));
  });

  describe("a smaller region (option capabilities: eastus as listed in 2021, served as westus)", () => {
    const smaller = () => startTestEmulator({ capabilities: { westus: capabilitiesRecordedInEastUs2021 } });

    it("lists the recorded rows for that region only", async () => {
      emulator = await smaller();
      const rows = (await listed("westus")).map((r) => `${r.osType}/${r.ipAddressType}/${r.gpu}: ${r.capabilities?.maxCpu} CPU ${r.capabilities?.maxMemoryInGB} GB ${r.capabilities?.maxGpuCount} GPU @${r.location}`);
      assert.deepEqual(rows, [
        "NotSpecified/Public/None: 4 CPU 16 GB 0 GPU @westus",
        "NotSpecified/Private/None: 4 CPU 16 GB 0 GPU @westus",
        "Linux/Public/None: 4 CPU 16 GB 0 GPU @westus",
        "Linux/Private/None: 72 CPU 148 GB 0 GPU @westus",
        "Linux/Public/K80: 24 CPU 224 GB 4 GPU @westus",
        "Linux/Public/P100: 24 CPU 448 GB 4 GPU @westus",
        "Linux/Public/V100: 24 CPU 448 GB 4 GPU @westus",
        "Windows/Public/None: 4 CPU 16 GB 0 GPU @westus",
      ]);
      assert.equal((await listed("westeurope"))[0]?.capabilities?.maxCpu, 31, "other regions keep the documented figures");
    });

    it("refuses 8 CPU and 32 GB on a public Linux group, runs it in a virtual network (72 CPU, 148 GB), refuses 80 CPU there naming the virtual network", async () => {
      emulator = await smaller();
      await refused("public", group("westus", [{ cpu: 8, memoryInGB: 32 }]), refusal("westus", "'8' CPU '32' GB memory 'Linux' OS"));
      assert.equal((await create("private", group("westus", [{ cpu: 8, memoryInGB: 32 }], { subnet: true }))).provisioningState, "Succeeded");
      await refused("private-big", group("westus", [{ cpu: 80, memoryInGB: 32 }], { subnet: true }), refusal("westus", "'80' CPU '32' GB memory 'Linux' OS virtual network"));
      assert.equal((await create("other-region", group("westeurope", [{ cpu: 8, memoryInGB: 32 }]))).provisioningState, "Succeeded");
    });

    it("takes a Windows group's own row: 4 CPU and 16 GB runs, 4.5 CPU is refused", async () => {
      emulator = await smaller();
      assert.equal((await create("win", group("westus", [{ cpu: 4, memoryInGB: 16 }], { osType: "Windows" }))).provisioningState, "Succeeded");
      await refused("win-big", group("westus", [{ cpu: 4.5, memoryInGB: 1 }], { osType: "Windows" }), refusal("westus", "'4.5' CPU '1' GB memory 'Windows' OS"));
    });

    it("takes a GPU group's SKU row: 4 V100 and 24 CPU run; 5 V100, and a GPU on Windows or in a virtual network, are refused", async () => {
      emulator = await smaller();
      const v100 = (count: number, cpu = 1) => ({ cpu, memoryInGB: 8, gpu: { count, sku: "V100" } });
      assert.equal((await create("gpu", group("westus", [v100(4, 24)]))).provisioningState, "Succeeded");
      await refused("gpu-5", group("westus", [v100(5)]), refusal("westus", "'1' CPU '8' GB memory 'Linux' OS"));
      await refused("gpu-win", group("westus", [v100(1)], { osType: "Windows" }), refusal("westus", "'1' CPU '8' GB memory 'Windows' OS"));
      await refused("gpu-vnet", group("westus", [v100(1)], { subnet: true }), refusal("westus", "'1' CPU '8' GB memory 'Linux' OS virtual network"));
    });
  });
});
