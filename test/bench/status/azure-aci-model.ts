// A model of azure-aci v1.6.4 (github.com/virtual-kubelet/azure-aci, tag v1.6.4, commit 382bbaa) and the
// virtual-kubelet v1.11.0 pod controller it runs on (its go.mod), for the side-by-side status benchmark:
// the same ARM calls at the same intervals, through the real @azure/arm-containerinstance client, and the
// same pod status writes to the API server. What it sends in a PUT and how it words a status do not
// change when it reads or writes, so the group's body is a plain one with azure-aci's name and tags, and
// the status is our own translation (shared/translate): the model is for when, not for what.
//
// Its calls, with where azure-aci and virtual-kubelet make them (files at those tags):
// - status loop: a timer of 5 s (pkg/provider/podsTracker.go:29 statusUpdatesInterval), re-armed only
//   after a pass has finished (podsTracker.go:71-73), so a pass that takes T seconds makes a tick every
//   5 + T s. A pass walks the node's pods from the informer's cache, one after another
//   (podsTracker.go:110-120), and for each:
//     1. a GET of its group for its events, every pod, finished or not (podsTracker.go:159
//        FetchPodEvents -> pkg/provider/aci.go:857 GetContainerGroup -> pkg/client/client_apis.go:109);
//     2. unless the pod is Succeeded, Failed, ProviderFailed or being deleted (podsTracker.go:175,
//        220-225), a second GET of its group for its status (podsTracker.go:180 FetchPodStatus ->
//        aci.go:705 GetContainerGroupInfo -> client_apis.go:161);
//     3. the status handed to virtual-kubelet (podsTracker.go:118 updateCb = NotifyPods' callback,
//        aci.go:806-808), which writes it with an UpdateStatus (virtual-kubelet node/pod.go:245) only when
//        it differs from the last one the provider gave (node/pod.go:322) and the pod is not finished
//        (node/pod.go:198-205);
//     4. a group not found while the pod is Running: the pod is failed, reason NotFound (podsTracker.go:186-210).
// - clean-up: a timer of 5 min (podsTracker.go:30 cleanupInterval) in the same select as the status loop
//   (podsTracker.go:67-77), so it delays it: the paged list (aci.go:725 -> client_apis.go:190), a GET of
//   every listed group (aci.go:742, "the list result doesn't return InstanceView"), and a DELETE of each
//   group whose pod is gone (podsTracker.go:146 CleanupPod -> aci.go:487).
// - create: virtual-kubelet's pod sync asks the provider for the pod first (node/pod.go:86 GetPod ->
//   aci.go:534 -> a GET, client_apis.go:161) and creates it when it has none (node/pod.go:100 CreatePod ->
//   aci.go:419 -> one PUT, client_apis.go:142, not waiting for the operation). 50 pod sync workers
//   (cmd/virtual-kubelet/main.go:67 numberOfWorkers). A failed sync is retried with the workqueue's
//   default rate limiter (node/podcontroller.go:224-231: per item 5 ms doubling up to 1000 s).
// - delete: a pod with a deletion timestamp is deleted in the provider (node/pod.go:566 -> aci.go:487, one
//   DELETE, client_apis.go:238, not waiting for the operation), its running containers written as
//   terminated (aci.go:493-519 through the same status path), and the pod deleted from the API server
//   with grace 0 after the pod's grace period (node/podcontroller.go:575, node/pod.go:408-410); at once
//   when the pod no longer runs (node/podcontroller.go:535-538).
// - ARM's 429s: no retry of its own; the Go SDK's default retry policy (3 retries, Retry-After honoured)
//   and, after that, the next pass (podsTracker.go:171-172, 214-216: failures are logged).
import { ListWatch, Watch, CoreV1Api, type KubeConfig, type V1Pod, type V1PodStatus } from "@kubernetes/client-node";
import type { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { nodesGroup, nodeUser } from "../../../shared/kube/node-identity.js";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";

export const azureAciIntervals = {
  /** podsTracker.go:29 statusUpdatesInterval. */
  statusUpdatesMs: 5_000,
  /** podsTracker.go:30 cleanupInterval. */
  cleanupMs: 300_000,
  /** cmd/virtual-kubelet/main.go:67 numberOfWorkers. */
  podSyncWorkers: 50,
  /** client-go workqueue.DefaultControllerRateLimiter's per-item back-off (virtual-kubelet node/podcontroller.go:224-231). */
  retryFirstMs: 5,
  retryMaxMs: 1_000_000,
} as const;

/**
 * The Go SDK's default retry policy (azcore policy.RetryOptions: MaxRetries 3, RetryDelay 800 ms,
 * MaxRetryDelay 60 s; a Retry-After is honoured), which azure-aci keeps (pkg/client/aci.go passes no
 * retry options), for the model's SDK client.
 */
export const goSdkRetry = { maxRetries: 3, retryDelayInMs: 800, maxRetryDelayInMs: 60_000 } as const;

export interface AzureAciModelOptions {
  /** The model's own identity in the cluster: the node's (its pods, their status, their deletion). */
  readonly kubeConfig: KubeConfig;
  readonly nodeName: string;
  /** The real SDK client, with goSdkRetry. */
  readonly arm: ContainerInstanceManagementClient;
  readonly resourceGroup: string;
  readonly location: string;
  /** Errors the model logs and goes on after, as azure-aci does (counted for the report). */
  readonly onError?: (what: string, error: unknown) => void;
}

export interface AzureAciModel {
  /** The group azure-aci names for a pod: `<namespace>-<name>` (aci.go:460-462). */
  groupOf(pod: V1Pod): string;
  /** Status passes completed. */
  passes(): number;
  stop(): Promise<void>;
}

/**
 * The node's kubeconfig (kubeConfigAsNode) impersonates in the API clients only; client-node's Watch
 * builds its request with applyToFetchOptions, so a watch would go as the connector's own user.
 */
function watchingAsNode(asNode: KubeConfig, nodeName: string): KubeConfig {
  const apply = asNode.applyToFetchOptions.bind(asNode);
  asNode.applyToFetchOptions = async (opts) => {
    const init = await apply(opts);
    // client-node's applyToFetchOptions builds a Headers object (its config.js).
    const headers = init.headers as unknown as { set(name: string, value: string): void };
    headers.set("Impersonate-User", nodeUser(nodeName));
    headers.set("Impersonate-Group", nodesGroup);
    return init;
  };
  return asNode;
}

const keyOf = (pod: V1Pod) => `${pod.metadata!.namespace}/${pod.metadata!.name}`;
const groupName = (namespace: string, name: string) => `${namespace}-${name}`;
const isNotFound = (error: unknown) => (error as { statusCode?: number }).statusCode === 404;
const finished = (pod: V1Pod) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
const running = (pod: V1Pod) => pod.status?.phase === "Running" || (pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed" && (pod.status?.containerStatuses ?? []).some((c) => c.state?.running !== undefined));

export async function startAzureAciModel(options: AzureAciModelOptions): Promise<AzureAciModel> {
  const { arm, resourceGroup, nodeName } = options;
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const onError = options.onError ?? (() => undefined);
  let stopped = false;
  let passes = 0;

  // The pod informer virtual-kubelet runs for the node (only this node's pods, by field selector).
  const path = "/api/v1/pods";
  const fieldSelector = `spec.nodeName=${nodeName}`;
  const informer = new ListWatch<V1Pod>(path, new Watch(watchingAsNode(options.kubeConfig, nodeName)), () => core.listPodForAllNamespaces({ fieldSelector }), false, undefined, fieldSelector);
  informer.on("error", (error) => {
    onError("informer", error);
    if (!stopped) setTimeout(() => void informer.start().catch((e: unknown) => onError("informer", e)), 1000);
  });

  /** GET of the group's wire answer through the SDK (its onResponse keeps the JSON as ARM sent it). */
  async function getGroup(name: string): Promise<ObservedContainerGroup | undefined> {
    let wire: ObservedContainerGroup | undefined;
    try {
      await arm.containerGroups.get(resourceGroup, name, { onResponse: (raw) => void (wire = JSON.parse(raw.bodyAsText ?? "{}") as ObservedContainerGroup) });
      return wire;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  // virtual-kubelet's lastPodStatusReceivedFromProvider, per pod (node/pod.go:322-328).
  const lastFromProvider = new Map<string, { status: V1PodStatus; at: Date }>();
  async function notify(pod: V1Pod, status: V1PodStatus): Promise<void> {
    const key = keyOf(pod);
    if (finished(pod)) return; // node/pod.go:198-205
    await core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body: { ...pod, metadata: { ...pod.metadata, resourceVersion: undefined }, status } });
    lastFromProvider.set(key, { status, at: new Date() });
  }
  /** The status from a group, and whether it differs from the last one given (translated at that moment, so the clock alone is no change). */
  function statusChange(pod: V1Pod, group: ObservedContainerGroup): V1PodStatus | undefined {
    const last = lastFromProvider.get(keyOf(pod));
    if (last !== undefined && JSON.stringify(containerGroupToPodStatus(group, pod, last.at)) === JSON.stringify(last.status)) return undefined;
    return containerGroupToPodStatus(group, pod, new Date());
  }

  async function updatePod(pod: V1Pod): Promise<void> {
    const name = groupName(pod.metadata!.namespace!, pod.metadata!.name!);
    await getGroup(name).catch((e: unknown) => onError("events", e)); // 1. events (podsTracker.go:159)
    if (finished(pod) || pod.status?.reason === "ProviderFailed" || pod.metadata?.deletionTimestamp !== undefined) return; // podsTracker.go:175
    let group: ObservedContainerGroup | undefined;
    try {
      group = await getGroup(name); // 2. status (podsTracker.go:180)
    } catch (error) {
      return onError("status", error);
    }
    if (group === undefined) {
      // 4. podsTracker.go:186-210: only a pod that was Running is failed.
      if (pod.status?.phase !== "Running") return;
      const now = new Date();
      const status: V1PodStatus = {
        ...pod.status,
        phase: "Failed",
        reason: "NotFound",
        message: "The pod may have been deleted from the provider",
        containerStatuses: (pod.status.containerStatuses ?? []).map((c) =>
          c.state?.running === undefined ? c : { ...c, state: { terminated: { exitCode: -137, reason: "NotFound", message: "The pod may have been deleted from the provider", finishedAt: now, startedAt: c.state.running.startedAt } } },
        ),
      };
      return notify(pod, status);
    }
    const status = statusChange(pod, group);
    if (status !== undefined) await notify(pod, status); // 3.
  }

  async function cleanup(): Promise<void> {
    const names: string[] = [];
    for await (const g of arm.containerGroups.listByResourceGroup(resourceGroup)) if (g.name !== undefined) names.push(g.name);
    const known = new Set(informer.list().map((p) => groupName(p.metadata!.namespace!, p.metadata!.name!)));
    for (const name of names) {
      const group = await getGroup(name).catch((e: unknown) => void onError("cleanup get", e)); // aci.go:742
      const tags = (group as { tags?: Record<string, string> } | undefined)?.tags;
      if (group === undefined || tags?.NodeName !== nodeName || known.has(name)) continue;
      await arm.containerGroups.beginDelete(resourceGroup, name).catch((e: unknown) => onError("cleanup delete", e));
    }
  }

  // The tracker's loop: status every 5 s after the last pass ended, clean-up every 5 min, never at once.
  const loop = (async () => {
    let nextStatus = Date.now() + azureAciIntervals.statusUpdatesMs;
    let nextCleanup = Date.now() + azureAciIntervals.cleanupMs;
    while (!stopped) {
      const wait = Math.min(nextStatus, nextCleanup) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 200)));
      if (stopped) break;
      if (Date.now() >= nextStatus) {
        for (const pod of informer.list()) {
          if (stopped) break;
          await updatePod(structuredClone(pod)).catch((e: unknown) => onError("status update", e));
        }
        passes++;
        nextStatus = Date.now() + azureAciIntervals.statusUpdatesMs;
      } else if (Date.now() >= nextCleanup) {
        await cleanup().catch((e: unknown) => onError("cleanup", e));
        nextCleanup = Date.now() + azureAciIntervals.cleanupMs;
      }
    }
  })();

  // virtual-kubelet's pod sync: a queue of pod keys, 50 workers, per-item exponential retry.
  const queue: string[] = [];
  const queued = new Set<string>();
  const created = new Set<string>();
  const deleted = new Set<string>();
  const failures = new Map<string, number>();
  const enqueue = (key: string, delayMs = 0) => {
    if (delayMs > 0) return void setTimeout(() => enqueue(key), delayMs);
    if (queued.has(key) || stopped) return;
    queued.add(key);
    queue.push(key);
  };
  async function syncPod(key: string): Promise<void> {
    const [namespace, name] = key.split("/") as [string, string];
    const pod = informer.get(name, namespace);
    if (pod === undefined) return;
    const group = groupName(namespace, name);
    if (pod.metadata?.deletionTimestamp !== undefined) {
      if (!running(pod)) return forceDelete(pod); // node/podcontroller.go:535-538
      if (deleted.has(key)) return;
      await arm.containerGroups.beginDelete(resourceGroup, group).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
      deleted.add(key);
      // aci.go:493-519: running containers written as terminated, exit code 0, reason NotFound.
      const now = new Date();
      const status: V1PodStatus = {
        ...pod.status,
        containerStatuses: (pod.status?.containerStatuses ?? []).map((c) =>
          c.state?.running === undefined ? c : { ...c, state: { terminated: { exitCode: 0, reason: "NotFound", message: "The pod may have been deleted from the provider", finishedAt: now, startedAt: c.state.running.startedAt } } },
        ),
      };
      await notify(pod, status).catch((e: unknown) => onError("delete status", e));
      setTimeout(() => void forceDelete(pod).catch((e: unknown) => onError("delete pod", e)), (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000); // node/podcontroller.go:575
      return;
    }
    if (finished(pod) || created.has(key)) return;
    if ((await getGroup(group)) === undefined) {
      // aci.go:316-419, a plain group with azure-aci's tags (aci.go:401-407).
      await arm.containerGroups.beginCreateOrUpdate(resourceGroup, group, {
        location: options.location,
        osType: "Linux",
        restartPolicy: pod.spec?.restartPolicy ?? "Always",
        containers: (pod.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? "", resources: { requests: { cpu: 1, memoryInGB: 1.5 } } })),
        tags: { PodName: name, NodeName: nodeName, Namespace: namespace, UID: pod.metadata!.uid!, CreationTimestamp: String(pod.metadata?.creationTimestamp) },
      });
    }
    created.add(key);
  }
  async function forceDelete(pod: V1Pod): Promise<void> {
    await core
      // Grace and precondition in the body, as metav1.NewDeleteOptions(0) sends them: a body overrides the query.
      .deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid! } } })
      .catch((e: unknown) => {
        const code = (e as { code?: number }).code;
        if (code !== 404 && code !== 409) throw e;
      });
  }
  const workers = Array.from({ length: azureAciIntervals.podSyncWorkers }, async () => {
    while (!stopped) {
      const key = queue.shift();
      if (key === undefined) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      queued.delete(key);
      try {
        await syncPod(key);
        failures.delete(key);
      } catch (error) {
        onError("pod sync", error);
        const n = failures.get(key) ?? 0;
        failures.set(key, n + 1);
        enqueue(key, Math.min(azureAciIntervals.retryMaxMs, azureAciIntervals.retryFirstMs * 2 ** n));
      }
    }
  });
  const onPod = (pod: V1Pod) => enqueue(keyOf(pod));
  informer.on("add", onPod);
  informer.on("update", onPod);
  informer.on("delete", (pod) => void lastFromProvider.delete(keyOf(pod)));
  await informer.start();

  return {
    groupOf: (pod) => groupName(pod.metadata!.namespace!, pod.metadata!.name!),
    passes: () => passes,
    async stop() {
      stopped = true;
      await informer.stop();
      await loop;
      await Promise.all(workers);
    },
  };
}
