// The Kubernetes calls the node controller makes: its Node objects, their status and their Leases.
// Thin on purpose: decisions live in shared/controller/.
import {
  CoordinationV1Api,
  CoreV1Api,
  V1MicroTime,
  VersionApi,
  type KubeConfig,
  type V1Node,
  type V1NodeStatus,
  type V1Taint,
} from "@kubernetes/client-node";
import { deletedUnlessNotFound, isConflict, isNotFound, unlessNotFound } from "./errors.js";
import { PatchStrategy, requestOptions, type KubeRequestOptions } from "./request-options.js";

/** Node heartbeats live here, one Lease per node, named after it. */
export const nodeLeaseNamespace = "kube-node-lease";

export interface LeaseRenewal {
  readonly nodeName: string;
  readonly nodeUid: string;
  readonly durationSeconds: number;
  readonly renewTime: Date;
}

export interface NodeClient {
  /** The node, or undefined when it does not exist. */
  getNode(name: string, options?: KubeRequestOptions): Promise<V1Node | undefined>;
  /** Creates the node with its status (nodes may be created with status, as a kubelet registers). */
  createNode(node: V1Node, options?: KubeRequestOptions): Promise<V1Node>;
  /** Merges status (conditions by type) through the nodes/status subresource. */
  patchNodeStatus(name: string, status: V1NodeStatus, options?: KubeRequestOptions): Promise<void>;
  /**
   * Replaces the node's taints, only if the node is still at `resourceVersion` (409 otherwise), so a
   * taint someone else added in between is never lost.
   */
  replaceNodeTaints(name: string, taints: readonly V1Taint[], resourceVersion: string, options?: KubeRequestOptions): Promise<void>;
  /** Sets (or, with null, removes) annotations on the node. */
  patchNodeAnnotations(name: string, annotations: Readonly<Record<string, string | null>>, options?: KubeRequestOptions): Promise<void>;
  /** Deletes the node; false when it was already gone. */
  deleteNode(name: string, options?: KubeRequestOptions): Promise<boolean>;
  /** Moves the Lease's renewTime forward, creating the Lease (owned by the node) when it is missing. */
  renewLease(renewal: LeaseRenewal, options?: KubeRequestOptions): Promise<void>;
  /** Deletes the node's Lease; false when it was already gone. */
  deleteLease(nodeName: string, options?: KubeRequestOptions): Promise<boolean>;
  /** The API server's version, e.g. v1.34.4. */
  serverVersion(options?: KubeRequestOptions): Promise<string>;
}

export function createNodeClient(kubeConfig: KubeConfig): NodeClient {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const coordination = kubeConfig.makeApiClient(CoordinationV1Api);
  const version = kubeConfig.makeApiClient(VersionApi);
  return {
    getNode: (name, options) => unlessNotFound(core.readNode({ name }, requestOptions(options))),
    createNode: (node, options) => core.createNode({ body: node }, requestOptions(options)),
    async patchNodeStatus(name, status, options) {
      await core.patchNodeStatus({ name, body: { status } }, requestOptions({ ...options, patch: PatchStrategy.StrategicMergePatch }));
    },
    async replaceNodeTaints(name, taints, resourceVersion, options) {
      // A merge patch replaces the whole list (taints have no merge key); the resourceVersion makes it
      // a compare-and-swap.
      await core.patchNode(
        { name, body: { metadata: { resourceVersion }, spec: { taints } } },
        requestOptions({ ...options, patch: PatchStrategy.MergePatch }),
      );
    },
    async patchNodeAnnotations(name, annotations, options) {
      await core.patchNode({ name, body: { metadata: { annotations } } }, requestOptions({ ...options, patch: PatchStrategy.MergePatch }));
    },
    deleteNode: (name, options) => deletedUnlessNotFound(core.deleteNode({ name }, requestOptions(options))),
    async renewLease(renewal, options) {
      const spec = {
        holderIdentity: renewal.nodeName,
        leaseDurationSeconds: renewal.durationSeconds,
        // MicroTime: the API server refuses a renewTime without microseconds.
        renewTime: new V1MicroTime(renewal.renewTime.getTime()),
      };
      try {
        await coordination.patchNamespacedLease(
          { name: renewal.nodeName, namespace: nodeLeaseNamespace, body: { spec } },
          requestOptions({ ...options, patch: PatchStrategy.MergePatch }),
        );
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      try {
        await coordination.createNamespacedLease(
          {
            namespace: nodeLeaseNamespace,
            body: {
              metadata: {
                name: renewal.nodeName,
                namespace: nodeLeaseNamespace,
                // Owned by the node, so deleting the node lets the garbage collector take the Lease too.
                ownerReferences: [{ apiVersion: "v1", kind: "Node", name: renewal.nodeName, uid: renewal.nodeUid }],
              },
              spec,
            },
          },
          requestOptions(options),
        );
      } catch (error) {
        // Another invocation created it between our patch and create: its renewal is as good as ours.
        if (!isConflict(error)) throw error;
      }
    },
    deleteLease: (nodeName, options) =>
      deletedUnlessNotFound(coordination.deleteNamespacedLease({ name: nodeName, namespace: nodeLeaseNamespace }, requestOptions(options))),
    async serverVersion(options) {
      const info = await version.getCode(requestOptions(options));
      return info.gitVersion;
    },
  };
}
