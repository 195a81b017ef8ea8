// CPU, memory and GPU: Kubernetes quantities to ACI's cores and GB, at ACI's granularity.
//
// - Requests default to limits, then to azure-aci's defaults (1 CPU, 1.5 GB).
// - Rounded *up* to 0.01 CPU and 0.1 GB (azure-aci floors, which can give a container less than it
//   requested; a request is a guarantee).
// - A limit above the group's total request is capped there: ACI refuses such a limit, and the group can
//   never give a container more than its total anyway. A limit equal to the request is not sent.
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { ArmResources } from "./arm-types.js";
import { quoted, type ProblemList } from "./problems.js";

export const defaultRequests = { cpu: 1, memoryInGB: 1.5 } as const;
export const gpuTypeAnnotation = "virtual-kubelet.io/gpu-type";
const gpuSkus = ["K80", "P100", "V100"] as const;

const suffixes: Record<string, number> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/**
 * A Kubernetes quantity as a number (e.g. "500m" -> 0.5, "1Gi" -> 1073741824); undefined if it is not
 * one, or is negative, or is 2^63 or more (Kubernetes keeps quantities as 64-bit integers where it can,
 * and anything near that is beyond every container group; far larger ones would overflow when rounded).
 * A manifest's YAML may also give a plain number, or .nan.
 */
export function parseQuantity(text: unknown): number | undefined {
  let value: number | undefined;
  if (typeof text === "number") value = text;
  else if (typeof text === "string") {
    const match = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))([eE][+-]?[0-9]+)?([a-zA-Z]*)$/.exec(text.trim());
    const factor = match === null || !Object.hasOwn(suffixes, match[3]!) ? undefined : suffixes[match[3]!];
    if (match !== null && factor !== undefined) value = Number(`${match[1]}${match[2] ?? ""}`) * factor;
  }
  return value !== undefined && value >= 0 && value < 2 ** 63 ? value : undefined;
}

const roundUp = (value: number, step: number) => Math.round(Math.ceil(value / step - 1e-9) * step * 1000) / 1000;
export const cpuOf = (quantity: number) => Math.max(0.01, roundUp(quantity, 0.01));
export const gbOf = (bytes: number) => Math.max(0.1, roundUp(bytes / 1e9, 0.1));

export interface ContainerResources {
  readonly requests: ArmResources;
  /** Limits as given (before capping), for resourceFieldRef. */
  readonly limits: { cpu: number; memoryInGB: number };
}

export function containerResources(container: V1Container, path: string, pod: V1Pod, problems: ProblemList): ContainerResources {
  const req = container.resources?.requests ?? {};
  const lim = container.resources?.limits ?? {};
  const read = (value: string | undefined, field: string) => {
    const parsed = parseQuantity(value);
    if (value !== undefined && parsed === undefined) problems.add(`${path}.resources.${field}`, `${quoted(value)} is not a quantity ACI can provide (a number from 0 to below 2^63, with an optional suffix such as m, Mi or G)`);
    return parsed;
  };
  const cpuLimit = read(lim.cpu, "limits.cpu");
  const memLimit = read(lim.memory, "limits.memory");
  const cpuRequest = read(req.cpu, "requests.cpu") ?? cpuLimit;
  const memRequest = read(req.memory, "requests.memory") ?? memLimit;
  const requests: ArmResources = {
    cpu: cpuRequest === undefined ? defaultRequests.cpu : cpuOf(cpuRequest),
    memoryInGB: memRequest === undefined ? defaultRequests.memoryInGB : gbOf(memRequest),
  };

  const gpu = lim["nvidia.com/gpu"] ?? req["nvidia.com/gpu"];
  if (gpu !== undefined) {
    const count = Number(gpu);
    const sku = pod.metadata?.annotations?.[gpuTypeAnnotation];
    if (!Number.isInteger(count) || count < 1) problems.add(`${path}.resources.limits["nvidia.com/gpu"]`, `${quoted(gpu)} must be a whole number of GPUs`);
    else if (sku === undefined || !(gpuSkus as readonly string[]).includes(sku)) {
      problems.add(`metadata.annotations["${gpuTypeAnnotation}"]`, `a GPU needs this annotation, one of ${gpuSkus.join(", ")}`);
    } else requests.gpu = { count, sku: sku as (typeof gpuSkus)[number] };
  }
  for (const name of Object.keys({ ...req, ...lim })) {
    if (!["cpu", "memory", "nvidia.com/gpu", "ephemeral-storage"].includes(name)) {
      problems.add(`${path}.resources`, `ACI cannot provide the resource ${quoted(name)}`);
    }
  }
  return {
    requests,
    limits: { cpu: cpuLimit ?? requests.cpu, memoryInGB: memLimit === undefined ? requests.memoryInGB : memLimit / 1e9 },
  };
}

/** The limits to send: capped at the group's total request, omitted where they add nothing. */
export function limitsToSend(resources: ContainerResources, groupTotal: { cpu: number; memoryInGB: number }): Partial<ArmResources> | undefined {
  const cpu = Math.min(cpuOf(resources.limits.cpu), groupTotal.cpu);
  const memoryInGB = Math.min(gbOf(resources.limits.memoryInGB * 1e9), groupTotal.memoryInGB);
  const limits: Partial<ArmResources> = {};
  if (cpu > resources.requests.cpu) limits.cpu = cpu;
  if (memoryInGB > resources.requests.memoryInGB) limits.memoryInGB = memoryInGB;
  return Object.keys(limits).length > 0 ? limits : undefined;
}
