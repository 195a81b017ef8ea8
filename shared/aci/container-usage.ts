// The port for the kubelet API's resource metrics: each container's CPU and memory, minute by minute,
// as ACI publishes them in Azure Monitor, and its adapter over Azure Monitor's metrics batch API
// (@azure/monitor-query-metrics MetricsClient.queryResources: POST /subscriptions/{s}/metrics:getBatch
// on the regional data-plane endpoint, outside ARM's read budget).
//
// The metrics (learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-containerinstance-containergroups-metrics):
// `CpuUsage` "CPU usage from all cores in millicores" (unit Count, aggregations Average/Min/Max) and
// `MemoryUsage` "Total memory usage in byte" (unit Bytes), both with the dimension `containerName` and
// time grains from PT1M. docs/decisions/resource-metrics.md
import type { TokenCredential } from "@azure/core-auth";
import { MetricsClient, type MetricsQueryResourcesOptions, type MetricsQueryResult } from "@azure/monitor-query-metrics";
import { readFileSync } from "node:fs";
import type { Clock } from "../runtime/clock.js";
import { azureMonitorBudget } from "./arm-budget.js";

export const aciMetricNamespace = "Microsoft.ContainerInstance/containerGroups";
export const aciMetricNames = { cpu: "CpuUsage", memory: "MemoryUsage" } as const;
/** The token's audience the metrics batch API's spec names (azure-rest-api-specs, specification/monitor/data-plane/Microsoft.Insights/stable/2024-02-01/metricBatch.json). */
export const metricsScope = "https://metrics.monitor.azure.com/.default";
const minuteMs = 60_000;
/** ACI's limit of containers per group: every container's series fits in one answer. */
const maxContainersPerGroup = 60;

/** One minute of one container: the minute's start, and its averages where Azure Monitor has them. */
export interface MinutePoint {
  /** Start of the minute (ms since the epoch); the data covers [start, start + 60 s). */
  readonly start: number;
  readonly cpuMillicores?: number;
  readonly memoryBytes?: number;
}

export interface UsageReading {
  /** By container group name, then container name: minutes in ascending order. Absent: not read (see failures). */
  readonly groups: ReadonlyMap<string, ReadonlyMap<string, readonly MinutePoint[]>>;
  /** Groups whose usage could not be read this round, with why. */
  readonly failures: readonly { readonly groups: readonly string[]; readonly error: string }[];
  /** The minutes the reading covers: [from, to). */
  readonly from: number;
  readonly to: number;
}

export interface ContainerUsage {
  /**
   * The last `azureMonitorBudget.counterPeriodMinutes` + 1 complete minutes of these groups' containers.
   * Costs at most one batch call per 50 groups per minute (answers are kept for the minute); never throws
   * for Azure Monitor's failures, which come back in `failures`.
   */
  read(groupNames: readonly string[], options: { abortSignal: () => AbortSignal }): Promise<UsageReading>;
}

/** What the adapter needs of the SDK client (MetricsClient in production and in the emulator test). */
export type MetricsQuery = Pick<MetricsClient, "queryResources">;

export function createMetricsClient(settings: { metricsEndpoint: string; metricsCaFile?: string }, credential: TokenCredential): MetricsClient {
  return new MetricsClient(settings.metricsEndpoint, credential, {
    // The spec's scope; the client's own default is ARM's (https://management.azure.com/.default).
    credentials: { scopes: [metricsScope] },
    retryOptions: azureMonitorBudget.sdkRetry,
    ...(settings.metricsCaFile !== undefined && { tlsOptions: { ca: readFileSync(settings.metricsCaFile, "utf8") } }),
  });
}

export function containerGroupResourceId(target: { subscriptionId: string; resourceGroup: string }, group: string): string {
  return `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/${group}`;
}

type GroupSeries = ReadonlyMap<string, readonly MinutePoint[]>;

export function createContainerUsage(client: MetricsQuery, target: { subscriptionId: string; resourceGroup: string }, clock: Clock): ContainerUsage {
  // Per minute: each group's answer (or the call bringing it), so concurrent scrapes share one call.
  let cachedMinute = -1;
  let cache = new Map<string, Promise<GroupSeries | Error>>();

  const query = async (groups: readonly string[], from: number, to: number, abortSignal: AbortSignal): Promise<Map<string, GroupSeries>> => {
    const ids = groups.map((g) => containerGroupResourceId(target, g));
    const options: MetricsQueryResourcesOptions & { abortSignal: AbortSignal } = {
      startTime: new Date(from),
      endTime: new Date(to),
      interval: "PT1M",
      aggregation: "average",
      // One series per container; without `top`, the API keeps 10 series per resource.
      filter: "containerName eq '*'",
      top: maxContainersPerGroup,
      // Not in the options type, but passed on to the request (operationOptionsToRequestParameters).
      abortSignal,
    };
    const results = await client.queryResources(ids, [aciMetricNames.cpu, aciMetricNames.memory], aciMetricNamespace, options);
    const byId = new Map(results.map((r) => [r.resourceId?.toLowerCase(), r] as const));
    return new Map(groups.map((g, i) => [g, seriesOf(byId.get(ids[i]!.toLowerCase()))] as const));
  };

  return {
    async read(groupNames, options) {
      const minute = Math.floor(clock.now().getTime() / azureMonitorBudget.cacheMs);
      if (minute !== cachedMinute) {
        cachedMinute = minute;
        cache = new Map();
      }
      const to = Math.floor(clock.now().getTime() / minuteMs) * minuteMs;
      const from = to - (azureMonitorBudget.counterPeriodMinutes + 1) * minuteMs;
      const missing = [...new Set(groupNames)].filter((g) => !cache.has(g));
      let splitCalls = 0;
      const fetchChunk = async (chunk: readonly string[]): Promise<Map<string, GroupSeries | Error>> => {
        try {
          return await query(chunk, from, to, options.abortSignal());
        } catch (error) {
          // A group deleted since its pod was listed: the API answers 404 for the whole batch (see the
          // emulator's metrics surface); halves find the others, within the round's split budget.
          if (statusOf(error) === 404 && chunk.length > 1 && splitCalls + 2 <= azureMonitorBudget.maxSplitCallsPerRound) {
            splitCalls += 2;
            const half = Math.ceil(chunk.length / 2);
            const [a, b] = await Promise.all([fetchChunk(chunk.slice(0, half)), fetchChunk(chunk.slice(half))]);
            return new Map([...a, ...b]);
          }
          if (statusOf(error) === 404 && chunk.length === 1) return new Map([[chunk[0]!, new Map()]]);
          const failure = error instanceof Error ? error : new Error(String(error));
          return new Map(chunk.map((g) => [g, failure] as const));
        }
      };
      for (let i = 0; i < missing.length; i += azureMonitorBudget.maxResourcesPerCall) {
        const chunk = missing.slice(i, i + azureMonitorBudget.maxResourcesPerCall);
        const answer = fetchChunk(chunk);
        for (const g of chunk) cache.set(g, answer.then((m) => m.get(g) ?? new Map<string, readonly MinutePoint[]>()));
      }
      const groups = new Map<string, GroupSeries>();
      const failed = new Map<string, string[]>();
      for (const g of new Set(groupNames)) {
        const answer = await cache.get(g)!;
        if (answer instanceof Error) {
          // Not kept: the next scrape asks again (at most once per scrape, four times a minute).
          cache.delete(g);
          const why = describe(answer);
          failed.set(why, [...(failed.get(why) ?? []), g]);
        } else groups.set(g, answer);
      }
      return { groups, failures: [...failed].map(([error, gs]) => ({ groups: gs, error })), from, to };
    },
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

function describe(error: Error): string {
  const status = statusOf(error);
  return `${status === undefined ? "" : `${status} `}${error.name === "AbortError" ? "no answer within the deadline" : error.message}`;
}

/** A resource's answer as per-container minutes; the SDK names a metric by its display name when it has one, so it is matched by id. */
export function seriesOf(result: Pick<MetricsQueryResult, "metrics"> | undefined): GroupSeries {
  type Minute = { start: number; cpuMillicores?: number; memoryBytes?: number };
  const containers = new Map<string, Map<number, Minute>>();
  for (const metric of result?.metrics ?? []) {
    const which = metricOf(metric);
    if (which === undefined) continue;
    for (const series of metric.timeseries ?? []) {
      const container = series.metadatavalues?.find((m) => m.name?.toLowerCase() === "containername")?.value;
      if (container === undefined) continue;
      let minutes = containers.get(container);
      if (minutes === undefined) containers.set(container, (minutes = new Map<number, Minute>()));
      for (const point of series.data ?? []) {
        if (point.average === undefined || point.average === null) continue;
        const start = new Date(point.timeStamp).getTime();
        const entry: Minute = minutes.get(start) ?? { start };
        if (which === "cpu") entry.cpuMillicores = point.average;
        else entry.memoryBytes = point.average;
        minutes.set(start, entry);
      }
    }
  }
  return new Map([...containers].map(([name, minutes]) => [name, [...minutes.values()].sort((a, b) => a.start - b.start)] as const));
}

function metricOf(metric: { id?: string; name?: string }): "cpu" | "memory" | undefined {
  const name = (metric.id?.split("/").at(-1) ?? metric.name ?? "").toLowerCase();
  if (name === aciMetricNames.cpu.toLowerCase() || metric.name === "CPU Usage") return "cpu";
  if (name === aciMetricNames.memory.toLowerCase() || metric.name === "Memory Usage") return "memory";
  return undefined;
}
