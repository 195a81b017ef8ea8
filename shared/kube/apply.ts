// Server-side apply of manifests, as `kubectl apply --server-side` does: idempotent, so install can
// run any number of times, and owned by one field manager.
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { isNotFound } from "./errors.js";

export const fieldManager = "aci-connector";

export async function applyObjects(kubeConfig: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const object of objects) {
    await client.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
  }
}

/** Deletes each object that exists; returns the ones it deleted, as `Kind/name`. */
export async function deleteObjects(kubeConfig: KubeConfig, objects: readonly KubernetesObject[]): Promise<string[]> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const deleted: string[] = [];
  for (const object of objects) {
    try {
      await client.delete(object);
      deleted.push(`${object.kind}/${object.metadata?.name}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return deleted;
}
