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
