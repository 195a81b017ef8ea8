// Counts of requests the API server itself served (its apiserver_request_total metric), so a benchmark
// reports what reached the server, not what the client believes it sent.
import type { TestCluster } from "./cluster.js";

export type RequestCounts = Map<string, number>; // "VERB resource[/subresource]" -> count

export async function apiServerRequestCounts(cluster: TestCluster): Promise<RequestCounts> {
  const result = await cluster.kubectl(["get", "--raw", "/metrics"]);
  if (result.code !== 0) throw new Error(`reading /metrics failed: ${result.stderr}`);
  const counts: RequestCounts = new Map();
  for (const m of result.stdout.matchAll(/^apiserver_request_total\{([^}]*)\} (\d+)/gm)) {
    const labels: Record<string, string | undefined> = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    const key = `${labels.verb ?? ""} ${labels.resource ?? ""}${labels.subresource ? `/${labels.subresource}` : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(m[2]));
  }
  return counts;
}

/** after - before, for the keys that moved. */
export function countsSince(before: RequestCounts, after: RequestCounts): RequestCounts {
  const delta: RequestCounts = new Map();
  for (const [key, value] of after) {
    const d = value - (before.get(key) ?? 0);
    if (d > 0) delta.set(key, d);
  }
  return delta;
}

/** One reading of the API server's /metrics, for sums over the samples of a metric whose labels match. */
export interface MetricsReading {
  /** The sum of the metric's samples with these labels (0 while it has counted nothing for them). */
  sum(metric: string, labels?: Readonly<Record<string, string>>): number;
}

export async function readApiServerMetrics(cluster: TestCluster): Promise<MetricsReading> {
  const result = await cluster.kubectl(["get", "--raw", "/metrics"]);
  if (result.code !== 0) throw new Error(`reading /metrics failed: ${result.stderr}`);
  const text = result.stdout;
  return {
    sum(metric, labels = {}) {
      let total = 0;
      for (const m of text.matchAll(new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`, "gm"))) {
        const found: Record<string, string | undefined> = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
        if (Object.entries(labels).every(([k, v]) => found[k] === v)) total += Number(m[2]);
      }
      return total;
    },
  };
}

/**
 * The value of one counter the API server exports (0 while it has not counted anything for these labels):
 * e.g. apiserver_admission_webhook_fail_open_count{name, type}, which counts the webhook calls that
 * failed and were let through by failurePolicy Ignore.
 */
export async function apiServerCounter(cluster: TestCluster, metric: string, labels: Readonly<Record<string, string>>): Promise<number> {
  return (await readApiServerMetrics(cluster)).sum(metric, labels);
}

/**
 * A request kind as counted here: "VERB resource[/subresource]" (verbs as the API server names them: get,
 * patch, ...), or "VERB /path" for a request outside the resources, e.g. "get /version".
 */
export type RequestKind = `${string} ${string}`;

export interface RequestsByUser {
  /** The API server's dispatch counts so far for these users, by kind; "other" holds the rest of theirs. */
  snapshot(): Promise<RequestCounts>;
  /** Deletes the FlowSchemas. */
  remove(): Promise<void>;
}

/**
 * Counts the requests of some users only, as the API server itself dispatched them. apiserver_request_total
 * has no user label, so this asks API Priority and Fairness instead: one FlowSchema per request kind
 * matches these users ahead of the built-in schemas (and keeps them at the "system" priority level, the
 * nodes' own), a last one catches the rest of their requests, and the server's
 * apiserver_flowcontrol_dispatched_requests_total counts per schema. A request made by impersonation is
 * classified as the impersonated user, so list the users a client acts as (system:node:<name>) too.
 */
export async function countRequestsByUser(cluster: TestCluster, options: { name: string; users: readonly string[]; kinds: readonly RequestKind[] }): Promise<RequestsByUser> {
  const label = `aci-connector-test-count=${options.name}`;
  const schemaName = (i: number | "other") => `${options.name}-${i}`;
  const subjects = options.users.map((name) => ({ kind: "User", user: { name } }));
  const schema = (name: string, precedence: number, rule: Record<string, unknown>) => ({
    apiVersion: "flowcontrol.apiserver.k8s.io/v1",
    kind: "FlowSchema",
    metadata: { name, labels: { "aci-connector-test-count": options.name } },
    spec: { matchingPrecedence: precedence, priorityLevelConfiguration: { name: "system" }, rules: [{ subjects, ...rule }] },
  });
  const schemas = [
    ...options.kinds.map((kind, i) => {
      const [verb, target] = kind.split(" ") as [string, string];
      return schema(
        schemaName(i),
        50,
        target.startsWith("/")
          ? { nonResourceRules: [{ verbs: [verb], nonResourceURLs: [target] }] }
          : { resourceRules: [{ verbs: [verb], apiGroups: ["*"], resources: [target], clusterScope: true, namespaces: ["*"] }] },
      );
    }),
    schema(schemaName("other"), 60, {
      resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"] }],
      nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
    }),
  ];
  const applied = await cluster.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify({ apiVersion: "v1", kind: "List", items: schemas }) });
  if (applied.code !== 0) throw new Error(`creating FlowSchemas failed: ${applied.stderr}`);
  // The API server has taken a schema in once its configuration controller has set the Dangling condition.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listed = await cluster.kubectl(["get", "flowschemas", "-l", label, "-o", "json"]);
    const items = (JSON.parse(listed.stdout || "{}") as { items?: { status?: { conditions?: { type: string; status: string }[] } }[] }).items ?? [];
    if (items.length === schemas.length && items.every((i) => i.status?.conditions?.some((c) => c.type === "Dangling" && c.status === "False"))) break;
    if (Date.now() > deadline) throw new Error(`the API server did not take in the FlowSchemas ${label}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const kindOf = new Map<string, string>([...options.kinds.map((k, i) => [schemaName(i), k] as const), [schemaName("other"), "other"]]);
  return {
    async snapshot() {
      const result = await cluster.kubectl(["get", "--raw", "/metrics"]);
      if (result.code !== 0) throw new Error(`reading /metrics failed: ${result.stderr}`);
      const counts: RequestCounts = new Map([...kindOf.values()].map((k) => [k, 0]));
      for (const m of result.stdout.matchAll(/^apiserver_flowcontrol_dispatched_requests_total\{([^}]*)\} (\S+)$/gm)) {
        const kind = kindOf.get(/flow_schema="([^"]*)"/.exec(m[1]!)?.[1] ?? "");
        if (kind !== undefined) counts.set(kind, counts.get(kind)! + Number(m[2]));
      }
      return counts;
    },
    async remove() {
      await cluster.kubectl(["delete", "flowschemas", "-l", label, "--ignore-not-found"]);
    },
  };
}

/** How the API server served the pod lists so far: from its watch cache or from etcd, and their bytes. */
export interface PodListSources {
  /** Pod lists the watch cache served through its spec.nodeName index. */
  readonly cacheByNodeIndex: number;
  /** Pod lists the watch cache served by scanning every pod (no index: e.g. a continue token's page). */
  readonly cacheScanning: number;
  /** Pods the watch cache went through to answer them. */
  readonly cacheObjectsFetched: number;
  /** Pod lists that reached the storage layer (etcd): a consistent read asks it for the current revision. */
  readonly storage: number;
  /** Requests the API server sent etcd about pods, of every kind. */
  readonly etcdRequests: number;
  /** LIST responses for pods the API server sent, and their bytes (every client's). */
  readonly listResponses: number;
  readonly listResponseBytes: number;
}

/**
 * The pod-list counters of kube-apiserver 1.34 (read off its /metrics): apiserver_cache_list_total and
 * apiserver_cache_list_fetched_objects_total by `index`, apiserver_storage_list_total, etcd_requests_total,
 * and apiserver_response_sizes for verb LIST.
 */
export function podListSources(reading: MetricsReading): PodListSources {
  const pods = { resource: "pods" };
  return {
    cacheByNodeIndex: reading.sum("apiserver_cache_list_total", { ...pods, index: "f:spec.nodeName" }),
    cacheScanning: reading.sum("apiserver_cache_list_total", { ...pods, index: "" }),
    cacheObjectsFetched: reading.sum("apiserver_cache_list_fetched_objects_total", pods),
    storage: reading.sum("apiserver_storage_list_total", pods),
    etcdRequests: reading.sum("etcd_requests_total", pods),
    listResponses: reading.sum("apiserver_response_sizes_count", { ...pods, verb: "LIST" }),
    listResponseBytes: reading.sum("apiserver_response_sizes_sum", { ...pods, verb: "LIST" }),
  };
}

/** after - before, field by field. */
export function podListSourcesSince(before: PodListSources, after: PodListSources): PodListSources {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof PodListSources]])) as unknown as PodListSources;
}
