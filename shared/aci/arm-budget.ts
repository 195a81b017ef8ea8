// What the connector may spend of ARM, in one place (schedules and deadlines are in functions/triggers.ts).
// ARM refills 25 reads, 10 writes and 10 deletes per second per principal and region, and answers 429
// with Retry-After beyond that (../shared/FACTS.md, docs/decisions/status-polling.md).
export const armBudget = {
  /**
   * Reconcile's reads, as a share of ARM's read refill rather than a count of GETs: each tick may spend
   * `share × refillPerSecond × period` reads (187 at the default half and 15 s), counted as ARM counts
   * them (list pages included, and whatever else the connector read in the tick). Groups that can be
   * changing are read first; what is left goes to running pods, least recently read first, so each is
   * read again at least every `period × running pods / reads left` seconds (docs/decisions/status-polling.md).
   * ARM's bucket is shared with every other tool of the same principal: when its answer says fewer than
   * `keepInBucket` reads remain, reconcile reads no group for the tick (creations and deletions go on).
   */
  reads: { defaultShare: 0.5, keepInBucket: 50 },
  /** ARM's buckets per principal and region, which every request is paced by (arm-pacing.ts). */
  buckets: {
    reads: { bucket: 250, refillPerSecond: 25 },
    writes: { bucket: 200, refillPerSecond: 10 },
    deletes: { bucket: 200, refillPerSecond: 10 },
  },
  /**
   * A request waits for ARM's refill at most `maxWaitMs` before it is refused unsent: well inside the
   * 25 s an event's function has. Half a second of refill stays in ARM's bucket as a margin for requests
   * that reach ARM sooner or later than they were paced.
   */
  pacing: { maxWaitMs: 10_000, reserveSeconds: 0.5 },
  /** Reconcile syncs this many pods at once: 187 sequential reads of 100-300 ms would overrun a 15 s tick. */
  syncConcurrency: 8,
  /**
   * The Azure SDK's own retries inside one call: few and short, because reconcile is the outer retry
   * loop and every call has a deadline. A Retry-After longer than `maxInCallWaitMs` is never slept
   * inside a call: the call fails at once and the time is remembered (arm-throttle.ts).
   */
  sdkRetry: { maxRetries: 2, retryDelayInMs: 500, maxRetryDelayInMs: 2_000 },
  maxInCallWaitMs: 2_000,
  /** When ARM throttles without saying for how long, wait this long. */
  defaultRetryAfterMs: 30_000,
  /**
   * A pod whose container group ARM refused (400, 403, 404, 409, 413, 5xx) is tried again after the
   * time since its first refusal (at least `first`, at most `max`): 15 s, 15 s, 30 s, 1 min ... 10 min,
   * about 12 writes in the first hour and 6 an hour after, instead of one every reconcile tick.
   */
  createBackoff: { firstMs: 15_000, maxMs: 600_000 },
  /**
   * `kubectl logs -f`: ACI's log read every `pollMs`, the container's state every `stateEveryPolls`
   * reads (to end when it terminates): 30 + 10 = 40 ARM reads per minute per follower, so ten followers
   * spend 400 of the 1,500 a minute that ARM refills.
   */
  logsFollow: { pollMs: 2_000, stateEveryPolls: 3 },
  /**
   * The region's capabilities (location-capabilities.ts), which a pod's create needs: read once per
   * `keepMs` per instance, one read for every create waiting on it, within `readTimeoutMs`. An hour,
   * because ACI changes a region's figures rarely and the read costs one of the 1,500 a minute ARM
   * refills: a figure raised is used within the hour, and until then ACI, not the connector, answers a
   * group beyond the old one. After a failed read, not again for `retryMs`: during an outage a burst
   * of creates costs one read a minute, not one each.
   */
  capabilities: { keepMs: 3_600_000, retryMs: 60_000, readTimeoutMs: 5_000 },
} as const;

/**
 * What the kubelet API's resource metrics may spend of Azure Monitor's metrics data plane
 * (`<region>.metrics.monitor.azure.com`, outside ARM's read budget): one metrics:getBatch call per
 * `maxResourcesPerCall` container groups per minute, whatever the scrape rate (answers are kept for
 * the minute they were asked in). docs/decisions/resource-metrics.md
 */
export const azureMonitorBudget = {
  /** The batch API takes up to 50 resource ids per call (Azure Monitor Metrics Data Plane API GA, 2024-01-31). */
  maxResourcesPerCall: 50,
  /** An answer serves every scrape of the same wall-clock minute: data points are per minute. */
  cacheMs: 60_000,
  /**
   * A CPU counter sums at most this many minutes: containers running longer count from their start
   * moved forward by whole periods (shared/metrics/cpu-counter.ts). One call then covers the period
   * plus one minute: 61 points per series.
   */
  counterPeriodMinutes: 60,
  /** The SDK's own retries inside one call: few and short, the next scrape is 15 s away. */
  sdkRetry: { maxRetries: 1, retryDelayInMs: 500, maxRetryDelayInMs: 2_000 },
  /**
   * A call answered 404 (a group deleted since its pod was listed makes the whole batch 404) is split in
   * halves to serve the others: at most this many extra calls per round, enough to single out one
   * missing group among 50 (two calls per halving, six halvings).
   */
  maxSplitCallsPerRound: 12,
} as const;
