// How stale a running pod's status can be, published on each virtual node where a user sees it
// (`kubectl describe node`): ACI raises no event when a container exits, so its pod learns of it only
// when reconcile reads the group again, and that pace depends on the pods and the read budget.
import type { NodeClient } from "../kube/node-client.js";
import type { Logger } from "../runtime/logger.js";

/**
 * Seconds: every running pod's status is re-read at least this often at the current pace; "unknown"
 * when the last tick had no read left for running pods (the README's "Status freshness").
 */
export const statusRefreshAnnotation = "aci-connector.io/status-refresh-seconds";

export interface StatusRefreshPublisher {
  /** Writes the pace on every node when it changed since the last write. Never fails. */
  publish(refreshSeconds: number | undefined, options?: { abortSignal?: AbortSignal }): Promise<void>;
}

/** `nodes`: the connector's nodes, each with a client acting as that node (a kubelet may patch its own node). */
export function statusRefreshPublisher(input: { nodes: () => readonly { name: string; client: NodeClient }[]; log: () => Logger }): StatusRefreshPublisher {
  let written: string | undefined;
  return {
    async publish(refreshSeconds, options = {}) {
      const value = refreshSeconds === undefined ? "unknown" : String(refreshSeconds);
      if (value === written) return;
      let failed = false;
      for (const { name, client } of input.nodes()) {
        try {
          await client.patchNodeAnnotations(name, { [statusRefreshAnnotation]: value }, options);
        } catch (error) {
          failed = true;
          input.log().warn("could not publish the status refresh time", { node: name, error: (error as Error).message });
        }
      }
      // A node that missed it is written again next tick.
      if (!failed) written = value;
    },
  };
}
