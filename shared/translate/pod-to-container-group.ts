// A pod bound to a virtual node, as the ARM PUT body of its container group (api-version 2023-05-01),
// or a TranslationError naming every problem with its field. Pure: everything it needs is passed in.
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { ArmContainer, ArmContainerGroup, ArmEnvironmentVariable, ArmGroupIdentity, ArmInitContainer, ArmPort, ArmRegistryCredential } from "./arm-types.js";
import { environmentVariables } from "./env.js";
import { containerGroupName, containerGroupTags, dnsLabel, notDnsLabel } from "./naming.js";
import { checkPodShape } from "./pod-shape.js";
import { translateProbe } from "./probes.js";
import { ProblemList, quoted, type SkippedReference } from "./problems.js";
import { pullIdentityCredentials, type PullIdentity } from "./pull-identity.js";
import { checkReferences, type PodReferences } from "./references.js";
import { registryCredentials } from "./registry-credentials.js";
import { placementOf } from "./priority-and-sku.js";
import { checkGroupSize, type RegionCapabilities } from "./region-capabilities.js";
import { checkRequestSize } from "./request-size.js";
import { containerResources, limitsToSend } from "./resources.js";
import { timeOf } from "./values.js";
import { translateVolumes } from "./volumes.js";
import { workloadIdentityEnvironment, workloadIdentityOf, type WorkloadIdentityGrant } from "./workload-identity.js";

export interface TranslationSettings {
  readonly connectorName: string;
  /** Tags every group with the cluster it belongs to (see Settings.clusterId). */
  readonly clusterId: string;
  readonly location: string;
  /** With a subnet the group gets a private IP in it; without, a public IP for the pod's ports. */
  readonly subnetId?: string;
  /** Pulls the images of these registries with this identity when the pod's own pull Secrets give no credential. */
  readonly pullIdentity?: PullIdentity;
  /** Which service account's pods may carry which identity (workload-identity.ts); none when unset. */
  readonly workloadIdentities?: readonly WorkloadIdentityGrant[];
}

export interface TranslationInput {
  readonly pod: V1Pod;
  readonly references: PodReferences;
  readonly node: { readonly name: string; readonly os: "Linux" | "Windows" };
  readonly settings: TranslationSettings;
  /**
   * What the region can run (region-capabilities.ts). Without them (not read: ARM failed or is slow) the
   * group's size is not checked here and ACI decides: a refusal on a guess could fail a pod for good.
   */
  readonly capabilities?: RegionCapabilities;
}

export interface Translation {
  readonly name: string;
  readonly body: ArmContainerGroup;
  /** What was adapted rather than refused, for an Event on the pod. */
  readonly notices: readonly string[];
  /** Optional Secrets and ConfigMaps (or keys) that do not exist: the group goes without them. */
  readonly skippedReferences: readonly SkippedReference[];
}

/** The DNS name label annotations: ours, and azure-aci's for pods moving over. */
export const dnsNameLabelAnnotations = ["aci-connector.io/dns-name-label", "virtualkubelet.io/dnsnamelabel"] as const;
const maxPortsPerIp = 5;

const restartPolicies = ["Always", "OnFailure", "Never"] as const;

export function podToContainerGroup(input: TranslationInput): Translation {
  const { node, settings } = input;
  const problems = new ProblemList();
  // A pod or a Secret of the wrong shape is refused before anything reads it: its fields cannot be
  // trusted to mean what they say, so further problems would only be noise.
  const pod = checkPodShape(input.pod, problems);
  problems.throwIfAny();
  const references = checkReferences(pod, input.references, problems);
  problems.throwIfAny();
  const meta = pod.metadata ?? {};
  const spec = pod.spec;
  for (const [field, value] of [["metadata.name", meta.name], ["metadata.namespace", meta.namespace], ["metadata.uid", meta.uid]] as const) {
    if (!value) problems.add(field, "is required");
  }
  if (spec === undefined || (spec.containers ?? []).length === 0) {
    problems.add("spec.containers", "a pod needs at least one container");
    problems.throwIfAny();
  }
  refusePodFields(pod, problems);
  containerNames(pod, problems);
  const volumeNames = new Set((spec!.volumes ?? []).map((v) => v.name));
  const grant = workloadIdentityOf(pod, settings.workloadIdentities ?? [], problems);
  const tokenFileLeftOut: string[] = [];
  /** A container's environment, with its workload identity's when the pod has one. */
  const withIdentity = (env: ArmEnvironmentVariable[], c: V1Container, path: string): ArmEnvironmentVariable[] => {
    if (grant === undefined) return env;
    const adapted = workloadIdentityEnvironment(env, c, path, grant, problems);
    if (adapted.tokenFileLeftOut) tokenFileLeftOut.push(c.name);
    return adapted.env;
  };

  // Resources first: limits are capped at the group's total request, which needs every container's.
  const resources = spec!.containers.map((c, i) => containerResources(c, `spec.containers[${i}]`, pod, problems));
  const total = resources.reduce((sum, r) => ({ cpu: sum.cpu + r.requests.cpu, memoryInGB: sum.memoryInGB + r.requests.memoryInGB }), { cpu: 0, memoryInGB: 0 });
  const gpus = resources.flatMap((r) => (r.requests.gpu === undefined ? [] : [r.requests.gpu]));
  const asksForGpu = spec!.containers.some((c) => [c.resources?.limits, c.resources?.requests].some((r) => r?.["nvidia.com/gpu"] !== undefined));
  // "Deployments with GPU resources ... are only available on Linux container groups" (Microsoft's
  // resource and quota limits page, whatever the region).
  if (asksForGpu && node.os === "Windows") problems.add("spec.containers[*].resources.limits", "ACI offers GPUs to Linux container groups only");
  // Sizes are checked for every OS: a Windows pod asking for a GPU is checked as the Windows group it
  // would be, so its user sees both problems. A Linux GPU the pod names wrongly (refused above) leaves no
  // row to check against.
  const gpu = node.os === "Linux" && gpus.length > 0 ? { count: gpus.reduce((n, g) => n + g.count, 0), sku: gpus[0]!.sku } : undefined;
  if (input.capabilities !== undefined && !(node.os === "Linux" && asksForGpu && gpu === undefined)) {
    const ipAddressType = settings.subnetId === undefined ? "Public" : "Private";
    checkGroupSize({ os: node.os, ipAddressType, cpu: total.cpu, memoryInGB: total.memoryInGB, gpu }, input.capabilities, problems);
  }
  const placement = placementOf({ pod, os: node.os, inSubnet: settings.subnetId !== undefined, total, asksForGpu, dnsNameLabelField: dnsNameLabelOf(pod).dnsNameLabelField }, problems);
  // ACI's multi-container groups are Linux only: a Windows group runs a single container.
  if (node.os === "Windows" && spec!.containers.length > 1) problems.add("spec.containers", `a Windows container group has a single container in ACI; the pod has ${spec!.containers.length}`);

  const containers: ArmContainer[] = spec!.containers.map((c, i) => {
    const path = `spec.containers[${i}]`;
    refuseContainerFields(c, path, problems);
    const limits = limitsToSend(resources[i]!, total);
    const ports = containerPorts(c, path, problems);
    const livenessProbe = translateProbe(c.livenessProbe, c, `${path}.livenessProbe`, problems);
    const readinessProbe = translateProbe(c.readinessProbe, c, `${path}.readinessProbe`, problems);
    const env = withIdentity(environmentVariables(c, path, pod, resources[i], references, problems), c, path);
    const mounts = volumeMounts(c, path, volumeNames, problems);
    return {
      name: c.name,
      properties: {
        image: c.image!, // refused above when missing, and nothing is returned then
        ...command(c, path, problems),
        ...(ports.length > 0 && { ports }),
        ...(env.length > 0 && { environmentVariables: env }),
        resources: { requests: resources[i]!.requests, ...(limits !== undefined && { limits }) },
        ...(mounts.length > 0 && { volumeMounts: mounts }),
        ...(livenessProbe !== undefined && { livenessProbe }),
        ...(readinessProbe !== undefined && { readinessProbe }),
      },
    };
  });

  const initContainers: ArmInitContainer[] = (spec!.initContainers ?? []).map((c, i) => {
    const path = `spec.initContainers[${i}]`;
    refuseContainerFields(c, path, problems);
    for (const probe of ["livenessProbe", "readinessProbe"] as const) {
      if (c[probe] !== undefined) problems.add(`${path}.${probe}`, "init containers have no probes in ACI");
    }
    if ((c.ports ?? []).length > 0) problems.add(`${path}.ports`, "init containers cannot expose ports in ACI");
    const env = withIdentity(environmentVariables(c, path, pod, undefined, references, problems), c, path);
    const mounts = volumeMounts(c, path, volumeNames, problems);
    return {
      name: c.name,
      properties: { image: c.image!, ...command(c, path, problems), ...(env.length > 0 && { environmentVariables: env }), ...(mounts.length > 0 && { volumeMounts: mounts }) },
    };
  });

  const { volumes, notices } = translateVolumes(pod, references, problems);
  const fromSecrets = registryCredentials(pod, references, problems);
  const credentials: ArmRegistryCredential[] = [...fromSecrets, ...pullIdentityCredentials(pod, settings.pullIdentity, fromSecrets)];
  const identity = groupIdentity([...credentials.flatMap((c) => (c.identity === undefined ? [] : [c.identity])), ...(grant === undefined ? [] : [grant.resourceId])]);
  if (tokenFileLeftOut.length > 0) {
    notices.push(`AZURE_FEDERATED_TOKEN_FILE is not set in ${tokenFileLeftOut.map((n) => `"${n}"`).join(", ")}: ACI cannot refresh a projected token; the container group carries identity ${grant!.clientId} and DefaultAzureCredential gets its tokens from ACI's managed identity endpoint`);
  }
  const ipAddress = placement.spot ? {} : network(pod, containers, settings, problems);
  problems.throwIfAny();

  const name = containerGroupName({ namespace: meta.namespace!, name: meta.name!, uid: meta.uid! });
  // Checked by shape: a valid time, as a string (a manifest) or a Date (@kubernetes/client-node).
  const creation = timeOf(meta.creationTimestamp)?.toISOString() ?? "";
  const body: ArmContainerGroup = {
    location: settings.location,
    ...(identity !== undefined && { identity }),
    tags: containerGroupTags({ namespace: meta.namespace!, name: meta.name!, uid: meta.uid!, node: node.name, connector: settings.connectorName, clusterId: settings.clusterId, creationTimestamp: creation }),
    properties: {
      osType: node.os,
      ...placement.properties,
      // The same three policies, with the same meanings, in both.
      restartPolicy: (spec!.restartPolicy as (typeof restartPolicies)[number] | undefined) ?? "Always",
      containers,
      ...(initContainers.length > 0 && { initContainers }),
      ...ipAddress,
      ...(credentials.length > 0 && { imageRegistryCredentials: credentials }),
      ...(volumes.length > 0 && { volumes }),
    },
  };
  checkRequestSize(body, pod, problems);
  problems.throwIfAny();
  return { name, notices: [...notices, ...placement.notices], skippedReferences: problems.skippedReferences, body };
}

function refusePodFields(pod: V1Pod, problems: ProblemList): void {
  const spec = pod.spec!;
  const refused: [boolean | undefined, string, string][] = [
    [spec.hostNetwork, "spec.hostNetwork", "a container group has its own network, not a host's"],
    [spec.hostPID, "spec.hostPID", "a container group has no host processes to share"],
    [spec.hostIPC, "spec.hostIPC", "a container group has no host IPC to share"],
    [spec.shareProcessNamespace, "spec.shareProcessNamespace", "ACI does not share a process namespace between containers"],
  ];
  for (const [set, path, why] of refused) if (set === true) problems.add(path, `is not supported: ${why}`);
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) problems.add("spec.ephemeralContainers", "ACI cannot add containers to a running group");
  if (spec.restartPolicy !== undefined && !(restartPolicies as readonly string[]).includes(spec.restartPolicy)) {
    problems.add("spec.restartPolicy", `must be one of ${restartPolicies.join(", ")}`);
  }
}

/** Container names: each a DNS label (as Kubernetes requires, and ACI's 1-63 characters), none twice in the pod. */
function containerNames(pod: V1Pod, problems: ProblemList): void {
  const seen = new Set<string>();
  for (const list of ["initContainers", "containers"] as const) {
    (pod.spec?.[list] ?? []).forEach((c, i) => {
      const path = `spec.${list}[${i}].name`;
      if (!c.name) problems.add(path, "is required");
      else if (!dnsLabel.test(c.name)) problems.add(path, notDnsLabel);
      else if (seen.has(c.name)) problems.add(path, `another container is also named ${quoted(c.name)}`);
      seen.add(c.name);
    });
  }
}

function refuseContainerFields(c: V1Container, path: string, problems: ProblemList): void {
  if (!c.image) problems.add(`${path}.image`, "is required");
  if (c.workingDir !== undefined) problems.add(`${path}.workingDir`, "ACI cannot set a container's working directory; set it in the image or wrap the command");
  if (c.lifecycle !== undefined) problems.add(`${path}.lifecycle`, "ACI runs no lifecycle hooks (postStart, preStop)");
  if (c.startupProbe !== undefined) problems.add(`${path}.startupProbe`, "ACI has no startup probes");
  if (c.securityContext?.privileged === true) problems.add(`${path}.securityContext.privileged`, "ACI does not run privileged containers");
  (c.ports ?? []).forEach((p, j) => {
    if (p.containerPort === undefined) problems.add(`${path}.ports[${j}].containerPort`, "is required");
    if (p.hostPort !== undefined && p.hostPort !== p.containerPort) problems.add(`${path}.ports[${j}].hostPort`, "a container group has no host ports");
  });
}

/** ACI has one `command`: Kubernetes' command and args together. Args alone would drop the entrypoint. */
function command(c: V1Container, path: string, problems: ProblemList): { command?: string[] } {
  if ((c.args ?? []).length > 0 && (c.command ?? []).length === 0) {
    problems.add(`${path}.args`, "ACI has a single command that replaces the image's entrypoint, so args without command would run the args as the program; set command too (the image's entrypoint followed by these args)");
    return {};
  }
  const all = [...(c.command ?? []), ...(c.args ?? [])];
  return all.length > 0 ? { command: all } : {};
}

function containerPorts(c: V1Container, path: string, problems: ProblemList): ArmPort[] {
  return (c.ports ?? []).flatMap((p, j) => {
    const protocol = p.protocol ?? "TCP";
    if (protocol !== "TCP" && protocol !== "UDP") {
      problems.add(`${path}.ports[${j}].protocol`, `ACI supports TCP and UDP, not ${quoted(protocol)}`);
      return [];
    }
    return [{ port: p.containerPort, protocol }];
  });
}

function volumeMounts(c: V1Container, path: string, volumes: ReadonlySet<string>, problems: ProblemList): { name: string; mountPath: string; readOnly?: boolean }[] {
  return (c.volumeMounts ?? []).map((m, j) => {
    const at = `${path}.volumeMounts[${j}]`;
    if (!m.name) problems.add(`${at}.name`, "is required");
    else if (!volumes.has(m.name)) problems.add(`${at}.name`, `the pod has no volume named ${quoted(m.name)}`);
    if (!m.mountPath) problems.add(`${at}.mountPath`, "is required");
    if (m.subPath !== undefined || m.subPathExpr !== undefined) problems.add(`${at}.subPath`, "ACI mounts whole volumes only");
    return { name: m.name, mountPath: m.mountPath, ...(m.readOnly === true && { readOnly: true }) };
  });
}

/** The pod's DNS name label (ours, else azure-aci's annotation), and the field a problem names. */
function dnsNameLabelOf(pod: V1Pod): { dnsNameLabel?: string; dnsNameLabelField?: string } {
  const annotations = pod.metadata?.annotations ?? {};
  const dnsNameLabel = dnsNameLabelAnnotations.map((a) => annotations[a]).find((v) => v !== undefined);
  return dnsNameLabel === undefined ? {} : { dnsNameLabel, dnsNameLabelField: `metadata.annotations["${dnsNameLabelAnnotations[0]}"]` };
}

/** Every container port on the group's IP: public unless a subnet is configured. */
function network(pod: V1Pod, containers: ArmContainer[], settings: TranslationSettings, problems: ProblemList): Pick<ArmContainerGroup["properties"], "ipAddress" | "subnetIds"> {
  const seen = new Set<string>();
  const ports = containers.flatMap((c) => c.properties.ports ?? []).filter((p) => !seen.has(`${p.protocol}/${p.port}`) && seen.add(`${p.protocol}/${p.port}`));
  const dnsNameLabel = dnsNameLabelOf(pod).dnsNameLabel;
  if (ports.length > maxPortsPerIp) problems.add("spec.containers[*].ports", `ACI exposes at most ${maxPortsPerIp} ports on a container group's IP; the pod has ${ports.length}`);
  if (dnsNameLabel !== undefined && !/^[a-z][a-z0-9-]{3,61}[a-z0-9]$/.test(dnsNameLabel)) {
    problems.add(`metadata.annotations["${dnsNameLabelAnnotations[0]}"]`, "a DNS name label is 5-63 lowercase letters, digits and hyphens, starting with a letter");
  }
  if (settings.subnetId !== undefined) {
    if (dnsNameLabel !== undefined) problems.add(`metadata.annotations["${dnsNameLabelAnnotations[0]}"]`, "a DNS name label needs a public IP; this connector deploys into a subnet");
    return { subnetIds: [{ id: settings.subnetId }], ...(ports.length > 0 && { ipAddress: { type: "Private", ports } }) };
  }
  if (ports.length === 0) return {};
  return { ipAddress: { type: "Public", ports, ...(dnsNameLabel !== undefined && { dnsNameLabel }) } };
}

/** The user-assigned identities the group must carry (each once, in order), or none. */
function groupIdentity(resourceIds: readonly string[]): ArmGroupIdentity | undefined {
  if (resourceIds.length === 0) return undefined;
  // Resource ids are case-insensitive in ARM: one identity named twice in different cases is carried once.
  const unique = [...new Map(resourceIds.map((id) => [id.toLowerCase(), id])).values()];
  return { type: "UserAssigned", userAssignedIdentities: Object.fromEntries(unique.map((id) => [id, {}])) };
}
