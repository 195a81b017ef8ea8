// How many pods wait for ARM to allow their container group's creation, on each virtual node's own
// condition (`kubectl describe node`, `kubectl get node -o yaml`): a burst beyond ACI's creation quota
// queues on the node, and whoever looks at the node, not only at each pod, sees that and why. A node
// condition of its own, like node-problem-detector's: it informs and never keeps pods off, because
// waiting pods are created in turn; taints stay for ACI being unavailable (node-conditions.ts).
import type { V1NodeCondition } from "@kubernetes/client-node";
import type { NodeAsItself } from "./node-annotations.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";
import { creationThrottledMessage, creationThrottledReason } from "./pod-sync.js";

export const creationsThrottledType = "AciCreationsThrottled";
const noWaitReason = "NoCreationWaiting";

export interface CreationWaitPublisher {
  /** Writes each node's condition when its count of waiting pods changed since the last write. Never fails. */
  publish(waitingByNode: Readonly<Record<string, number>>, options?: { abortSignal?: AbortSignal }): Promise<void>;
}

/** `nodes`: the connector's nodes, each with a client acting as that node (a kubelet writes its own node's status). */
export function creationWaitPublisher(input: { nodes: () => readonly NodeAsItself[]; clock: Clock; log: () => Logger }): CreationWaitPublisher {
  const written = new Map<string, V1NodeCondition>();
  return {
    async publish(waitingByNode, options = {}) {
      for (const { name, client } of input.nodes()) {
        const waiting = waitingByNode[name] ?? 0;
        try {
          // A new instance learns what the node says first, so that the transition time stays true.
          const before = written.get(name) ?? (await client.getNode(name, options))?.status?.conditions?.find((c) => c.type === creationsThrottledType);
          if (before !== undefined && before.message === messageFor(waiting)) {
            written.set(name, before);
            continue;
          }
          const condition = creationWaitCondition(waiting, before, input.clock.now());
          await client.patchNodeStatus(name, { conditions: [condition] }, options);
          written.set(name, condition);
        } catch (error) {
          // Written again next tick.
          written.delete(name);
          input.log().warn("could not publish the pods waiting for creation", { node: name, error: (error as Error).message });
        }
      }
    },
  };
}

/** The node's condition with `waiting` pods held back; the transition time moves only when the status flips. */
export function creationWaitCondition(waiting: number, before: V1NodeCondition | undefined, now: Date): V1NodeCondition {
  const status = waiting > 0 ? "True" : "False";
  return {
    type: creationsThrottledType,
    status,
    reason: waiting > 0 ? creationThrottledReason : noWaitReason,
    message: messageFor(waiting),
    lastHeartbeatTime: now,
    lastTransitionTime: before?.status === status && before.lastTransitionTime !== undefined ? before.lastTransitionTime : now,
  };
}

function messageFor(waiting: number): string {
  if (waiting === 0) return "no pod waits for its container group to be created";
  return `${waiting === 1 ? "1 pod waits for its container group" : `${waiting} pods wait for their container groups`}: ${creationThrottledMessage}`;
}
