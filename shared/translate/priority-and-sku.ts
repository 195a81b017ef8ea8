// A pod's ask for ACI's Spot priority or its Confidential SKU, through annotations of ours, and the
// combinations ACI refuses, each refused here naming the field (and the figure, for sizes). Pure.
//
// Microsoft's words (learn.microsoft.com/azure/container-instances/, pages of 11/17/2025, kept in
// MicrosoftDocs/azure-compute-docs):
// - container-instances-spot-containers-overview: Spot groups "aren't assigned a public IP endpoint",
//   "can't be deployed behind a virtual network", "don't support the Confidential SKU"; Linux and Windows.
// - troubleshoot/azure/azure-container-instances/configuration-setup/error-codes-spot-container-creation:
//   SpotPriorityContainerGroupNotSupportedForInboundConnectivity, ...NotSupportedInSku ("Only the Standard
//   SKU is supported for Spot"), SpotPriorityContainerGroupWithGPUResourcesNotSupported.
// - container-instances-resource-and-quota-limits: a Spot group has at most 4 CPU and 16 GB, a
//   confidential one 31 CPU and 180 GB, "hard limits" (32 CPU in a virtual network, above a standard
//   group's 31: read as a slip, and the region's row would refuse it anyway). The region
//   capabilities API has no row for either (its rows have osType, ipAddressType and gpu only), so these
//   figures are the page's.
// - container-instances-confidential-overview: confidential containers run "Linux containers".
// Container ports are accepted on a Spot group (the Spot CLI tutorial's `az container create` sends
// azure-cli's default port 80 on the container and no group IP): they are just not reachable.
import type { V1Pod } from "@kubernetes/client-node";
import type { ArmContainerGroup } from "./arm-types.js";
import { quoted, type ProblemList } from "./problems.js";
import { groupSizeFields } from "./region-capabilities.js";

export const priorityAnnotation = "aci-connector.io/priority";
export const skuAnnotation = "aci-connector.io/sku";
/** The base64 confidential computing enforcement policy (the Azure CLI confcom extension's output). */
export const ccePolicyAnnotation = "aci-connector.io/cce-policy";

const priorities = ["Regular", "Spot"] as const;
const skus = ["Standard", "Confidential"] as const;
const annotationField = (name: string) => `metadata.annotations["${name}"]`;

/** The documented maxima of one group: no regional list has them. */
export const spotMaximum = { cpu: 4, memoryInGB: 16 } as const;
export const confidentialMaximum = { cpu: 31, memoryInGB: 180 } as const;

export interface PlacementInput {
  readonly pod: V1Pod;
  readonly os: "Linux" | "Windows";
  /** The connector deploys into a subnet. */
  readonly inSubnet: boolean;
  /** The containers' requests, summed. */
  readonly total: { readonly cpu: number; readonly memoryInGB: number };
  readonly asksForGpu: boolean;
  /** The field that names the pod's DNS name label, when it has one. */
  readonly dnsNameLabelField?: string;
}

/** What goes into the group's properties, and what a user is told about what was adapted. */
export interface Placement {
  readonly properties: Pick<ArmContainerGroup["properties"], "sku" | "priority" | "confidentialComputeProperties">;
  /** A Spot group gets no IP address: no `ipAddress`, no `subnetIds`. */
  readonly spot: boolean;
  readonly notices: readonly string[];
}

export function placementOf(input: PlacementInput, problems: ProblemList): Placement {
  const annotations = input.pod.metadata?.annotations ?? {};
  const priority = oneOf(annotations, priorityAnnotation, priorities, problems);
  const sku = oneOf(annotations, skuAnnotation, skus, problems) ?? "Standard";
  const ccePolicy = annotations[ccePolicyAnnotation];
  const spot = priority === "Spot";
  const round = (n: number) => Math.round(n * 100) / 100;
  const checkSize = (maximum: { cpu: number; memoryInGB: number }, kind: string) => {
    const most = `ACI runs at most ${maximum.cpu} CPU and ${maximum.memoryInGB} GB in one ${kind} container group`;
    if (input.total.cpu > maximum.cpu + 1e-9) problems.add(groupSizeFields.cpu, `the pod's containers request ${round(input.total.cpu)} CPU in all; ${most}`);
    if (input.total.memoryInGB > maximum.memoryInGB + 1e-9) problems.add(groupSizeFields.memory, `the pod's containers request ${round(input.total.memoryInGB)} GB of memory in all; ${most}`);
  };

  if (spot) {
    if (input.inSubnet) problems.add(annotationField(priorityAnnotation), "ACI cannot run a Spot container group in a virtual network, and this connector deploys into a subnet (ACI_SUBNET_ID)");
    if (input.dnsNameLabelField !== undefined) problems.add(input.dnsNameLabelField, "ACI gives a Spot container group no public IP address, so it cannot have a DNS name label");
    if (input.asksForGpu) problems.add(groupSizeFields.gpuCount, "ACI runs no GPUs in Spot container groups");
    if (sku !== "Standard") problems.add(annotationField(skuAnnotation), `ACI runs Spot container groups in the Standard SKU only, not ${sku}`);
    checkSize(spotMaximum, "Spot");
  }
  if (sku === "Confidential") {
    if (input.os === "Windows") problems.add(annotationField(skuAnnotation), "ACI's confidential containers are Linux containers; this pod is on a Windows node");
    checkSize(confidentialMaximum, "confidential");
  }
  if (ccePolicy !== undefined) {
    if (sku !== "Confidential") problems.add(annotationField(ccePolicyAnnotation), `a confidential computing enforcement policy needs ${skuAnnotation}: Confidential`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(ccePolicy) || ccePolicy.length % 4 !== 0) problems.add(annotationField(ccePolicyAnnotation), "must be the base64 policy the Azure CLI confcom extension generates");
  }

  const ports = (input.pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`));
  const notices = spot && ports.length > 0 ? [`ACI gives a Spot container group no IP address: the pod's ports (${[...new Set(ports)].join(", ")}) cannot be reached from outside the pod, and it has no pod IP`] : [];
  return {
    properties: {
      sku,
      ...(priority !== undefined && { priority }),
      ...(ccePolicy !== undefined && { confidentialComputeProperties: { ccePolicy } }),
    },
    spot,
    notices,
  };
}

/** The annotation's value when it is one of `allowed`; a problem naming it and the allowed values otherwise. */
function oneOf<T extends string>(annotations: Record<string, string>, name: string, allowed: readonly T[], problems: ProblemList): T | undefined {
  const value = annotations[name];
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.add(annotationField(name), `must be ${allowed.join(" or ")}, not ${quoted(value)}`);
  return undefined;
}
