// ARM's token buckets, kept in the client too: a request waits here for its kind's refill instead of
// being sent into a 429. ARM refills 25 reads, 10 writes and 10 deletes a second per principal and
// region, from buckets of 250, 200 and 200 (../shared/FACTS.md). A burst of doorbells and ARM events (a
// thousand pods bound at once: a read before each create, one after each group starts) asks for more
// than that in its first seconds; sent as it comes, most of it would be refused, each refusal costing
// the pod an Event Grid retry (10 s or more). Paced, the requests queue in the order they come and go
// out as ARM refills.
//
// A request waits at most `armBudget.pacing.maxWaitMs`: one that would wait longer is not sent (an
// AciError "throttled", as for a remembered Retry-After) and its caller backs off as it does for ARM's
// own refusal. Other instances and tools of the same principal draw on the same bucket, so ARM's count
// of what remains (`x-ms-ratelimit-remaining-subscription-<kind>`) lowers this one's when it is lower.
import { setTimeout as delay } from "node:timers/promises";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Clock } from "../runtime/clock.js";
import { armBudget } from "./arm-budget.js";
import { remainingOf } from "./arm-meter.js";
import { armRequestKindOf, armRequestKinds, notSent, type ArmRequestKind } from "./arm-throttle.js";

export interface ArmBucket {
  readonly bucket: number;
  readonly refillPerSecond: number;
}

export interface ArmPacer {
  /**
   * Takes a token of this kind: the ms to wait before sending (0 when one is there), or undefined when
   * the wait would be longer than `maxWaitMs` (then nothing is taken).
   */
  take(kind: ArmRequestKind, maxWaitMs: number): number | undefined;
  /** ARM said this many of the kind remain in its bucket. */
  remaining(kind: ArmRequestKind, count: number): void;
}

/**
 * `reserveSeconds` of refill are left in ARM's bucket: a request reaches ARM a little later or sooner
 * than it was paced (connections, queues), and that margin absorbs it instead of a 429.
 */
export function createArmPacer(clock: Clock, buckets: Readonly<Record<ArmRequestKind, ArmBucket>> = armBudget.buckets, reserveSeconds: number = armBudget.pacing.reserveSeconds): ArmPacer {
  const reserve = (kind: ArmRequestKind) => Math.ceil(buckets[kind].refillPerSecond * reserveSeconds);
  // Full: the first refill caps it at what may be spent.
  const state = new Map(armRequestKinds.map((kind) => [kind, { tokens: Number.POSITIVE_INFINITY, at: clock.now().getTime() }]));
  const refilled = (kind: ArmRequestKind) => {
    const s = state.get(kind)!;
    const now = clock.now().getTime();
    const { bucket, refillPerSecond } = buckets[kind];
    s.tokens = Math.min(bucket - reserve(kind), s.tokens + ((now - s.at) / 1000) * refillPerSecond);
    s.at = now;
    return s;
  };
  return {
    take(kind, maxWaitMs) {
      const s = refilled(kind);
      // Tokens below zero are promised to requests already waiting: a newcomer waits behind them.
      const waitMs = s.tokens >= 1 ? 0 : Math.ceil(((1 - s.tokens) / buckets[kind].refillPerSecond) * 1000);
      if (waitMs > maxWaitMs) return undefined;
      s.tokens -= 1;
      return waitMs;
    },
    remaining(kind, count) {
      const s = refilled(kind);
      s.tokens = Math.min(s.tokens, count - reserve(kind));
    },
  };
}

/** Paces every request (each attempt of the SDK's retry policy too) by `pacer`; see the file's head. */
export function armPacingPolicy(pacer: ArmPacer, maxWaitMs: number = armBudget.pacing.maxWaitMs): PipelinePolicy {
  return {
    name: "aciConnectorArmPacing",
    async sendRequest(request, next) {
      const kind = armRequestKindOf(request.method);
      const waitMs = pacer.take(kind, maxWaitMs);
      if (waitMs === undefined) {
        const refill = armBudget.buckets[kind].refillPerSecond;
        throw notSent(kind, `ARM refills ${refill} ${kind} a second and this instance has promised them for more than ${maxWaitMs / 1000} s ahead`, maxWaitMs);
      }
      // A caller's deadline ends the wait (its token stays spent: safer than sending late).
      if (waitMs > 0) await delay(waitMs, undefined, { signal: request.abortSignal as AbortSignal | undefined });
      const response = await next(request);
      const left = remainingOf(response, kind);
      if (left !== undefined) pacer.remaining(kind, left);
      return response;
    },
  };
}
