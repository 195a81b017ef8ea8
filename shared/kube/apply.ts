// Server-side apply of manifests, as `kubectl apply --server-side` does: idempotent, so install can
// run any number of times, and owned by one field manager.
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { isNotFound, isPreconditionFailed, unlessNotFound } from "./errors.js";

export const fieldManager = "aci-connector";

export async function applyObjects(kubeConfig: KubeConfig, objects: readonly KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const object of objects) {
    await client.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
  }
}

/** Whether the object carries every one of these labels, with these values. */
export function hasLabels(object: KubernetesObject, labels: Readonly<Record<string, string>>): boolean {
  const actual = object.metadata?.labels ?? {};
  return Object.entries(labels).every(([key, value]) => actual[key] === value);
}

export interface LabelledDeletion {
  /** Deleted, as `Kind/name`. */
  readonly deleted: string[];
  /** Found without the labels (someone else's, or made by hand) or replaced while this ran: left as it is. */
  readonly kept: string[];
}

/**
 * Deletes each object that exists and carries `labels`; a namesake without them is not ours and is
 * kept. The delete holds only for the very object read (a UID precondition), so one replaced in
 * between is kept too.
 */
export async function deleteLabelledObjects(kubeConfig: KubeConfig, objects: readonly KubernetesObject[], labels: Readonly<Record<string, string>>): Promise<LabelledDeletion> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const result: LabelledDeletion = { deleted: [], kept: [] };
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name}`;
    const live = await unlessNotFound(client.read({ apiVersion: object.apiVersion!, kind: object.kind!, metadata: { name: object.metadata!.name!, namespace: object.metadata?.namespace } }));
    if (live === undefined) continue;
    if (!hasLabels(live, labels)) {
      result.kept.push(name);
      continue;
    }
    try {
      await client.delete(object, undefined, undefined, undefined, undefined, undefined, { preconditions: { uid: live.metadata?.uid } });
      result.deleted.push(name);
    } catch (error) {
      if (isPreconditionFailed(error)) result.kept.push(name);
      else if (!isNotFound(error)) throw error;
    }
  }
  return result;
}
