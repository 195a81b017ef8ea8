// The kubelet API's paths as the API server calls them (https://ADDRESS:PORT/<path>), and the
// authorization each needs: the kubelet's own mapping (pkg/kubelet/server/auth.go): /stats/* is
// nodes/stats, /metrics/* nodes/metrics, /logs/* nodes/log, everything else nodes/proxy. Pure.

export type KubeletRoute =
  | { readonly kind: "healthz" }
  | { readonly kind: "pods" }
  | { readonly kind: "runningpods" }
  /**
   * The kubelet's resource metrics (Prometheus text) and its Summary API: what metrics-server and
   * `kubectl top` read. `node`: one node's, at /metrics/resource/<node> (shared/translate/virtual-node.ts).
   */
  | { readonly kind: "metricsResource"; readonly node?: string }
  | { readonly kind: "statsSummary" }
  | { readonly kind: "containerLogs"; readonly namespace: string; readonly pod: string; readonly container: string }
  /** exec, attach, portForward, run: they need a connection upgrade (SPDY or WebSocket). */
  | { readonly kind: "upgrade"; readonly verb: "exec" | "attach" | "portForward" | "run"; readonly namespace?: string; readonly pod?: string }
  | { readonly kind: "unknown" };

export type KubeletSubresource = "proxy" | "log" | "stats" | "metrics";

/** The `nodes/<subresource>` a request for this path must be allowed, as a kubelet decides it. */
export function subresourceOf(pathname: string): KubeletSubresource {
  if (pathname === "/stats" || pathname.startsWith("/stats/")) return "stats";
  if (pathname === "/metrics" || pathname.startsWith("/metrics/")) return "metrics";
  if (pathname === "/logs" || pathname.startsWith("/logs/")) return "log";
  return "proxy";
}

const upgradeVerbs = ["exec", "attach", "portForward", "run"] as const;

export function routeOf(pathname: string): KubeletRoute {
  const segments = pathname.split("/").slice(1).map((s) => safeDecode(s));
  if (segments.some((s) => s === undefined)) return { kind: "unknown" };
  const parts = segments as string[];
  if (pathname === "/healthz") return { kind: "healthz" };
  if (pathname === "/pods" || pathname === "/pods/") return { kind: "pods" };
  if (pathname === "/runningpods" || pathname === "/runningpods/") return { kind: "runningpods" };
  if (pathname === "/metrics/resource") return { kind: "metricsResource" };
  if (parts[0] === "metrics" && parts[1] === "resource" && parts.length === 3 && parts[2] !== "") return { kind: "metricsResource", node: parts[2]! };
  if (pathname === "/stats/summary" || pathname === "/stats/summary/") return { kind: "statsSummary" };
  if (parts[0] === "containerLogs" && parts.length === 4 && parts.every((p) => p !== "")) {
    return { kind: "containerLogs", namespace: parts[1]!, pod: parts[2]!, container: parts[3]! };
  }
  const verb = upgradeVerbs.find((v) => v === parts[0]);
  if (verb !== undefined) {
    // /exec/{ns}/{pod}/{container} or /exec/{ns}/{pod}/{uid}/{container}; /portForward/{ns}/{pod}[/{uid}]
    return { kind: "upgrade", verb, ...(parts[1] && { namespace: parts[1] }), ...(parts[2] && { pod: parts[2] }) };
  }
  return { kind: "unknown" };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape names no pod: the route is unknown, as a kubelet's mux would answer 404.
    return undefined;
  }
}
