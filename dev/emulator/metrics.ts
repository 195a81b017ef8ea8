// Azure Monitor's metrics batch API as ACI's container groups publish into it, for the real
// @azure/monitor-query-metrics MetricsClient: POST /subscriptions/{s}/metrics:getBatch?metricnamespace=
// &metricnames=&starttime=&endtime=&interval=&aggregation=&filter=&top=&api-version= with a body
// {"resourceids": [...]}, answered {"values": [{starttime, endtime, interval, namespace, resourceregion,
// resourceid, value: [{id, type, name {value, localizedValue}, displayDescription, unit, timeseries
// [{metadatavalues [{name {value, localizedValue}, value}], data [{timeStamp, average}]}], errorCode}]}]}.
//
// Sources: the REST spec and its example (azure-rest-api-specs, specification/monitor/data-plane/
// Microsoft.Insights/stable/2024-02-01/metricBatch.json, examples/MetricBatchExample.json: lowercased
// dimension names and namespace, minutes without data as a bare timeStamp); ACI's metrics
// (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-containerinstance-containergroups-metrics:
// CpuUsage in millicores, unit Count; MemoryUsage in bytes; dimension containerName; PT1M and up).
// The usage itself is what a test sets (setUsage); a running container with none set reports 0.
import type { StoredGroup } from "./container-group-state.js";
import { ArmError } from "./responses.js";

export const metricsApiVersions = ["2023-10-01", "2024-02-01"] as const;
/** "up to 50 resource IDs in the same subscription and region in a single batch API call" (Azure updates, 2024-01-31). */
export const maxResourceIds = 50;
const minuteMs = 60_000;

export interface Usage {
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
}

/** A container's usage from `at` on, until the next change. */
export interface UsageChange extends Usage {
  readonly at: number;
}

const metricDefinitions = {
  cpuusage: { value: "CpuUsage", localizedValue: "CPU Usage", unit: "Count", description: "CPU usage from all cores in millicores.", of: (u: Usage) => u.cpuMillicores },
  memoryusage: { value: "MemoryUsage", localizedValue: "Memory Usage", unit: "Bytes", description: "Total memory usage in byte.", of: (u: Usage) => u.memoryBytes },
} as const;

export interface MetricsTarget {
  /** The group a resource id names, if the emulator has it. */
  groupOf(resourceId: string): StoredGroup | undefined;
  /** When each container's current run started and (if it did) ended, or undefined when it never ran. */
  runOf(group: StoredGroup, container: string): { from: number; to?: number } | undefined;
  usageOf(group: StoredGroup, container: string): readonly UsageChange[];
  now(): number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

export function metricsBatch(url: URL, body: unknown, target: MetricsTarget): { status: number; body: unknown; headers?: Record<string, string> } {
  const q = (name: string) => url.searchParams.get(name);
  const apiVersion = q("api-version");
  if (apiVersion === null || !(metricsApiVersions as readonly string[]).includes(apiVersion)) {
    throw new ArmError(400, "BadRequest", `The api-version '${apiVersion ?? ""}' is not supported; the supported versions are ${metricsApiVersions.join(", ")}.`);
  }
  const namespace = q("metricnamespace");
  if (namespace === null || namespace.toLowerCase() !== "microsoft.containerinstance/containergroups") {
    throw new ArmError(400, "BadRequest", `The emulator serves only the metric namespace Microsoft.ContainerInstance/containerGroups (got '${namespace ?? ""}').`);
  }
  const names = (q("metricnames") ?? "").split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) throw new ArmError(400, "BadRequest", "metricnames is required.");
  for (const name of names) {
    if (!(name.toLowerCase() in metricDefinitions)) throw new ArmError(400, "BadRequest", `Failed to find metric configuration for provider: Microsoft.ContainerInstance, resource type: containerGroups, metric: ${name}, Valid metrics: CpuUsage,MemoryUsage,NetworkBytesReceivedPerSecond,NetworkBytesTransmittedPerSecond`);
  }
  const interval = q("interval") ?? "PT1M";
  if (interval.toUpperCase() !== "PT1M") throw new ArmError(400, "BadRequest", `The emulator serves the PT1M time grain only (got '${interval}').`);
  const aggregations = (q("aggregation") ?? "average").toLowerCase().split(",").map((a) => a.trim());
  if (!aggregations.includes("average")) throw new ArmError(400, "BadRequest", "The emulator serves the average aggregation only.");

  const resourceIds = (body as { resourceids?: unknown } | undefined)?.resourceids;
  if (!Array.isArray(resourceIds) || resourceIds.length === 0 || !resourceIds.every((r) => typeof r === "string")) {
    throw new ArmError(400, "BadRequest", "The request body must be {\"resourceids\": [...]} with at least one resource id.");
  }
  if (resourceIds.length > maxResourceIds) throw new ArmError(400, "BadRequest", `At most ${maxResourceIds} resource ids may be queried in one batch (got ${resourceIds.length}).`);

  const now = target.now();
  const end = q("endtime") === null ? now : Date.parse(q("endtime")!);
  const start = q("starttime") === null ? end - 3600_000 : Date.parse(q("starttime")!);
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end) throw new ArmError(400, "BadRequest", "starttime and endtime must be times in the format yyyy-MM-ddTHH:mm:ss.fffZ, starttime first.");

  // Not verified against the real service: a resource it does not have. The one report found
  // (MicrosoftDocs/azure-docs#120248) has getBatch answer 404 for the whole batch when one resource is
  // not available, so the emulator does that.
  const groups = resourceIds.map((id) => {
    const group = target.groupOf(id);
    if (group === undefined) throw new ArmError(404, "ResourceNotFound", `The resource '${id}' was not found.`);
    return { id, group };
  });

  const filter = q("filter");
  const byContainer = filter === null ? undefined : /containername\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
  const top = q("top") === null ? 10 : Number(q("top"));
  const first = Math.floor(start / minuteMs) * minuteMs;
  const minutes: number[] = [];
  for (let t = first; t < end; t += minuteMs) minutes.push(t);

  const values = groups.map(({ id, group }) => ({
    starttime: new Date(start).toISOString(),
    endtime: new Date(end).toISOString(),
    interval: "PT1M",
    value: names.map((name) => {
      const def = metricDefinitions[name.toLowerCase() as keyof typeof metricDefinitions];
      const containers = [...group.containers.keys()].filter((c) => byContainer === undefined || byContainer === "*" || byContainer === c);
      // Per container with the dimension asked for; otherwise one series, the group's sum.
      const series = byContainer === undefined ? [{ label: undefined, containers }] : containers.slice(0, top).map((c) => ({ label: c, containers: [c] }));
      return {
        id: `${id}/providers/Microsoft.Insights/metrics/${def.value}`,
        type: "Microsoft.Insights/metrics",
        name: { value: def.value, localizedValue: def.localizedValue },
        displayDescription: def.description,
        unit: def.unit,
        timeseries: series.map((s) => ({
          ...(s.label !== undefined && { metadatavalues: [{ name: { value: "containername", localizedValue: "containername" }, value: s.label }] }),
          data: minutes.map((t) => {
            const averages = s.containers.map((c) => minuteAverage(target, group, c, t, now, def.of)).filter((a): a is number => a !== undefined);
            return averages.length === 0 ? { timeStamp: iso(t) } : { timeStamp: iso(t), average: averages.reduce((x, y) => x + y, 0) };
          }),
        })),
        errorCode: "Success",
      };
    }),
    namespace: "microsoft.containerinstance/containergroups",
    resourceregion: group.location,
    resourceid: id,
  }));
  return { status: 200, body: { values } };
}

/**
 * The minute's average as ACI's samples would give it: the usage in effect, weighted by time, over the
 * part of the minute the container ran; none for a minute not over yet or without a running moment.
 */
function minuteAverage(target: MetricsTarget, group: StoredGroup, container: string, t: number, now: number, of: (u: Usage) => number): number | undefined {
  if (t + minuteMs > now) return undefined;
  const run = target.runOf(group, container);
  if (run === undefined) return undefined;
  const from = Math.max(t, run.from);
  const to = Math.min(t + minuteMs, run.to ?? Infinity);
  if (to <= from) return undefined;
  const changes = target.usageOf(group, container);
  let weighted = 0;
  for (let x = from; x < to; ) {
    const current = [...changes].reverse().find((c) => c.at <= x);
    const next = changes.find((c) => c.at > x)?.at ?? Infinity;
    const until = Math.min(to, next);
    weighted += (current === undefined ? 0 : of(current)) * (until - x);
    x = until;
  }
  return weighted / (to - from);
}
