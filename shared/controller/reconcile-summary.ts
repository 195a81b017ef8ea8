// The last reconcile tick's summary, published on each virtual node as the node itself (a kubelet may
// annotate its own node), beside the status refresh time: what `aci-connector status` and
// `kubectl describe node` read of the connector's own state. When to write is decided in
// shared/status/reconcile-summary.ts (at once on a new outcome or error, else once a minute).
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";
import { annotateEveryNode, type NodeAsItself } from "./node-annotations.js";
import { reconcileSummaryAnnotation, summaryWorthWriting, type ReconcileSummary } from "../status/reconcile-summary.js";

export interface ReconcileSummaryPublisher {
  /** Writes the summary on every node when it is worth a write. Never fails. */
  publish(summary: ReconcileSummary, options?: { abortSignal?: AbortSignal }): Promise<void>;
}

/** `nodes`: the connector's nodes, each with a client acting as that node. */
export function reconcileSummaryPublisher(input: { nodes: () => readonly NodeAsItself[]; clock: Clock; log: () => Logger }): ReconcileSummaryPublisher {
  let last: { summary: ReconcileSummary; writtenAtMs: number } | undefined;
  return {
    async publish(summary, options = {}) {
      const now = input.clock.now().getTime();
      if (!summaryWorthWriting(last, summary, now)) return;
      const written = await annotateEveryNode(input.nodes(), { name: reconcileSummaryAnnotation, value: JSON.stringify(summary), what: "the reconcile summary" }, input.log(), options);
      if (written) last = { summary, writtenAtMs: now };
    },
  };
}
