// How stale a running pod's status can be, published on each virtual node where a user sees it
// (`kubectl describe node`): ACI raises no event when a container exits, so its pod learns of it only
// when reconcile reads the group again, and that pace depends on the pods and the read budget.
import { annotateEveryNode, type NodeAsItself } from "./node-annotations.js";
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
export function statusRefreshPublisher(input: { nodes: () => readonly NodeAsItself[]; log: () => Logger }): StatusRefreshPublisher {
  let written: string | undefined;
  return {
    async publish(refreshSeconds, options = {}) {
      const value = refreshSeconds === undefined ? "unknown" : String(refreshSeconds);
      if (value === written) return;
      const everyNode = await annotateEveryNode(input.nodes(), { name: statusRefreshAnnotation, value, what: "the status refresh time" }, input.log(), options);
      // A node that missed it is written again next tick.
      if (everyNode) written = value;
    },
  };
}
