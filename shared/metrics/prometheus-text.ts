// The kubelet's /metrics/resource in the Prometheus text format, as a kubelet writes it
// (k8s.io/kubernetes pkg/kubelet/metrics/collectors/resource_metrics.go through component-base and the
// Prometheus client's text encoder): families sorted by name, only those with samples, HELP prefixed with
// the stability level, labels sorted by name, values as Go formats a float64, and the sample's time in
// milliseconds after every usage value. metrics-server v0.8 reads exactly these names
// (sigs.k8s.io/metrics-server pkg/scraper/client/resource/decode.go). Pure.
import type { ResourceStats } from "./resource-stats.js";

export const resourceMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

interface Family {
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly samples: { labels: [string, string][]; value: number; at?: number }[];
}

const scrapeErrorHelp = "1 if there was an error while getting container metrics, 0 otherwise";

/** The exposition: `scrapeError` when some usage could not be read (what was read is still there). */
export function resourceMetricsText(stats: ResourceStats, scrapeError: boolean): string {
  const families = new Map<string, Family>();
  const add = (name: string, help: string, type: Family["type"], labels: [string, string][], value: number, at?: number) => {
    let family = families.get(name);
    if (family === undefined) families.set(name, (family = { help, type, samples: [] }));
    family.samples.push({ labels, value, ...(at !== undefined && { at }) });
  };
  {
    const { node, pods } = stats;
    if (node.cpu !== undefined) add("node_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the node in core-seconds", "counter", [], node.cpu.coreSeconds, node.cpu.at);
    if (node.memory !== undefined) add("node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", "gauge", [], node.memory.bytes, node.memory.at);
    for (const pod of pods) {
      const podLabels: [string, string][] = [["namespace", pod.namespace], ["pod", pod.name]];
      for (const c of pod.containers) {
        const labels: [string, string][] = [["container", c.name], ...podLabels];
        add("container_start_time_seconds", "[STABLE] Start time of the container since unix epoch in seconds", "gauge", labels, c.startTime / 1000);
        if (c.cpu !== undefined) add("container_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the container in core-seconds", "counter", labels, c.cpu.coreSeconds, c.cpu.at);
        if (c.memory !== undefined) add("container_memory_working_set_bytes", "[STABLE] Current working set of the container in bytes", "gauge", labels, c.memory.bytes, c.memory.at);
      }
      if (pod.cpu !== undefined) add("pod_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds", "counter", podLabels, pod.cpu.coreSeconds, pod.cpu.at);
      if (pod.memory !== undefined) add("pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", "gauge", podLabels, pod.memory.bytes, pod.memory.at);
    }
  }
  // Both, as a kubelet of 1.29 writes them: scrape_error is deprecated in favour of resource_scrape_error.
  add("resource_scrape_error", `[STABLE] ${scrapeErrorHelp}`, "gauge", [], scrapeError ? 1 : 0);
  add("scrape_error", `[ALPHA] (Deprecated since 1.29.0) ${scrapeErrorHelp}`, "gauge", [], scrapeError ? 1 : 0);

  const lines: string[] = [];
  for (const name of [...families.keys()].sort()) {
    const family = families.get(name)!;
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
    const rendered = family.samples.map((s) => ({ key: s.labels.map(([, v]) => v).join("\u0000"), s }));
    rendered.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { s } of rendered) {
      const labels = s.labels.length === 0 ? "" : `{${s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
      lines.push(`${name}${labels} ${goFloat(s.value)}${s.at === undefined ? "" : ` ${Math.round(s.at)}`}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A float64 as Go's strconv.FormatFloat(v, 'g', -1, 64) writes it (the Prometheus encoder's format): the
 * shortest digits, in exponent form below 1e-4 and from 1e+06 on, with at least two exponent digits.
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const [mantissa, exponentText] = v.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return v.toString();
}

const escapeHelp = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeLabel = (text: string) => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
