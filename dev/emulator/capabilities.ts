// What ACI can run in a region, as GET .../locations/{location}/capabilities lists it (the REST spec's
// Location_ListCapabilities, `Capabilities`), and ACI's refusal of a group beyond it. Kept apart from the
// connector's own check (shared/translate/region-capabilities.ts): the emulator answers as ACI does,
// whatever the connector believes.
import { ArmError } from "./responses.js";

/** One row of the list, field for field as the service sends it (its `location` is added when served). */
export interface CapabilityRow {
  readonly resourceType: "containerGroups";
  /** Linux, Windows, or NotSpecified: either. */
  readonly osType: "Linux" | "Windows" | "NotSpecified";
  /** Private: a group in a virtual network. */
  readonly ipAddressType: "Public" | "Private";
  /** None, or the GPU SKU the row is for. */
  readonly gpu: string;
  readonly capabilities: { readonly maxMemoryInGB: number; readonly maxCpu: number; readonly maxGpuCount: number };
}

const row = (osType: CapabilityRow["osType"], ipAddressType: CapabilityRow["ipAddressType"], gpu: string, maxCpu: number, maxMemoryInGB: number, maxGpuCount = 0): CapabilityRow => ({
  resourceType: "containerGroups",
  osType,
  ipAddressType,
  gpu,
  capabilities: { maxMemoryInGB, maxCpu, maxGpuCount },
});

/**
 * Every region, as Microsoft documents it today: "Resource availability & quota limits for ACI"
 * (https://learn.microsoft.com/azure/container-instances/container-instances-resource-and-quota-limits,
 * ms.date 11/17/2025, read 2025-11): a standard container group, Linux or Windows, in general and in
 * virtual network deployments, has at most 31 CPU and 240 GB, "in all Azure Regions supported by Azure
 * Container Instances". GPU resources are "retired as of July 14, 2025": no GPU row. Shaped as the
 * service lists them today (Az.ContainerInstance's recording of eastus on 2024-10-31, api-version
 * 2024-05-01-preview, in Azure/azure-powershell): one NotSpecified row per IP address type, for either OS.
 * That recording's own figures (32 CPU, 256 GB) are above the page's; the page is what Microsoft promises.
 */
export const documentedCapabilities: readonly CapabilityRow[] = [row("NotSpecified", "Public", "None", 31, 240), row("NotSpecified", "Private", "None", 31, 240)];

/**
 * A region with smaller figures, for a test of a refusal: eastus as the service listed it on 2021-05-11
 * (Az.ContainerInstance's recording, api-version 2021-03-01: src/ContainerInstance/test/
 * Get-AzContainerInstanceCapability.Recording.json in Azure/azure-powershell), row for row: 4 CPU and
 * 16 GB for a public Linux or Windows group, 72 CPU and 148 GB for a Linux group in a virtual network,
 * K80, P100 and V100 GPUs (at most 4) for public Linux groups only.
 */
export const capabilitiesRecordedInEastUs2021: readonly CapabilityRow[] = [
  row("NotSpecified", "Public", "None", 4, 16),
  row("NotSpecified", "Private", "None", 4, 16),
  row("Linux", "Public", "None", 4, 16),
  row("Linux", "Private", "None", 72, 148),
  row("Linux", "Public", "K80", 24, 224, 4),
  row("Linux", "Public", "P100", 24, 448, 4),
  row("Linux", "Public", "V100", 24, 448, 4),
  row("Windows", "Public", "None", 4, 16),
];

interface ContainerBody {
  properties?: { resources?: { requests?: { cpu?: unknown; memoryInGB?: unknown; gpu?: { count?: unknown; sku?: unknown } } } };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const figure = (n: number) => String(Math.round(n * 100) / 100);

/**
 * A group the region cannot run is refused as ACI refuses one: 409 ServiceUnavailable, "The requested
 * resource is not available in the location '...' at this moment. Please retry with a different resource
 * request or in another location. Resource requested: '4' CPU '16' GB memory 'Linux' OS virtual network",
 * as the service answered a group beyond westus's 4 CPU and 14 GB (virtual-kubelet/virtual-kubelet#592,
 * 2019, from an AKS virtual node in a subnet); the same words without " virtual network" for a public
 * group in MicrosoftDocs/azure-docs#24776 (5 CPU in eastus, then 4 CPU and 14 GB), and Microsoft's
 * troubleshooting page describes them ("Resource not available error"). The row is the group's OS's, else
 * the NotSpecified one, for its GPU SKU (None without one) and IP address type (Private in a subnet). No
 * report shows how a GPU is named in the message: a GPU group gets the same words. ACI answers a region out
 * of capacity the same way; the emulator does so only for sizes.
 */
export function checkCapabilities(location: string, rows: readonly CapabilityRow[], properties: Record<string, unknown>): void {
  const os = String(properties.osType);
  const inSubnet = (Array.isArray(properties.subnetIds) && properties.subnetIds.length > 0) || (properties.ipAddress as { type?: unknown } | undefined)?.type === "Private";
  let cpu = 0;
  let memory = 0;
  let gpus = 0;
  let sku = "None";
  for (const c of (properties.containers ?? []) as ContainerBody[]) {
    const requests = c.properties?.resources?.requests;
    cpu += Number(requests?.cpu ?? 0);
    memory += Number(requests?.memoryInGB ?? 0);
    if (requests?.gpu !== undefined) {
      gpus += Number(requests.gpu.count ?? 0);
      sku = String(requests.gpu.sku);
    }
  }
  const matching = rows.filter((r) => same(r.gpu, sku) && same(r.ipAddressType, inSubnet ? "Private" : "Public"));
  const limits = (matching.find((r) => same(r.osType, os)) ?? matching.find((r) => same(r.osType, "NotSpecified")))?.capabilities;
  const documented = documentedMaximumOf(properties);
  const fits =
    limits !== undefined &&
    cpu <= Math.min(limits.maxCpu, documented.cpu) + 1e-9 &&
    memory <= Math.min(limits.maxMemoryInGB, documented.memoryInGB) + 1e-9 &&
    gpus <= limits.maxGpuCount;
  if (!fits) {
    throw new ArmError(
      409,
      "ServiceUnavailable",
      `The requested resource is not available in the location '${location}' at this moment. Please retry with a different resource request or in another location. Resource requested: '${figure(cpu)}' CPU '${figure(memory)}' GB memory '${os}' OS${inSubnet ? " virtual network" : ""}`,
    );
  }
}

/**
 * Spot and confidential groups have maxima of their own that no capabilities row lists: "Resource
 * availability & quota limits for ACI" (ms.date 11/17/2025) gives 4 CPU and 16 GB for a Spot group, 31 CPU
 * and 180 GB for a confidential one, "hard limits" (its 32 CPU in a virtual network is above every row). How ACI refuses a group
 * beyond them is not documented: as beyond a region's row (above).
 */
function documentedMaximumOf(properties: Record<string, unknown>): { cpu: number; memoryInGB: number } {
  if (properties.priority === "Spot") return { cpu: 4, memoryInGB: 16 };
  if (properties.sku === "Confidential") return { cpu: 31, memoryInGB: 180 };
  return { cpu: Number.POSITIVE_INFINITY, memoryInGB: Number.POSITIVE_INFINITY };
}
