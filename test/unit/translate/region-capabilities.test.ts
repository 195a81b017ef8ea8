// A pod's size against what its region can run, as ARM lists it (Location_ListCapabilities): accepted
// within the row of its kind of group, refused past it with the field and the region's figure. The
// regions (realistic-pods.ts): every region as Microsoft documents it today (31 CPU, 240 GB), and eastus
// as the service listed it in 2021 (4 CPU and 16 GB public, 72 CPU and 148 GB in a virtual network,
// GPUs for public Linux groups). The expected figures are those lists', the messages the connector's.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError, type Problem } from "../../../shared/translate/problems.js";
import type { RegionCapabilities } from "../../../shared/translate/region-capabilities.js";
import { configMaps, container, documentedRegion, eastUs2021, linuxNode, podFrom, secrets, settings, windowsNode } from "./realistic-pods.js";

interface Case {
  readonly description: string;
  readonly pod: V1Pod;
  readonly region: RegionCapabilities | undefined;
  readonly os?: "Linux" | "Windows";
  readonly subnet?: boolean;
  /** "translated", or every problem the refusal lists. */
  readonly expected: "translated" | readonly Problem[];
}

const subnetId = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/aci";

function outcome(c: Case): "translated" | readonly Problem[] {
  try {
    podToContainerGroup({
      pod: c.pod,
      references: { secrets, configMaps },
      node: c.os === "Windows" ? windowsNode : linuxNode,
      settings: { ...settings, location: c.region?.location ?? settings.location, ...(c.subnet === true && { subnetId }) },
      ...(c.region !== undefined && { capabilities: c.region }),
    });
    return "translated";
  } catch (error) {
    assert.ok(error instanceof TranslationError, String(error));
    return error.problems;
  }
}

const requesting = (...requests: V1Container["resources"][]) => podFrom({ containers: requests.map((resources, i) => container({ name: `c${i}`, resources })) });
const withGpu = (count: string, sku: string, requests: Record<string, string> = {}) =>
  podFrom({ containers: [container({ resources: { requests, limits: { "nvidia.com/gpu": count } } })] }, { annotations: { "virtual-kubelet.io/gpu-type": sku } });
const cpuField = "spec.containers[*].resources.requests.cpu";
const memoryField = "spec.containers[*].resources.requests.memory";
const gpiB = "(GB of 10^9 bytes: 1Gi is 1.07 GB)";

const cases: Case[] = [
  // Every region today.
  { description: "8 CPU and 32Gi on Linux", pod: requesting({ requests: { cpu: "8", memory: "32Gi" } }), region: documentedRegion, expected: "translated" },
  { description: "8 CPU and 32Gi on Windows: the NotSpecified row is either OS's", pod: requesting({ requests: { cpu: "8", memory: "32Gi" } }), region: documentedRegion, os: "Windows", expected: "translated" },
  {
    description: "exactly 31 CPU and 240 GB, over three containers",
    pod: requesting({ requests: { cpu: "16", memory: "120G" } }, { requests: { cpu: "14500m", memory: "100G" } }, { requests: { cpu: "500m", memory: "20G" } }),
    region: documentedRegion,
    expected: "translated",
  },
  {
    description: "31.01 CPU",
    pod: requesting({ requests: { cpu: "31010m", memory: "1G" } }),
    region: documentedRegion,
    expected: [{ path: cpuField, message: "the pod's containers request 31.01 CPU in all; ACI runs at most 31 CPU and 240 GB in one Linux container group in westeurope" }],
  },
  {
    description: "240.1 GB",
    pod: requesting({ requests: { cpu: "1", memory: "240.1G" } }),
    region: documentedRegion,
    expected: [{ path: memoryField, message: `the pod's containers request 240.1 GB of memory in all ${gpiB}; ACI runs at most 31 CPU and 240 GB in one Linux container group in westeurope` }],
  },
  {
    description: "32 CPU in a subnet: the Private row",
    pod: requesting({ requests: { cpu: "32", memory: "8G" } }),
    region: documentedRegion,
    subnet: true,
    expected: [{ path: cpuField, message: "the pod's containers request 32 CPU in all; ACI runs at most 31 CPU and 240 GB in one Linux container group in a virtual network in westeurope" }],
  },
  {
    description: "a GPU where the region lists none (retired in 2025)",
    pod: withGpu("1", "V100"),
    region: documentedRegion,
    expected: [{ path: 'metadata.annotations["virtual-kubelet.io/gpu-type"]', message: "ACI offers no V100 GPUs to a Linux container group in westeurope; it offers none there" }],
  },

  // A smaller region: eastus as listed in 2021.
  {
    description: "8 CPU and 32Gi on Linux, where a public group has at most 4 CPU and 16 GB: both fields, with the region's figures",
    pod: requesting({ requests: { cpu: "8", memory: "32Gi" } }),
    region: eastUs2021,
    expected: [
      { path: cpuField, message: "the pod's containers request 8 CPU in all; ACI runs at most 4 CPU and 16 GB in one Linux container group in eastus" },
      // 32Gi is 34.36 GB, 34.4 at ACI's 0.1 GB granularity.
      { path: memoryField, message: `the pod's containers request 34.4 GB of memory in all ${gpiB}; ACI runs at most 4 CPU and 16 GB in one Linux container group in eastus` },
    ],
  },
  { description: "8 CPU and 32Gi on Linux in a subnet (72 CPU, 148 GB there)", pod: requesting({ requests: { cpu: "8", memory: "32Gi" } }), region: eastUs2021, subnet: true, expected: "translated" },
  { description: "exactly 4 CPU and 16 GB on Windows", pod: requesting({ requests: { cpu: "4", memory: "16G" } }), region: eastUs2021, os: "Windows", expected: "translated" },
  {
    description: "4.01 CPU on Windows: the Windows row",
    pod: requesting({ requests: { cpu: "4010m", memory: "1G" } }),
    region: eastUs2021,
    os: "Windows",
    expected: [{ path: cpuField, message: "the pod's containers request 4.01 CPU in all; ACI runs at most 4 CPU and 16 GB in one Windows container group in eastus" }],
  },
  { description: "4 V100 GPUs, 24 CPU and 448 GB: the V100 row", pod: withGpu("4", "V100", { cpu: "24", memory: "448G" }), region: eastUs2021, expected: "translated" },
  {
    description: "5 V100 GPUs",
    pod: withGpu("5", "V100"),
    region: eastUs2021,
    expected: [{ path: 'spec.containers[*].resources.limits["nvidia.com/gpu"]', message: "the pod's containers ask for 5 V100 GPUs in all; ACI gives at most 4 to one Linux container group with V100 GPUs in eastus" }],
  },
  {
    description: "25 CPU with a K80",
    pod: withGpu("1", "K80", { cpu: "25", memory: "8G" }),
    region: eastUs2021,
    expected: [{ path: cpuField, message: "the pod's containers request 25 CPU in all; ACI runs at most 24 CPU and 224 GB in one Linux container group with K80 GPUs in eastus" }],
  },
  {
    description: "a GPU in a subnet, where the region lists GPUs for public groups only",
    pod: withGpu("1", "V100"),
    region: eastUs2021,
    subnet: true,
    expected: [{ path: 'metadata.annotations["virtual-kubelet.io/gpu-type"]', message: "ACI offers no V100 GPUs to a Linux container group in a virtual network in eastus; it offers none there" }],
  },
  {
    // "Deployments with GPU resources ... are only available on Linux container groups"; the size is
    // still checked, as the Windows group the pod would be, so its user sees both problems.
    description: "6 CPU and a K80 on Windows",
    pod: withGpu("1", "K80", { cpu: "6", memory: "8G" }),
    region: eastUs2021,
    os: "Windows",
    expected: [
      { path: "spec.containers[*].resources.limits", message: "ACI offers GPUs to Linux container groups only" },
      { path: cpuField, message: "the pod's containers request 6 CPU in all; ACI runs at most 4 CPU and 16 GB in one Windows container group in eastus" },
    ],
  },
  {
    description: "6 CPU with a GPU of no SKU: the annotation is what to fix, and no row says what the group may have",
    pod: podFrom({ containers: [container({ resources: { requests: { cpu: "6" }, limits: { "nvidia.com/gpu": "1" } } })] }),
    region: eastUs2021,
    expected: [{ path: 'metadata.annotations["virtual-kubelet.io/gpu-type"]', message: "a GPU needs this annotation, one of K80, P100, V100" }],
  },

  {
    // Regions offered different GPU SKUs; this one is eastus of 2021 without its V100 rows.
    description: "a GPU SKU the region does not list, where it lists others: those it offers",
    pod: withGpu("1", "V100"),
    region: { location: "westus", rows: eastUs2021.rows.filter((r) => r.gpu !== "V100") },
    expected: [{ path: 'metadata.annotations["virtual-kubelet.io/gpu-type"]', message: "ACI offers no V100 GPUs to a Linux container group in westus; it offers K80, P100 there" }],
  },

  {
    // No list seen has one (GPU rows are Linux rows), but a row for either OS is a Linux group's too (rowFor).
    description: "a GPU row for either OS is offered to a Linux group",
    pod: withGpu("1", "V100"),
    region: { location: "westus", rows: [{ osType: "NotSpecified", ipAddressType: "Public", gpu: "K80", capabilities: { maxCpu: 24, maxMemoryInGB: 224, maxGpuCount: 4 } }] },
    expected: [{ path: 'metadata.annotations["virtual-kubelet.io/gpu-type"]', message: "ACI offers no V100 GPUs to a Linux container group in westus; it offers K80 there" }],
  },

  // ARM may leave out any field of a row (arm-types.ts, ArmCapabilities): what is missing is neither
  // offered nor a limit, and the refusal names only the figures the row gives.
  {
    description: "a row without a GPU field offers no GPU",
    pod: withGpu("1", "V100"),
    region: { location: "westus", rows: [{ osType: "Linux", ipAddressType: "Public", capabilities: { maxCpu: 4, maxMemoryInGB: 16 } }, ...eastUs2021.rows.filter((r) => r.gpu === "K80")] },
    expected: [{ path: 'metadata.annotations["virtual-kubelet.io/gpu-type"]', message: "ACI offers no V100 GPUs to a Linux container group in westus; it offers K80 there" }],
  },
  {
    description: "8 CPU where the row gives a CPU figure only",
    pod: requesting({ requests: { cpu: "8", memory: "32Gi" } }),
    region: { location: "westus", rows: [{ osType: "NotSpecified", ipAddressType: "Public", gpu: "None", capabilities: { maxCpu: 4 } }] },
    expected: [{ path: cpuField, message: "the pod's containers request 8 CPU in all; ACI runs at most 4 CPU in one Linux container group in westus" }],
  },
  {
    description: "32Gi where the row gives a memory figure only",
    pod: requesting({ requests: { cpu: "8", memory: "32Gi" } }),
    region: { location: "westus", rows: [{ osType: "NotSpecified", ipAddressType: "Public", gpu: "None", capabilities: { maxMemoryInGB: 16 } }] },
    expected: [{ path: memoryField, message: `the pod's containers request 34.4 GB of memory in all ${gpiB}; ACI runs at most 16 GB in one Linux container group in westus` }],
  },

  // Nothing known of the region: ACI decides.
  { description: "64 CPU when the capabilities could not be read", pod: requesting({ requests: { cpu: "64", memory: "512G" } }), region: undefined, expected: "translated" },
  { description: "64 CPU in a region that lists no row for its group", pod: requesting({ requests: { cpu: "64", memory: "512G" } }), region: { location: "westeurope", rows: [] }, expected: "translated" },
  {
    description: "a Windows GPU when the capabilities could not be read: refused all the same (documented for every region)",
    pod: withGpu("1", "K80"),
    region: undefined,
    os: "Windows",
    expected: [{ path: "spec.containers[*].resources.limits", message: "ACI offers GPUs to Linux container groups only" }],
  },
];

describe("a pod's size against its region's capabilities", () => {
  for (const c of cases) {
    it(c.description, () => assert.deepEqual(outcome(c), c.expected));
  }
});
