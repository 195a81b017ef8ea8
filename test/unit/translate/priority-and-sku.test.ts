// Spot priority and the Confidential SKU, asked through annotations of ours: what goes into the group,
// and what is refused with the field and the figure. The refusals are ACI's (Microsoft's Spot overview and
// "Error codes for Spot container creation", the confidential overview, the resource and quota limits page
// of 11/17/2025; shared/translate/priority-and-sku.ts cites them).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container } from "@kubernetes/client-node";
import { podToContainerGroup, type Translation } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError } from "../../../shared/translate/problems.js";
import { configMaps, container, documentedRegion, linuxNode, podFrom, secrets, settings, windowsNode } from "./realistic-pods.js";

const subnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/aci";
const policy = Buffer.from('{"allow_all": true, "containers": {"length": 0, "elements": null}}').toString("base64");

interface Case {
  readonly annotations: Record<string, string>;
  readonly containers?: V1Container[];
  readonly node?: typeof linuxNode | typeof windowsNode;
  readonly subnet?: boolean;
}

function translate(c: Case): Translation {
  const pod = podFrom({ nodeName: (c.node ?? linuxNode).name, containers: c.containers ?? [container()] }, { annotations: c.annotations });
  return podToContainerGroup({ pod, references: { secrets, configMaps }, node: c.node ?? linuxNode, settings: { ...settings, ...(c.subnet === true && { subnetId }) }, capabilities: documentedRegion });
}

function refusal(c: Case): string[] {
  try {
    translate(c);
  } catch (error) {
    assert.ok(error instanceof TranslationError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail("the pod was translated");
}

const spot = { "aci-connector.io/priority": "Spot" };
const confidential = { "aci-connector.io/sku": "Confidential" };
const sized = (cpu: string, memory: string) => [container({ resources: { requests: { cpu, memory } } })];

describe("Spot and Confidential: what goes into the group", () => {
  const accepted: [string, Case, Record<string, unknown>][] = [
    ["no annotation: Standard, no priority sent (as before)", { annotations: {} }, { sku: "Standard" }],
    ["Regular", { annotations: { "aci-connector.io/priority": "Regular" } }, { sku: "Standard", priority: "Regular" }],
    ["Spot", { annotations: spot }, { sku: "Standard", priority: "Spot" }],
    ["Spot on Windows (Microsoft: Linux and Windows)", { annotations: spot, node: windowsNode }, { sku: "Standard", priority: "Spot" }],
    ["Spot at its documented maximum, 4 CPU and 16 GB", { annotations: spot, containers: sized("4", "16G") }, { sku: "Standard", priority: "Spot" }],
    ["Standard asked for", { annotations: { "aci-connector.io/sku": "Standard" } }, { sku: "Standard" }],
    ["Confidential", { annotations: confidential }, { sku: "Confidential" }],
    ["Confidential with its policy", { annotations: { ...confidential, "aci-connector.io/cce-policy": policy } }, { sku: "Confidential", confidentialComputeProperties: { ccePolicy: policy } }],
    ["Confidential in a subnet, at 31 CPU and 180 GB", { annotations: confidential, subnet: true, containers: sized("31", "180G") }, { sku: "Confidential", subnetIds: [{ id: subnetId }] }],
  ];
  for (const [description, c, expected] of accepted) {
    it(description, () => {
      const { properties } = translate(c).body;
      const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, (properties as Record<string, unknown>)[k]]));
      assert.deepEqual(picked, expected);
      if (!("priority" in expected)) assert.equal(properties.priority, undefined);
    });
  }

  it("a Spot pod's ports stay on its containers, the group gets no IP, and the user is told", () => {
    const t = translate({ annotations: spot, containers: [container({ ports: [{ containerPort: 80 }, { containerPort: 53, protocol: "UDP" }] })] });
    assert.equal(t.body.properties.ipAddress, undefined);
    assert.equal(t.body.properties.subnetIds, undefined);
    assert.deepEqual(t.body.properties.containers[0]!.properties.ports, [{ port: 80, protocol: "TCP" }, { port: 53, protocol: "UDP" }]);
    assert.deepEqual(t.notices, ["ACI gives a Spot container group no IP address: the pod's ports (80/TCP, 53/UDP) cannot be reached from outside the pod, and it has no pod IP"]);
  });

  it("a Spot pod without ports: nothing to tell", () => assert.deepEqual(translate({ annotations: spot }).notices, []));
});

describe("Spot and Confidential: what ACI refuses, refused with the field and the figure", () => {
  const refused: [string, Case, string[]][] = [
    ["an unknown priority", { annotations: { "aci-connector.io/priority": "spot" } }, ['metadata.annotations["aci-connector.io/priority"]: must be Regular or Spot, not "spot"']],
    ["an unknown SKU (Dedicated is not offered)", { annotations: { "aci-connector.io/sku": "Dedicated" } }, ['metadata.annotations["aci-connector.io/sku"]: must be Standard or Confidential, not "Dedicated"']],
    ["Spot in a subnet", { annotations: spot, subnet: true }, ['metadata.annotations["aci-connector.io/priority"]: ACI cannot run a Spot container group in a virtual network, and this connector deploys into a subnet (ACI_SUBNET_ID)']],
    [
      "Spot with a DNS name label",
      { annotations: { ...spot, "aci-connector.io/dns-name-label": "shop-web" } },
      ['metadata.annotations["aci-connector.io/dns-name-label"]: ACI gives a Spot container group no public IP address, so it cannot have a DNS name label'],
    ],
    [
      "Spot with a GPU",
      { annotations: { ...spot, "virtual-kubelet.io/gpu-type": "V100" }, containers: [container({ resources: { limits: { "nvidia.com/gpu": "1" } } })] },
      // The region lists no GPU at all any more: both problems show.
      ['metadata.annotations["virtual-kubelet.io/gpu-type"]: ACI offers no V100 GPUs to a Linux container group in westeurope; it offers none there', 'spec.containers[*].resources.limits["nvidia.com/gpu"]: ACI runs no GPUs in Spot container groups'],
    ],
    ["Spot on the Confidential SKU", { annotations: { ...spot, ...confidential } }, ['metadata.annotations["aci-connector.io/sku"]: ACI runs Spot container groups in the Standard SKU only, not Confidential']],
    [
      "Spot beyond 4 CPU and 16 GB",
      { annotations: spot, containers: sized("4.01", "17G") },
      [
        "spec.containers[*].resources.requests.cpu: the pod's containers request 4.01 CPU in all; ACI runs at most 4 CPU and 16 GB in one Spot container group",
        "spec.containers[*].resources.requests.memory: the pod's containers request 17 GB of memory in all; ACI runs at most 4 CPU and 16 GB in one Spot container group",
      ],
    ],
    ["Confidential on Windows", { annotations: confidential, node: windowsNode }, ['metadata.annotations["aci-connector.io/sku"]: ACI\'s confidential containers are Linux containers; this pod is on a Windows node']],
    [
      "Confidential beyond 31 CPU and 180 GB",
      { annotations: confidential, containers: sized("32", "181G") },
      [
        // The region's row says the same of CPU: both show.
        "spec.containers[*].resources.requests.cpu: the pod's containers request 32 CPU in all; ACI runs at most 31 CPU and 240 GB in one Linux container group in westeurope",
        "spec.containers[*].resources.requests.cpu: the pod's containers request 32 CPU in all; ACI runs at most 31 CPU and 180 GB in one confidential container group",
        "spec.containers[*].resources.requests.memory: the pod's containers request 181 GB of memory in all; ACI runs at most 31 CPU and 180 GB in one confidential container group",
      ],
    ],
    ["a policy without the Confidential SKU", { annotations: { "aci-connector.io/cce-policy": policy } }, ['metadata.annotations["aci-connector.io/cce-policy"]: a confidential computing enforcement policy needs aci-connector.io/sku: Confidential']],
    ["a policy that is not base64", { annotations: { ...confidential, "aci-connector.io/cce-policy": "allow all" } }, ['metadata.annotations["aci-connector.io/cce-policy"]: must be the base64 policy the Azure CLI confcom extension generates']],
    // Base64 (RFC 4648 section 4) is whole groups of four characters of its alphabet, padded with "=" at
    // the end only: a policy with a base64 part and anything else before or after it is not one.
    ...([
      ["a policy one character short of a whole group", policy.slice(0, -1)],
      ["a policy with text before its base64", `{x}!${policy}`],
      ["a policy with text after its base64", `${policy}{x}!`],
    ] as const).map(([description, cce]): [string, Case, string[]] => [description, { annotations: { ...confidential, "aci-connector.io/cce-policy": cce } }, ['metadata.annotations["aci-connector.io/cce-policy"]: must be the base64 policy the Azure CLI confcom extension generates']]),
  ];
  for (const [description, c, expected] of refused) {
    it(description, () => assert.deepEqual(refusal(c), expected));
  }
});
