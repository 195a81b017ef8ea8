// What the connector publishes of itself on its virtual nodes (the status refresh pace, the last
// reconcile tick), written as each node, since a kubelet may annotate its own node.
import type { NodeClient } from "../kube/node-client.js";
import type { Logger } from "../runtime/logger.js";

export interface NodeAsItself {
  readonly name: string;
  readonly client: NodeClient;
}

/**
 * Sets one annotation on every node. Never fails: a node that cannot be written is warned about (as
 * "could not publish `what`"), and the result says whether every node took it, so the caller writes
 * again next tick when one did not.
 */
export async function annotateEveryNode(
  nodes: readonly NodeAsItself[],
  annotation: { name: string; value: string; what: string },
  log: Logger,
  options: { abortSignal?: AbortSignal } = {},
): Promise<boolean> {
  let everyNode = true;
  for (const { name, client } of nodes) {
    try {
      await client.patchNodeAnnotations(name, { [annotation.name]: annotation.value }, options);
    } catch (error) {
      everyNode = false;
      log.warn(`could not publish ${annotation.what}`, { node: name, error: (error as Error).message });
    }
  }
  return everyNode;
}
