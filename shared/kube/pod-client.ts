// The Kubernetes calls the pod controllers make: read pods and what they reference, write their status,
// finish their deletion as a kubelet does, and record Events for users. Decisions live in shared/controller/.
// The connector makes them as the pod's virtual node (node-identity.ts), so every call here is one a
// kubelet may make: its own pods (by GET, or by the node's field selector when the node graph lags),
// Events in core/v1 (the Node authorizer allows those, not events.k8s.io).
import { randomBytes } from "node:crypto";
import {
  CoreV1Api,
  type KubeConfig,
  type V1ConfigMap,
  type V1Pod,
  type V1PodStatus,
  type V1Secret,
} from "@kubernetes/client-node";
import { isForbidden, isNotFound, isPreconditionFailed, isUidMismatch, unlessNotFound } from "./errors.js";
import { PatchStrategy, requestOptions, type KubeRequestOptions } from "./request-options.js";

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
}

export interface PodEvent {
  readonly pod: V1Pod;
  readonly type: "Normal" | "Warning";
  /** UpperCamelCase, e.g. ContainerGroupCreated, ProviderCreateFailed. */
  readonly reason: string;
  /** What happened, for a user; never a secret value. */
  readonly note: string;
  /** The component that reports, e.g. the virtual node's name. */
  readonly reportingInstance: string;
}

export interface PodClient {
  /**
   * The pod, if it exists and is bound to `nodeName`. A GET first (one object, whatever the pods on the
   * node); but as a node a GET is authorized only once the API server's node graph relates the pod to
   * it, so it answers 403, not 404, for a pod that is gone, not yet bound, or bound a moment ago. Then a
   * list by field selectors decides: a node may always list its own pods by `spec.nodeName`. With
   * `listIfUnrelated: false` a 403 answers undefined without that list (it filters every pod on the
   * node): for a caller that will look again anyway.
   */
  findPodOnNode(ref: PodRef, nodeName: string, options?: KubeRequestOptions & { listIfUnrelated?: boolean }): Promise<V1Pod | undefined>;
  /**
   * Every pod bound to the node, in all namespaces (a list by field selector), from the API server's
   * watch cache: possibly a moment old, so nothing may be destroyed on its word alone.
   */
  listPodsOnNode(nodeName: string, options?: KubeRequestOptions): Promise<V1Pod[]>;
  getSecret(ref: PodRef, options?: KubeRequestOptions): Promise<V1Secret | undefined>;
  getConfigMap(ref: PodRef, options?: KubeRequestOptions): Promise<V1ConfigMap | undefined>;
  /**
   * Writes status through pods/status; conditions and container statuses merge by their keys. Only to
   * the pod with this UID, as a kubelet's status manager writes (the UID in the patch is a precondition
   * the API server checks): false, and nothing written, when the pod is gone or a namesake replaced it.
   */
  patchPodStatus(ref: PodRef & { uid: string }, status: V1PodStatus, options?: KubeRequestOptions): Promise<boolean>;
  /**
   * Deletes the pod now (grace period 0), only if it is still the pod with this UID: a namesake created
   * since is never touched. Returns false when it was gone or replaced.
   */
  deletePodNow(ref: PodRef & { uid: string }, options?: KubeRequestOptions): Promise<boolean>;
  recordEvent(event: PodEvent, options?: KubeRequestOptions): Promise<void>;
}

export function createPodClient(kubeConfig: KubeConfig, reportingComponent = "aci-connector"): PodClient {
  const core = kubeConfig.makeApiClient(CoreV1Api);

  return {
    async findPodOnNode(ref, nodeName, options) {
      try {
        const pod = await unlessNotFound(core.readNamespacedPod(ref, requestOptions(options)));
        return pod?.spec?.nodeName === nodeName ? pod : undefined;
      } catch (error) {
        if (!isForbidden(error)) throw error;
        if (options?.listIfUnrelated === false) return undefined;
      }
      const list = await core.listNamespacedPod(
        { namespace: ref.namespace, fieldSelector: `metadata.name=${ref.name},spec.nodeName=${nodeName}` },
        requestOptions(options),
      );
      return list.items[0];
    },
    async listPodsOnNode(nodeName, options) {
      const pods: V1Pod[] = [];
      let _continue: string | undefined;
      do {
        // From the API server's watch cache, as a kubelet's own informer lists its pods: resourceVersion
        // "0" means "any version" (https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list),
        // served from memory through the cache's spec.nodeName index, with no request to etcd (a list
        // without it is a consistent read: etcd is asked for its current revision on every page). The
        // answer may be slightly old; reconcile never destroys on a list's word (it reads a pod again
        // before deleting its group, and a group before failing its pod), so an old list only delays.
        // The cache may ignore `limit` and answer in one page (kube-apiserver 1.34 does); a server that
        // pages anyway gets its continue token alone, since a token carries the version it continues
        // (the same page: a token with resourceVersion is "invalid").
        const page = await core.listPodForAllNamespaces(
          { fieldSelector: `spec.nodeName=${nodeName}`, limit: 500, ...(_continue === undefined ? { resourceVersion: "0" } : { _continue }) },
          requestOptions(options),
        );
        pods.push(...page.items);
        _continue = page.metadata?._continue || undefined;
      } while (_continue !== undefined);
      return pods;
    },
    getSecret: (ref, options) => unlessNotFound(core.readNamespacedSecret(ref, requestOptions(options))),
    getConfigMap: (ref, options) => unlessNotFound(core.readNamespacedConfigMap(ref, requestOptions(options))),
    async patchPodStatus(ref, status, options) {
      try {
        await core.patchNamespacedPodStatus(
          { namespace: ref.namespace, name: ref.name, body: { metadata: { uid: ref.uid }, status } },
          requestOptions({ ...options, patch: PatchStrategy.StrategicMergePatch }),
        );
        return true;
      } catch (error) {
        if (isNotFound(error) || isUidMismatch(error)) return false;
        throw error;
      }
    },
    async deletePodNow(ref, options) {
      try {
        await core.deleteNamespacedPod(
          { namespace: ref.namespace, name: ref.name, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid: ref.uid } } },
          requestOptions(options),
        );
        return true;
      } catch (error) {
        if (isNotFound(error) || isPreconditionFailed(error)) return false;
        throw error;
      }
    },
    async recordEvent(event, options) {
      const { pod } = event;
      const now = new Date();
      await core.createNamespacedEvent(
        {
          namespace: pod.metadata!.namespace!,
          body: {
            // As a kubelet names them: <pod>.<unique hex>.
            metadata: { name: `${pod.metadata!.name}.${randomBytes(8).toString("hex")}`, namespace: pod.metadata!.namespace! },
            involvedObject: { apiVersion: "v1", kind: "Pod", namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! },
            type: event.type,
            reason: event.reason,
            message: event.note.slice(0, 1024),
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
            source: { component: reportingComponent, host: event.reportingInstance },
            reportingComponent,
            reportingInstance: event.reportingInstance,
          },
        },
        requestOptions(options),
      );
    },
  };
}
