// What ACI refuses at PUT time, with its error codes. The checks the connector's translation must never
// trip, so a test against the emulator fails where the real service would.
import { ArmError } from "./responses.js";

const groupNamePattern = /^[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z0-9]$/;

export function validateGroupName(name: string): void {
  if (name.length > 63 || !groupNamePattern.test(name)) {
    throw new ArmError(400, "InvalidContainerGroupName", `The container group name '${name}' is invalid. The container group name must contain no more than 63 characters and can contain only lowercase letters, numbers, and dashes. Dashes cannot be the first or last character and cannot be consecutive.`);
  }
}

/**
 * ARM refuses a request body over 4 MB before the resource provider sees it, with the code and message
 * users quote (e.g. Azure/azure-api-management-devops-resource-kit#594, Azure/Azure-Landing-Zones#2644).
 * Microsoft gives no byte count; 4 MiB is read here, as Azure Storage documents its 4 MB (4194304). Kept
 * apart from the connector's own check (shared/translate/request-size.ts): the emulator answers as ARM
 * does, whatever the connector believes.
 */
export const maxRequestBytes = 4 * 1024 * 1024;
export const requestTooLarge = () => new ArmError(413, "RequestContentTooLarge", "The request content size exceeds the maximum size of 4 MB.");

/**
 * ACI exposes at most 5 ports on a group's IP address (Microsoft's "Service quotas and region
 * availability" page for ACI; MicrosoftDocs/azure-docs#101382 reports azure-cli saying 10). No recording
 * of the real refusal was found: this code and wording are a plausible ARM-style stand-in, in the manner
 * of ContainerGroupContainerCountExceedsLimit.
 */
const maxPortsPerIp = 5;

interface ContainerBody {
  name?: unknown;
  properties?: { image?: unknown; resources?: { requests?: { cpu?: unknown; memoryInGB?: unknown }; limits?: { cpu?: unknown; memoryInGB?: unknown } }; ports?: unknown[] };
}

export function validateGroupBody(groupName: string, body: unknown): { location: string; tags: Record<string, string>; properties: Record<string, unknown> } {
  const b = (typeof body === "object" && body !== null ? body : {}) as { location?: unknown; tags?: unknown; properties?: Record<string, unknown> };
  const invalid = (message: string) => new ArmError(400, "InvalidRequestContent", message);
  if (typeof b.location !== "string" || b.location === "") throw new ArmError(400, "LocationRequired", "The location property is required for this definition.");
  const p = b.properties;
  if (p === undefined) throw invalid("The request content was invalid and could not be deserialized: 'Required property 'properties' not found in JSON.'");
  const osType = p.osType;
  if (osType !== "Linux" && osType !== "Windows") throw invalid(`The request content was invalid and could not be deserialized: 'Error converting value "${String(osType)}" to type 'OperatingSystemTypes'. Path 'properties.osType'.'`);
  if (p.restartPolicy !== undefined && !["Always", "OnFailure", "Never"].includes(p.restartPolicy as string)) {
    throw invalid(`The request content was invalid and could not be deserialized: 'Error converting value ${JSON.stringify(p.restartPolicy)} to type 'ContainerGroupRestartPolicy'. Path 'properties.restartPolicy'.'`);
  }
  if (p.sku !== undefined && !["Standard", "Dedicated", "Confidential"].includes(p.sku as string)) {
    throw invalid(`The request content was invalid and could not be deserialized: 'Error converting value ${JSON.stringify(p.sku)} to type 'ContainerGroupSku'. Path 'properties.sku'.'`);
  }
  const containers = p.containers as ContainerBody[] | undefined;
  if (!Array.isArray(containers) || containers.length === 0) throw invalid("The request content was invalid and could not be deserialized: 'Required property 'containers' not found in JSON.'");
  if (containers.length > 60) throw new ArmError(400, "ContainerGroupContainerCountExceedsLimit", `The number of containers '${containers.length}' in container group exceeds the limit '60'.`);
  const ipPorts = (p.ipAddress as { ports?: unknown } | undefined)?.ports;
  if (Array.isArray(ipPorts) && ipPorts.length > maxPortsPerIp) {
    throw new ArmError(400, "ContainerGroupIpAddressPortCountExceedsLimit", `The number of ports '${ipPorts.length}' on the IP address of container group '${groupName}' exceeds the limit '${maxPortsPerIp}'.`);
  }
  let cpu = 0;
  let memory = 0;
  for (const c of containers) {
    const requests = c.properties?.resources?.requests;
    if (typeof c.name !== "string" || typeof c.properties?.image !== "string" || typeof requests?.cpu !== "number" || typeof requests.memoryInGB !== "number") {
      throw invalid("The request content was invalid and could not be deserialized: 'Required property 'name', 'image' or 'resources.requests' not found in JSON.'");
    }
    cpu += requests.cpu;
    memory += requests.memoryInGB;
  }
  for (const c of containers) {
    const limits = c.properties?.resources?.limits;
    // Code and wording as the real service answered azure-aci (MicrosoftDocs/azure-docs#29780).
    if (typeof limits?.cpu === "number" && limits.cpu > cpu) {
      throw new ArmError(400, "ContainerLimitGreaterThanContainerGroupTotalRequest", `The 'Cpu' limit '${limits.cpu}' in container '${String(c.name)}' is greater than the total request '${cpu}' of container group '${groupName}'.`);
    }
    if (typeof limits?.memoryInGB === "number" && limits.memoryInGB > memory) {
      throw new ArmError(400, "ContainerLimitGreaterThanContainerGroupTotalRequest", `The 'MemoryInGB' limit '${limits.memoryInGB}' in container '${String(c.name)}' is greater than the total request '${memory}' of container group '${groupName}'.`);
    }
  }
  validatePriorityAndSku(groupName, p);
  const tags = (typeof b.tags === "object" && b.tags !== null ? b.tags : {}) as Record<string, string>;
  return { location: b.location.toLowerCase().replace(/\s+/g, ""), tags, properties: p };
}

/**
 * Spot and Confidential: the refusals Microsoft documents, with their codes and messages ("Error codes for
 * Spot container creation in Azure Container Instances", learn.microsoft.com/troubleshoot/azure/
 * azure-container-instances/configuration-setup/error-codes-spot-container-creation). The page gives no
 * HTTP status: 400, as for ACI's other refusals of a request's content. A confidential Windows group is
 * refused too ("Linux containers", container-instances-confidential-overview), with a code and wording
 * of the emulator's own: no recording of that refusal was found.
 */
function validatePriorityAndSku(groupName: string, p: Record<string, unknown>): void {
  const priority = p.priority;
  if (priority !== undefined && priority !== "Regular" && priority !== "Spot") {
    throw new ArmError(400, "PriorityNotSpecified", `The 'Priority' must be one of 'Regular,Spot' for container group '${groupName}'.`);
  }
  const sku = (p.sku as string | undefined) ?? "Standard";
  if (priority === "Spot") {
    const inbound = p.ipAddress !== undefined || (Array.isArray(p.subnetIds) && p.subnetIds.length > 0);
    if (inbound) throw new ArmError(400, "SpotPriorityContainerGroupNotSupportedForInboundConnectivity", "Spot Priority is not supported for container groups with inbound connectivity.");
    if (sku !== "Standard") throw new ArmError(400, "SpotPriorityContainerGroupNotSupportedInSku", `Spot Priority Container Group is not supported in '${sku}' Sku.`);
    const gpu = ((p.containers ?? []) as { properties?: { resources?: { requests?: { gpu?: unknown }; limits?: { gpu?: unknown } } } }[]).some(
      (c) => c.properties?.resources?.requests?.gpu !== undefined || c.properties?.resources?.limits?.gpu !== undefined,
    );
    if (gpu) throw new ArmError(400, "SpotPriorityContainerGroupWithGPUResourcesNotSupported", "Spot Priority Container Groups that include containers requesting GPU resources are not supported.");
  }
  if (sku === "Confidential" && p.osType === "Windows") {
    throw new ArmError(400, "ConfidentialSkuNotSupportedForOsType", `The 'Confidential' Sku of container group '${groupName}' supports only the 'Linux' OS type.`);
  }
}
