// ARM's request throttling, off by default: a token bucket per kind of request (per subscription and
// region and principal in Azure; one emulator serves one of each). Each answer carries the remaining
// count, and an empty bucket answers 429 with Retry-After, before the request is processed.
export type RequestKind = "reads" | "writes" | "deletes";

export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** ARM's documented limits (FACTS.md). */
export const armBuckets: Readonly<Record<RequestKind, BucketSpec>> = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
};

export interface ThrottleDecision {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
}

export interface Throttle {
  take(kind: RequestKind): ThrottleDecision;
}

/** `timeScale` > 1 slows refill as it slows the lifecycle; buckets can be made small for tests. */
export function createThrottle(options: { buckets?: Partial<Record<RequestKind, BucketSpec>>; now?: () => number } = {}): Throttle {
  const now = options.now ?? Date.now;
  const state = new Map<RequestKind, { tokens: number; at: number; spec: BucketSpec }>();
  for (const kind of ["reads", "writes", "deletes"] as const) {
    const spec = options.buckets?.[kind] ?? armBuckets[kind];
    state.set(kind, { tokens: spec.capacity, at: now(), spec });
  }
  return {
    take(kind) {
      const bucket = state.get(kind)!;
      const t = now();
      bucket.tokens = Math.min(bucket.spec.capacity, bucket.tokens + ((t - bucket.at) / 1000) * bucket.spec.refillPerSecond);
      bucket.at = t;
      const header = `x-ms-ratelimit-remaining-subscription-${kind}`;
      if (bucket.tokens < 1) {
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / bucket.spec.refillPerSecond));
        return { allowed: false, headers: { [header]: "0", "retry-after": String(retryAfter) } };
      }
      bucket.tokens -= 1;
      return { allowed: true, headers: { [header]: String(Math.floor(bucket.tokens)) } };
    },
  };
}

export function requestKindOf(method: string): RequestKind {
  return method === "GET" ? "reads" : method === "DELETE" ? "deletes" : "writes";
}
