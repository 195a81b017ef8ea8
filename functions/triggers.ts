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
  /**
   * The API server's admission webhook; {token} is the secret path segment (WEBHOOK_PATH_TOKEN). Under
   * /api/ by its own route: host.json's routePrefix is empty so that the kubelet API sits at the root.
   */
  podWebhook: { route: "api/pod-webhook/{token}", methods: ["POST"] },
  /**
   * The kubelet API on the virtual nodes' address (docs/decisions/kubelet-api.md): the API server
   * calls https://ADDRESS:PORT/containerLogs/..., so these routes are at the root. Each API server or ARM
   * call has `callTimeoutMs`; a `logs -f` ends after `followMaxMs`, within host.json's functionTimeout
   * (5 min) and before the front end's 230 s idle limit could matter (lines keep it busy). ARM reads of a
   * follower: shared/aci/arm-budget.ts. /metrics/resource and /stats/summary make one Azure Monitor call
   * per 50 container groups per minute, each with `callTimeoutMs` (azureMonitorBudget, same file).
   */
  kubeletApi: {
    routes: {
      kubeletContainerLogs: "containerLogs/{namespace}/{pod}/{container}",
      kubeletHealthz: "healthz",
      kubeletPods: "pods",
      kubeletRunningPods: "runningpods",
      kubeletMetricsResource: "metrics/resource",
      kubeletNodeMetricsResource: "metrics/resource/{node}",
      kubeletStatsSummary: "stats/summary",
      kubeletExec: "exec/{*rest}",
      kubeletAttach: "attach/{*rest}",
      kubeletPortForward: "portForward/{*rest}",
      kubeletRun: "run/{*rest}",
    },
    methods: ["GET", "POST"],
    callTimeoutMs: 10_000,
    followMaxMs: 240_000,
  },
  /**
   * One doorbell or ARM event. Event Grid waits 30 s for an answer before it schedules a redelivery
   * (learn.microsoft.com/azure/event-grid/delivery-and-retry), so each invocation ends well before:
   * the same event never runs twice at once because a call hung.
   */
  podEvents: { timeoutMs: 25_000 },
  aciEvents: { timeoutMs: 25_000 },
  /**
   * Everything a doorbell or event missed is repaired within one period. The tick's summary is
   * published on the nodes within `publishTimeoutMs` of its own, even after the tick ran out of time.
   */
  reconcile: { schedule: "*/15 * * * * *", timeoutMs: 60_000, publishTimeoutMs: 5_000 },
} as const;
