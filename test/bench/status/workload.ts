// The status benchmark's workload, the same for every system: N pods bound by name to the system's node
// (spec.nodeName set at creation, so the scheduler is not what is measured: at 10,000 pods it would be
// the bottleneck), restartPolicy Never so an exit ends the container for good and the pod shows it
// terminated; then container exits injected in the emulator at moments drawn from a seeded generator,
// and deletions of some running pods.
import { CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";

export const benchNamespace = "status-bench";
const podName = (i: number) => `status-${String(i).padStart(5, "0")}`;

/** A small seeded generator (mulberry32), so every system gets the same exits at the same moments. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Plan {
  /** Pod index and the offset (ms from the window's start) at which its container exits. */
  readonly exits: readonly { readonly pod: string; readonly atMs: number; readonly exitCode: number }[];
  /** Pods deleted after the window (none of them exited). */
  readonly deletions: readonly string[];
}

/**
 * Which pods exit when, and which are deleted: `exitCount` distinct pods exit at moments spread over the
 * first half of the window (the second half lets the slowest poller see them), `deleteCount` others are
 * deleted after it.
 */
export function planWorkload(options: { pods: number; exitCount: number; deleteCount: number; windowMs: number; seed: number }): Plan {
  const random = seededRandom(options.seed);
  const order = Array.from({ length: options.pods }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const exits = order.slice(0, options.exitCount).map((i) => ({ pod: podName(i), atMs: Math.floor(random() * (options.windowMs / 2)), exitCode: random() < 0.5 ? 0 : 1 }));
  const deletions = order.slice(options.exitCount, options.exitCount + options.deleteCount).map(podName);
  return { exits: exits.sort((a, b) => a.atMs - b.atMs), deletions };
}

/** Creates the namespace (if needed) and N pods bound to `nodeName`, `concurrency` at a time. */
export async function createPods(admin: KubeConfig, options: { pods: number; nodeName: string; concurrency?: number }): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: benchNamespace } } }).catch((e: unknown) => {
    if ((e as { code?: number }).code !== 409) throw e;
  });
  const pod = (i: number): V1Pod => ({
    metadata: { name: podName(i), labels: { app: "status-bench" } },
    spec: {
      nodeName: options.nodeName,
      restartPolicy: "Never",
      containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: "10m", memory: "64Mi" } } }],
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
    },
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 20 }, async () => {
      while (next < options.pods) {
        const i = next++;
        await core.createNamespacedPod({ namespace: benchNamespace, body: pod(i) });
      }
    }),
  );
}

/** Deletes the namespace and waits until it is gone, so the next system starts from nothing. */
export async function removeNamespace(admin: KubeConfig, timeoutMs: number): Promise<void> {
  const core = admin.makeApiClient(CoreV1Api);
  // Pods are force-deleted: a system that is already stopped would never finish their deletion.
  await core.deleteCollectionNamespacedPod({ namespace: benchNamespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  await core.deleteNamespace({ name: benchNamespace }).catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const gone = await core.readNamespace({ name: benchNamespace }).then(
      () => false,
      (e: unknown) => (e as { code?: number }).code === 404,
    );
    if (gone) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`namespace ${benchNamespace} still there after ${timeoutMs} ms`);
}
