// The kubelet's Summary API (/stats/summary, k8s.io/kubelet/pkg/apis/stats/v1alpha1) for a virtual node,
// for tools that still read it: node, pods and containers with cpu {time, usageNanoCores,
// usageCoreNanoSeconds} and memory {time, workingSetBytes, usageBytes}. ACI publishes one memory figure,
// given as both. Times as metav1.Time marshals them (RFC 3339, whole seconds). Pure.
import type { CounterSample, MemorySample } from "./cpu-counter.js";
import type { ResourceStats } from "./resource-stats.js";

const time = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z");
const cpuOf = (c: CounterSample | undefined) =>
  c === undefined ? undefined : { time: time(c.at), usageNanoCores: Math.round(c.cores * 1e9), usageCoreNanoSeconds: Math.round(c.coreSeconds * 1e9) };
const memoryOf = (m: MemorySample | undefined) => (m === undefined ? undefined : { time: time(m.at), workingSetBytes: m.bytes, usageBytes: m.bytes });

export function statsSummary(stats: ResourceStats) {
  const { node, pods } = stats;
  return {
    node: {
      nodeName: node.nodeName,
      ...(node.startTime !== undefined && { startTime: time(node.startTime) }),
      ...(node.cpu !== undefined && { cpu: cpuOf(node.cpu) }),
      ...(node.memory !== undefined && { memory: memoryOf(node.memory) }),
    },
    pods: pods.map((p) => ({
      podRef: { name: p.name, namespace: p.namespace, uid: p.uid },
      ...(p.startTime !== undefined && { startTime: time(p.startTime) }),
      containers: p.containers.map((c) => ({
        name: c.name,
        startTime: time(c.startTime),
        ...(c.cpu !== undefined && { cpu: cpuOf(c.cpu) }),
        ...(c.memory !== undefined && { memory: memoryOf(c.memory) }),
      })),
      ...(p.cpu !== undefined && { cpu: cpuOf(p.cpu) }),
      ...(p.memory !== undefined && { memory: memoryOf(p.memory) }),
    })),
  };
}
