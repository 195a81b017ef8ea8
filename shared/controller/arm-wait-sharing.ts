// ARM's Retry-After, shared between function instances: the instance that was told to wait writes the
// time on the connector's virtual nodes (an annotation, written as the node itself), and every instance
// reads it before it sends anything. ARM counts requests per principal and region, so one wait holds for
// every function of the connector; without this, podEvents on other instances would go on sending.
import type { ArmThrottle, ArmWaits } from "../aci/arm-throttle.js";
import { armRequestKinds } from "../aci/arm-throttle.js";
import type { NodeClient } from "../kube/node-client.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";

export const armWaitsAnnotation = "aci-connector.io/arm-retry-after";

/** Reading the nodes for waits at most this often per instance: a wait is never shorter than a second. */
const reloadAfterMs = 5_000;

export interface ArmWaitSharing {
  /** Adopts the waits other instances wrote (cached for a few seconds). Never fails. */
  load(options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** Writes this instance's waits when they are later than what it last wrote or read. Never fails. */
  save(options?: { abortSignal?: AbortSignal }): Promise<void>;
}

export function armWaitSharing(input: {
  throttle: ArmThrottle;
  /** The connector's nodes, each with a client acting as that node. */
  nodes: () => readonly { name: string; client: NodeClient }[];
  clock: Clock;
  log: () => Logger;
}): ArmWaitSharing {
  const { throttle, clock } = input;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let known: ArmWaits = {};
  return {
    async load(options = {}) {
      if (clock.now().getTime() - loadedAt < reloadAfterMs) return;
      loadedAt = clock.now().getTime();
      for (const { name, client } of input.nodes()) {
        try {
          const waits = parseWaits((await client.getNode(name, options))?.metadata?.annotations?.[armWaitsAnnotation]);
          // Known first: adopting a wait that is already written must not write it back.
          known = later(known, waits);
          for (const kind of armRequestKinds) if (waits[kind] !== undefined) throttle.remember(kind, waits[kind]);
        } catch (error) {
          input.log().warn("could not read ARM's shared Retry-After", { node: name, error: (error as Error).message });
        }
      }
    },
    async save(options = {}) {
      const current = throttle.current();
      if (!armRequestKinds.some((k) => (current[k] ?? 0) > (known[k] ?? 0))) return;
      known = later(known, current);
      const value = JSON.stringify(Object.fromEntries(Object.entries(current).map(([k, t]) => [k, new Date(t).toISOString()])));
      for (const { name, client } of input.nodes()) {
        try {
          await client.patchNodeAnnotations(name, { [armWaitsAnnotation]: value }, options);
        } catch (error) {
          input.log().warn("could not share ARM's Retry-After", { node: name, error: (error as Error).message });
        }
      }
    },
  };
}

/** `{"writes":"2026-11-25T10:00:30.000Z"}` as times; anything unreadable is ignored. */
export function parseWaits(annotation: string | undefined): ArmWaits {
  if (annotation === undefined) return {};
  try {
    const parsed = JSON.parse(annotation) as Record<string, unknown>;
    const waits: ArmWaits = {};
    for (const kind of armRequestKinds) {
      const t = typeof parsed[kind] === "string" ? Date.parse(parsed[kind]) : Number.NaN;
      if (Number.isFinite(t)) waits[kind] = t;
    }
    return waits;
  } catch {
    return {};
  }
}

/** The later wait of each kind; 0 (1970) where neither has one, which every comparison reads as none. */
function later(a: ArmWaits, b: ArmWaits): ArmWaits {
  return Object.fromEntries(armRequestKinds.map((k) => [k, Math.max(a[k] ?? 0, b[k] ?? 0)]));
}
