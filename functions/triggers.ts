// Every function's trigger, in one place: functions/*.ts register these with the Functions host, and
// the local host (dev/) reads the same values, so the two cannot drift apart.
export const triggers = {
  /** Lease renewal every 10 s, as a kubelet's; node status at most every NODE_STATUS_INTERVAL_SECONDS. */
  heartbeat: { schedule: "*/10 * * * * *", timeoutMs: 8_000 },
  /** The API server's admission webhook; {token} is the secret path segment (WEBHOOK_PATH_TOKEN). */
  podWebhook: { route: "pod-webhook/{token}", methods: ["POST"] },
  /** Everything a doorbell or event missed is repaired within one period. */
  reconcile: { schedule: "*/15 * * * * *", timeoutMs: 60_000 },
} as const;
