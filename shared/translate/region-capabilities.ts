// Whether the region can run a pod's container group, from what ARM lists for it (Location_ListCapabilities:
// GET .../providers/Microsoft.ContainerInstance/locations/{location}/capabilities, read and kept by
// shared/aci/location-capabilities.ts). Pure: the rows are an input.
//
// The rows are per OS (Linux, Windows, or NotSpecified: either), IP address type (Private: a group in a
// virtual network) and GPU SKU (None without one). The service has listed them two ways: in 2021 a row
// per OS with and without GPUs; since 2024 NotSpecified rows for groups without a GPU and a Linux row per
// GPU SKU (Az.ContainerInstance's recordings of eastus, docs/decisions/resource-limits.md). So the row of
// the group's own OS is taken, else the NotSpecified one. Sizes are checked for every OS and every group.
import type { ArmCapabilities } from "./arm-types.js";
import type { ProblemList } from "./problems.js";
import { gpuTypeAnnotation } from "./resources.js";

export interface RegionCapabilities {
  readonly location: string;
  /** The region's rows for container groups. */
  readonly rows: readonly ArmCapabilities[];
}

/** What a pod's container group asks of the region: its containers' requests, summed. */
export interface GroupSize {
  readonly os: "Linux" | "Windows";
  /** Private in the connector's subnet; Public otherwise (a group without an IP has no row of its own). */
  readonly ipAddressType: "Public" | "Private";
  readonly cpu: number;
  readonly memoryInGB: number;
  readonly gpu?: { readonly count: number; readonly sku: string };
}

/** The fields a refusal names: the region's limits are on the sums over the pod's containers. */
export const groupSizeFields = {
  cpu: "spec.containers[*].resources.requests.cpu",
  memory: "spec.containers[*].resources.requests.memory",
  gpuCount: 'spec.containers[*].resources.limits["nvidia.com/gpu"]',
  gpuSku: `metadata.annotations["${gpuTypeAnnotation}"]`,
} as const;

const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
const round = (n: number) => Math.round(n * 100) / 100;

/** The row for this kind of group: of its OS, else NotSpecified; undefined when the region lists none. */
function rowFor(rows: readonly ArmCapabilities[], size: GroupSize, gpu: string): ArmCapabilities | undefined {
  const matching = rows.filter((r) => same(r.gpu, gpu) && same(r.ipAddressType, size.ipAddressType));
  return matching.find((r) => same(r.osType, size.os)) ?? matching.find((r) => same(r.osType, "NotSpecified"));
}

/**
 * Adds a problem for each figure of the region's row that the group exceeds, naming the field and the
 * figure. A region that lists no row for a group without a GPU gets no refusal: ACI decides (no list has
 * been seen without one, so its absence would be a guess). A GPU SKU the region does not list is refused:
 * that is how a region says it has no such GPUs.
 */
export function checkGroupSize(size: GroupSize, region: RegionCapabilities, problems: ProblemList): void {
  const sku = size.gpu?.sku ?? "None";
  const row = rowFor(region.rows, size, sku);
  const inVnet = size.ipAddressType === "Private" ? " in a virtual network" : "";
  if (row === undefined) {
    if (size.gpu !== undefined) {
      const offered = [...new Set(region.rows.filter((r) => r.gpu !== undefined && !same(r.gpu, "None") && (same(r.osType, size.os) || same(r.osType, "NotSpecified")) && same(r.ipAddressType, size.ipAddressType)).map((r) => r.gpu))];
      problems.add(groupSizeFields.gpuSku, `ACI offers no ${sku} GPUs to a ${size.os} container group${inVnet} in ${region.location}; it offers ${offered.length > 0 ? offered.join(", ") : "none"} there`);
    }
    return;
  }
  const { maxCpu, maxMemoryInGB, maxGpuCount } = row.capabilities ?? {};
  const group = `${size.os} container group${size.gpu === undefined ? "" : ` with ${sku} GPUs`}${inVnet} in ${region.location}`;
  const figures = [maxCpu !== undefined && `${maxCpu} CPU`, maxMemoryInGB !== undefined && `${maxMemoryInGB} GB`].filter((f) => f !== false).join(" and ");
  const most = `ACI runs at most ${figures} in one ${group}`;
  if (maxCpu !== undefined && size.cpu > maxCpu + 1e-9) problems.add(groupSizeFields.cpu, `the pod's containers request ${round(size.cpu)} CPU in all; ${most}`);
  if (maxMemoryInGB !== undefined && size.memoryInGB > maxMemoryInGB + 1e-9) {
    problems.add(groupSizeFields.memory, `the pod's containers request ${round(size.memoryInGB)} GB of memory in all (GB of 10^9 bytes: 1Gi is 1.07 GB); ${most}`);
  }
  if (size.gpu !== undefined && maxGpuCount !== undefined && size.gpu.count > maxGpuCount) {
    problems.add(groupSizeFields.gpuCount, `the pod's containers ask for ${size.gpu.count} ${sku} GPUs in all; ACI gives at most ${maxGpuCount} to one ${group}`);
  }
}
