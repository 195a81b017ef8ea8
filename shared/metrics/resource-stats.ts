// The kubelet's resource statistics of a virtual node (the Summary API's shape, which the kubelet's
// /metrics/resource is also made from): each running container's CPU counter and working set from ACI's
// per-minute usage, summed per pod and per node. Pure.
import type { V1Pod } from "@kubernetes/client-node";
import { containerGroupName } from "../translate/naming.js";
import { counterOrigin, cpuCounter, latestMemory, type CounterSample, type MemorySample, type UsageMinute } from "./cpu-counter.js";

export interface ContainerStats {
  readonly name: string;
  /** The CPU counter's origin (the container's start, moved forward by whole periods). */
  readonly startTime: number;
  readonly cpu?: CounterSample;
  readonly memory?: MemorySample;
}

export interface PodStats {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly startTime?: number;
  readonly containers: readonly ContainerStats[];
  readonly cpu?: CounterSample;
  readonly memory?: MemorySample;
}

export interface NodeStats {
  readonly nodeName: string;
  readonly startTime?: number;
  readonly cpu?: CounterSample;
  readonly memory?: MemorySample;
}

export interface ResourceStats {
  readonly node: NodeStats;
  readonly pods: readonly PodStats[];
}

/** A pod's container group and its running containers with their start, as the pod's status says. */
export function runningContainers(pod: V1Pod): { group: string; containers: { name: string; startedAt: number }[] } | undefined {
  const { namespace, name, uid } = pod.metadata ?? {};
  if (namespace === undefined || name === undefined || uid === undefined) return undefined;
  const containers = (pod.status?.containerStatuses ?? []).flatMap((c) => {
    const started = c.state?.running?.startedAt;
    return started === undefined ? [] : [{ name: c.name, startedAt: new Date(started).getTime() }];
  });
  return containers.length === 0 ? undefined : { group: containerGroupName({ namespace, name, uid }), containers };
}

export function resourceStats(input: {
  nodeName: string;
  pods: readonly V1Pod[];
  /** Each group's containers' minutes (undefined: not read, so its containers have no samples). */
  usageOf: (group: string) => ReadonlyMap<string, readonly UsageMinute[]> | undefined;
  now: number;
  counterPeriodMs: number;
}): ResourceStats {
  const pods: PodStats[] = [];
  for (const pod of input.pods) {
    const running = runningContainers(pod);
    if (running === undefined) continue;
    const usage = input.usageOf(running.group);
    const containers = running.containers.map((c): ContainerStats => {
      const minutes = usage?.get(c.name) ?? [];
      const startTime = counterOrigin(c.startedAt, input.now, input.counterPeriodMs);
      const cpu = cpuCounter(minutes, startTime);
      const memory = latestMemory(minutes, c.startedAt);
      return { name: c.name, startTime, ...(cpu !== undefined && { cpu }), ...(memory !== undefined && { memory }) };
    });
    const cpu = sumCpu(containers.map((c) => c.cpu));
    const memory = sumMemory(containers.map((c) => c.memory));
    const started = pod.status?.startTime;
    pods.push({
      namespace: pod.metadata!.namespace!,
      name: pod.metadata!.name!,
      uid: pod.metadata!.uid!,
      ...(started !== undefined && { startTime: new Date(started).getTime() }),
      containers,
      ...(cpu !== undefined && { cpu }),
      ...(memory !== undefined && { memory }),
    });
  }
  const cpu = sumCpu(pods.map((p) => p.cpu));
  const memory = sumMemory(pods.map((p) => p.memory));
  const starts = pods.flatMap((p) => p.containers.map((c) => c.startTime));
  return {
    node: { nodeName: input.nodeName, ...(starts.length > 0 && { startTime: Math.min(...starts) }), ...(cpu !== undefined && { cpu }), ...(memory !== undefined && { memory }) },
    pods,
  };
}

function sumCpu(samples: readonly (CounterSample | undefined)[]): CounterSample | undefined {
  const present = samples.filter((s): s is CounterSample => s !== undefined);
  if (present.length === 0) return undefined;
  return { coreSeconds: present.reduce((s, c) => s + c.coreSeconds, 0), cores: present.reduce((s, c) => s + c.cores, 0), at: Math.max(...present.map((c) => c.at)) };
}

function sumMemory(samples: readonly (MemorySample | undefined)[]): MemorySample | undefined {
  const present = samples.filter((s): s is MemorySample => s !== undefined);
  if (present.length === 0) return undefined;
  return { bytes: present.reduce((s, m) => s + m.bytes, 0), at: Math.max(...present.map((m) => m.at)) };
}
