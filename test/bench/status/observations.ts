// What the status benchmark measures of one system, from outside it: the emulator's own state read
// in-process (no ARM request, nothing counted), the pods as the API server shows them (one watch, as the
// benchmark's admin), and the emulator's log of answers (reads, 429s). Every moment is this process's
// clock, so the figures of two systems compare.
import { CoreV1Api, ListWatch, Watch, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { readOperations, type AciEmulatorControl } from "../../../dev/emulator/index.js";

/** How often the observer reads the emulator's state: a figure is at most this much over the truth. */
export const observerIntervalMs = 100;

export interface PodTimes {
  /** The last moment the observer saw the group not Running before it saw it Running. */
  aciRunningFrom?: number;
  aciRunningSeen?: number;
  /** When the watch first showed the pod Running. */
  podRunning?: number;
  /** When the exit was injected, and when the watch first showed the container terminated. */
  exitInjected?: number;
  podTerminated?: number;
  /** When the deletion was requested, the group gone from the emulator, the pod gone from the API server. */
  deleteRequested?: number;
  groupGone?: number;
  podGone?: number;
}

export interface Observations {
  /** By pod name. */
  readonly pods: Map<string, PodTimes>;
  times(pod: string): PodTimes;
  stop(): Promise<void>;
}

/**
 * Starts watching `namespace`'s pods and the emulator's groups; `groupOf` names a pod's group as the
 * system under test names it.
 */
export async function observe(options: { admin: KubeConfig; namespace: string; control: AciEmulatorControl; groupOf: (pod: V1Pod) => string }): Promise<Observations> {
  const { control, namespace } = options;
  const pods = new Map<string, PodTimes>();
  const times = (pod: string) => pods.get(pod) ?? (pods.set(pod, {}), pods.get(pod)!);
  const groupToPod = new Map<string, string>();
  let stopped = false;

  const core = options.admin.makeApiClient(CoreV1Api);
  const informer = new ListWatch<V1Pod>(`/api/v1/namespaces/${namespace}/pods`, new Watch(options.admin), () => core.listNamespacedPod({ namespace }), false);
  const seen = (pod: V1Pod) => {
    const name = pod.metadata!.name!;
    const t = times(name);
    groupToPod.set(options.groupOf(pod), name);
    const now = Date.now();
    if (t.podRunning === undefined && pod.status?.phase === "Running") t.podRunning = now;
    if (t.podTerminated === undefined && t.exitInjected !== undefined && (pod.status?.containerStatuses ?? []).some((c) => c.state?.terminated !== undefined)) t.podTerminated = now;
  };
  informer.on("add", seen);
  informer.on("update", seen);
  informer.on("delete", (pod) => void (times(pod.metadata!.name!).podGone ??= Date.now()));
  informer.on("error", () => void (stopped || setTimeout(() => void informer.start().catch(() => undefined), 500)));
  await informer.start();

  const timer = setInterval(() => {
    const now = Date.now();
    const states = control.groupStates();
    for (const [group, pod] of groupToPod) {
      const t = times(pod);
      const state = states[group];
      if (state === undefined) {
        if (t.deleteRequested !== undefined && t.groupGone === undefined) t.groupGone = now;
      } else if (state === "Running") {
        t.aciRunningSeen ??= now;
      } else if (t.aciRunningSeen === undefined) {
        t.aciRunningFrom = now;
      }
    }
  }, observerIntervalMs);

  return {
    pods,
    times,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await informer.stop();
    },
  };
}

export interface ArmTraffic {
  readonly reads: number;
  /** The reads by the emulator's operation name (group GETs, list pages, usages...): where they went. */
  readonly readsByOperation: Readonly<Record<string, number>>;
  /** Container group PUTs sent (429s included): more than the pods created means creations were sent twice. */
  readonly creates: number;
  /** Every 429, and those of them that answered a read. */
  readonly throttled: number;
  readonly throttledReads: number;
}

/** Reads (every GET, 429s included), group PUTs and 429 answers the emulator served between two moments. */
export function armTraffic(control: AciEmulatorControl, from: number, to: number): ArmTraffic {
  const reads = new Set<string>(readOperations);
  let readCount = 0;
  const readsByOperation: Record<string, number> = {};
  let creates = 0;
  let throttled = 0;
  let throttledReads = 0;
  for (const a of control.answers()) {
    if (a.at < from || a.at >= to) continue;
    const read = reads.has(a.operation);
    if (read) {
      readCount++;
      readsByOperation[a.operation] = (readsByOperation[a.operation] ?? 0) + 1;
    }
    if (a.operation === "containerGroups.createOrUpdate") creates++;
    if (a.status !== 429) continue;
    throttled++;
    if (read) throttledReads++;
  }
  return { reads: readCount, readsByOperation, creates, throttled, throttledReads };
}

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
