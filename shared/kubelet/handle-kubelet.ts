// The kubelet API the API server calls on a virtual node (kubectl logs, logs -f, exec; `get --raw
// /api/v1/nodes/NODE/proxy/pods`), served by the functions. Every node of a connector shares one
// endpoint; the path names the pod, and the pod names its node, on which the caller is authorized.
import type { V1Pod } from "@kubernetes/client-node";
import { azureMonitorBudget } from "../aci/arm-budget.js";
import type { ContainerGroups } from "../aci/container-groups.js";
import type { ContainerUsage } from "../aci/container-usage.js";
import { resourceMetricsContentType, resourceMetricsText } from "../metrics/prometheus-text.js";
import { resourceStats, runningContainers, type ResourceStats } from "../metrics/resource-stats.js";
import { statsSummary } from "../metrics/summary.js";
import type { PodClient } from "../kube/pod-client.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";
import { containerGroupName } from "../translate/naming.js";
import { readObservedGroup } from "../translate/observed-group.js";
import { authenticate, verbOf, type AccessReviews, type KubeletCredentials } from "./auth.js";
import { formatLines, linesAfter, LogQueryError, parseStampedLog, readLogQuery, selectLines, type LogCursor, type LogQuery } from "./log-query.js";
import { routeOf, subresourceOf, type KubeletRoute } from "./paths.js";

export interface KubeletLimits {
  /** Each ARM or API server call of a request has this deadline. */
  readonly callTimeoutMs: number;
  /** `logs -f` reads ACI's log this often (each read is one ARM read)... */
  readonly followPollMs: number;
  /** ...and the container's state every this many reads, to end when it terminates (one more read). */
  readonly followStateEveryPolls: number;
  /** A follow ends after this long (the Functions host ends an invocation at functionTimeout). */
  readonly followMaxMs: number;
}

export interface KubeletDependencies {
  /** The connector's virtual nodes: all share this endpoint. */
  readonly nodes: readonly string[];
  readonly podsAs: (node: string) => Pick<PodClient, "findPodOnNode" | "listPodsOnNode">;
  readonly groups: Pick<ContainerGroups, "get" | "logs">;
  /** ACI's per-minute CPU and memory from Azure Monitor, for /metrics/resource and /stats/summary. */
  readonly usage: ContainerUsage;
  readonly reviews: AccessReviews;
  /** The CA that signs the API server's kubelet client certificate (the cluster's CA). */
  readonly clusterCaPem: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly limits: KubeletLimits;
}

export interface KubeletRequest {
  readonly method: string;
  /** Path and query as the API server sent them. */
  readonly url: URL;
  readonly credentials: KubeletCredentials;
  /** Aborted when the client goes away. */
  readonly abortSignal?: AbortSignal;
}

export interface KubeletAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | ReadableStream<Uint8Array>;
}

const textAnswer = (status: number, body: string): KubeletAnswer => ({ status, headers: { "content-type": "text/plain; charset=utf-8" }, body: body.endsWith("\n") ? body : `${body}\n` });
const statusAnswer = (code: number, reason: string, message: string): KubeletAnswer => ({
  status: code,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }),
});
const jsonAnswer = (body: unknown): KubeletAnswer => ({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/**
 * The sentence `kubectl exec` (and attach, port-forward) shows: the API server passes the kubelet's
 * answer on as "error: ... <this text>".
 */
export function upgradeRefusal(verb: string, pod: { namespace?: string; name?: string }): string {
  const target = pod.name === undefined ? "POD" : pod.name;
  const namespace = pod.namespace !== undefined && pod.namespace !== "default" ? ` -n ${pod.namespace}` : "";
  const what = verb === "portForward" ? "kubectl port-forward" : verb === "attach" ? "kubectl attach" : verb === "run" ? "running a command" : "kubectl exec";
  const instead = verb === "portForward" ? "reach the pod's ports at its IP instead" : `use \`kubectl aci exec ${target}${namespace} -- COMMAND\` instead`;
  return `${what} does not work on an Azure Container Instances virtual node (Azure Functions serve this node and cannot hold the connection open): ${instead}.`;
}

export async function handleKubeletRequest(request: KubeletRequest, deps: KubeletDependencies): Promise<KubeletAnswer> {
  const call = () => ({ abortSignal: deadline(request.abortSignal, deps.limits.callTimeoutMs) });
  const authn = await authenticate(request.credentials, { reviews: deps.reviews, clusterCaPem: deps.clusterCaPem, now: deps.clock.now() }, call());
  if (!("user" in authn)) return textAnswer(401, "Unauthorized");
  const { user } = authn;
  const path = request.url.pathname;
  const route = routeOf(path);
  const subresource = subresourceOf(path);
  const verb = verbOf(request.method);

  // The pod first (read as its node, never shown before the caller is authorized), so the caller is
  // authorized on the node the pod is on, as that node's kubelet would authorize them.
  const podRef = route.kind === "containerLogs" ? { namespace: route.namespace, name: route.pod } : route.kind === "upgrade" && route.namespace && route.pod ? { namespace: route.namespace, name: route.pod } : undefined;
  const found = podRef === undefined ? undefined : await findPod(podRef, deps, call);
  // One node's resource metrics: authorized on that node alone, and a node not of this connector is not here.
  const namedNode = route.kind === "metricsResource" ? route.node : undefined;
  if (namedNode !== undefined && !deps.nodes.includes(namedNode)) return textAnswer(404, "404 page not found");
  const nodes = namedNode !== undefined ? [namedNode] : found !== undefined ? [found.node] : podRef !== undefined ? deps.nodes.slice(0, 1) : deps.nodes;
  for (const node of nodes) {
    const allowed = await deps.reviews.subjectAccessReview(user, { verb, node, subresource }, call());
    if (!allowed) return textAnswer(403, `Forbidden (user=${user.username}, verb=${verb}, resource=nodes, subresource=${subresource})`);
  }

  switch (route.kind) {
    case "healthz":
      return textAnswer(200, "ok");
    case "pods":
      return jsonAnswer({ kind: "PodList", apiVersion: "v1", metadata: {}, items: await podsOfNodes(deps, call) });
    case "runningpods":
      return jsonAnswer({ kind: "PodList", apiVersion: "v1", metadata: {}, items: (await podsOfNodes(deps, call)).filter(isRunning).map(runningPod) });
    case "metricsResource":
    case "statsSummary":
      if (request.method !== "GET") return textAnswer(405, "Method Not Allowed");
      return resourceAnswer(route.kind, route.kind === "metricsResource" && route.node !== undefined ? { ...deps, nodes: [route.node] } : deps, call);
    case "upgrade":
      // A Status, not text: the API server passes a Status on to kubectl as it is (kubectl prints its
      // message), where a plain-text refusal of an upgrade reaches the user as "unknown error".
      return statusAnswer(400, "BadRequest", upgradeRefusal(route.verb, { ...(route.namespace !== undefined && { namespace: route.namespace }), ...(route.pod !== undefined && { name: route.pod }) }));
    case "containerLogs":
      if (request.method !== "GET") return textAnswer(405, "Method Not Allowed");
      return containerLogs(route, found?.pod, request, deps, call);
    default:
      return textAnswer(404, "404 page not found");
  }
}

function deadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  return signal === undefined ? AbortSignal.timeout(ms) : AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}

async function findPod(ref: { namespace: string; name: string }, deps: KubeletDependencies, call: () => { abortSignal: AbortSignal }): Promise<{ pod: V1Pod; node: string } | undefined> {
  for (const node of deps.nodes) {
    const pod = await deps.podsAs(node).findPodOnNode(ref, node, call());
    if (pod !== undefined) return { pod, node };
  }
  return undefined;
}

async function podsOfNodes(deps: KubeletDependencies, call: () => { abortSignal: AbortSignal }): Promise<V1Pod[]> {
  const pods: V1Pod[] = [];
  for (const node of deps.nodes) pods.push(...(await deps.podsAs(node).listPodsOnNode(node, call())));
  return pods.map((p) => ({ ...p, apiVersion: "v1", kind: "Pod" }));
}

/**
 * /metrics/resource and /stats/summary. Every node of the connector shares this address, so a scrape
 * of these paths cannot say which node it is for: the answer holds every pod of the connector's nodes,
 * and the node's figures are their sum (docs/decisions/resource-metrics.md). metrics-server scrapes
 * /metrics/resource/<node> instead (the nodes' metrics.k8s.io/resource-metrics-path annotation), whose
 * `deps.nodes` is that node alone: its pods, its sum, and no pod twice across the nodes' scrapes. The pods come from the API server (no ARM
 * read), their usage from Azure Monitor (one call per 50 groups per minute).
 */
async function resourceAnswer(kind: "metricsResource" | "statsSummary", deps: KubeletDependencies, call: () => { abortSignal: AbortSignal }): Promise<KubeletAnswer> {
  let pods: V1Pod[];
  try {
    pods = await podsOfNodes(deps, call);
  } catch (error) {
    const why = `the pods of ${deps.nodes.join(", ")} could not be listed: ${(error as Error).message}`;
    deps.log.warn("kubelet API: resource metrics without pods", { error: (error as Error).message });
    // As a kubelet whose summary provider fails: scrape_error 1 (and nothing else) for the metrics; an
    // error naming why for the Summary API.
    return kind === "metricsResource" ? { status: 200, headers: { "content-type": resourceMetricsContentType }, body: resourceMetricsText(emptyStats(deps), true) } : textAnswer(500, `Internal Error: ${why}`);
  }
  const groups = pods.flatMap((p) => runningContainers(p)?.group ?? []);
  const reading = await deps.usage.read(groups, { abortSignal: () => call().abortSignal });
  for (const failure of reading.failures) {
    deps.log.warn("kubelet API: Azure Monitor's usage could not be read", { groups: failure.groups.length, error: failure.error });
  }
  const stats = resourceStats({
    nodeName: deps.nodes[0]!,
    pods,
    usageOf: (group) => reading.groups.get(group),
    now: deps.clock.now().getTime(),
    counterPeriodMs: azureMonitorBudget.counterPeriodMinutes * 60_000,
  });
  if (kind === "statsSummary") return jsonAnswer(statsSummary(stats));
  return { status: 200, headers: { "content-type": resourceMetricsContentType }, body: resourceMetricsText(stats, reading.failures.length > 0) };
}

const emptyStats = (deps: KubeletDependencies): ResourceStats => ({ node: { nodeName: deps.nodes[0]! }, pods: [] });

const isRunning = (pod: V1Pod) => (pod.status?.containerStatuses ?? []).some((c) => c.state?.running !== undefined);

/** As the kubelet's /runningpods/ shows a runtime pod: its name, namespace, UID and running containers. */
function runningPod(pod: V1Pod): V1Pod {
  const images = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c.image]));
  const running = (pod.status?.containerStatuses ?? []).filter((c) => c.state?.running !== undefined);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: pod.metadata?.name, namespace: pod.metadata?.namespace, uid: pod.metadata?.uid },
    spec: { containers: running.map((c) => ({ name: c.name, image: images.get(c.name) ?? c.image })) },
    status: {},
  };
}

async function containerLogs(
  route: Extract<KubeletRoute, { kind: "containerLogs" }>,
  pod: V1Pod | undefined,
  request: KubeletRequest,
  deps: KubeletDependencies,
  call: () => { abortSignal: AbortSignal },
): Promise<KubeletAnswer> {
  if (pod === undefined || pod.metadata?.uid === undefined) return textAnswer(404, `pod "${route.pod}" does not exist`);
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  if (!containers.includes(route.container)) return textAnswer(404, `container "${route.container}" not found in pod "${route.pod}"`);
  let query: LogQuery;
  try {
    query = readLogQuery(request.url.searchParams, deps.clock.now());
  } catch (error) {
    if (error instanceof LogQueryError) return textAnswer(400, error.message);
    throw error;
  }
  if (query.previous) {
    return textAnswer(
      400,
      `previous terminated container "${route.container}" in pod "${route.pod}" not found: Azure Container Instances keeps no log of a container's earlier runs, only of the current one (kubectl logs without -p/--previous)`,
    );
  }
  const group = containerGroupName({ namespace: route.namespace, name: route.pod, uid: pod.metadata.uid });
  const readLog = async (tail: number | undefined) => {
    const content = await deps.groups.logs(group, route.container, { ...call(), timestamps: true, ...(tail !== undefined && { tail }) });
    return content === undefined ? undefined : parseStampedLog(content);
  };
  // ACI's tail is used only when no time filter comes first (ACI cannot filter by time).
  const first = await readLog(query.since === undefined ? query.tailLines : undefined);
  if (first === undefined) return textAnswer(400, `container "${route.container}" in pod "${route.pod}" is waiting to start: its container group is not in Azure Container Instances yet`);
  const limit = byteLimit(query.limitBytes);
  const initial = limit.take(formatLines(selectLines(first, query), query.timestamps));
  if (!query.follow || limit.spent()) return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: initial };
  return {
    status: 200,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" },
    body: followStream(initial, linesAfter(first, undefined).cursor, { group, container: route.container, query, limit, readLog }, request, deps),
  };
}

function byteLimit(limitBytes: number | undefined) {
  let left = limitBytes ?? Infinity;
  return {
    take(text: string): string {
      if (left === Infinity) return text;
      const bytes = Buffer.from(text, "utf8");
      const taken = bytes.subarray(0, Math.max(0, Math.min(bytes.length, left)));
      left -= taken.length;
      return taken.toString("utf8");
    },
    spent: () => left <= 0,
  };
}

/**
 * `logs -f`: ACI has no streaming log API, so its log is read every followPollMs and only lines after
 * the last one sent go out. Ends when the container terminates (its state read every few polls), its
 * group is gone, the byte limit is reached, the client goes away, or after followMaxMs.
 */
function followStream(
  initial: string,
  startCursor: LogCursor | undefined,
  follow: {
    group: string;
    container: string;
    query: LogQuery;
    limit: ReturnType<typeof byteLimit>;
    readLog: (tail: number | undefined) => Promise<ReturnType<typeof parseStampedLog> | undefined>;
  },
  request: KubeletRequest,
  deps: KubeletDependencies,
): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  const signal = request.abortSignal === undefined ? stop.signal : AbortSignal.any([stop.signal, request.abortSignal]);
  const encoder = new TextEncoder();
  const { limits, log } = deps;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (initial !== "") controller.enqueue(encoder.encode(initial));
      void (async () => {
        let cursor = startCursor;
        let failures = 0;
        const endAt = deps.clock.now().getTime() + limits.followMaxMs;
        for (let poll = 1; !signal.aborted && deps.clock.now().getTime() < endAt; poll++) {
          await sleep(limits.followPollMs, signal);
          if (signal.aborted) break;
          try {
            let terminated = false;
            if (poll % limits.followStateEveryPolls === 0) {
              const group = await deps.groups.get(follow.group, { abortSignal: deadline(signal, limits.callTimeoutMs) });
              if (group === undefined) break;
              terminated = readObservedGroup(group).containers.get(follow.container)?.currentState?.state === "Terminated";
            }
            const lines = await follow.readLog(undefined);
            if (lines === undefined) break;
            const next = linesAfter(lines, cursor);
            cursor = next.cursor;
            const text = follow.limit.take(formatLines(selectLines(next.fresh, { ...(follow.query.since && { since: follow.query.since }) }), follow.query.timestamps));
            if (text !== "") controller.enqueue(encoder.encode(text));
            failures = 0;
            if (terminated || follow.limit.spent()) break;
          } catch (error) {
            if (signal.aborted) break;
            // A throttled or failing ARM read: try again next poll, but not forever.
            if (++failures >= 5) {
              log.warn("kubelet API: logs -f ended after repeated failures", { group: follow.group, container: follow.container, error: (error as Error).message });
              break;
            }
          }
        }
        try {
          controller.close();
        } catch {
          // Already cancelled by the client: nothing to close.
        }
      })();
    },
    cancel() {
      stop.abort();
    },
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
