// Every function's trigger and deadline, in one place: functions/*.ts register these with the Functions
// host, and the local host (dev/) reads the same values, so the two cannot drift apart. What the
// connector may spend of ARM is in shared/aci/arm-budget.ts.
export const triggers = {
  /**
   * Lease renewal every 10 s, as a kubelet's; node status at most every NODE_STATUS_INTERVAL_SECONDS.
   * The Lease has its own deadline from the start of the tick, and the ARM probe its own after it, so
   * a slow or throttling ARM never delays a renewal (a Lease lasts 40 s: four ticks may fail).
   */
  heartbeat: { schedule: "*/10 * * * * *", timeoutMs: 8_000, leaseTimeoutMs: 4_000, armProbeTimeoutMs: 3_000 },
  /** The API server's admission webhook; {token} is the secret path segment (WEBHOOK_PATH_TOKEN). */
  podWebhook: { route: "pod-webhook/{token}", methods: ["POST"] },
  /**
   * One doorbell or ARM event. Event Grid waits 30 s for an answer before it schedules a redelivery
   * (learn.microsoft.com/azure/event-grid/delivery-and-retry), so each invocation ends well before:
   * the same event never runs twice at once because a call hung.
   */
  podEvents: { timeoutMs: 25_000 },
  aciEvents: { timeoutMs: 25_000 },
  /** Everything a doorbell or event missed is repaired within one period. */
  reconcile: { schedule: "*/15 * * * * *", timeoutMs: 60_000 },
} as const;
