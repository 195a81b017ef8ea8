// /metrics/resource as a kubelet writes it, byte for byte: what metrics-server's decoder
// (pkg/scraper/client/resource/decode.go) reads by name, labels and millisecond timestamps.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { goFloat, resourceMetricsText } from "../../../shared/metrics/prometheus-text.js";
import { resourceStats } from "../../../shared/metrics/resource-stats.js";
import { containerGroupName } from "../../../shared/translate/naming.js";

const minute = 60_000;
const t0 = Date.UTC(2025, 0, 1, 10, 0, 0);

function pod(name: string, containers: { name: string; startedAt?: number }[]): V1Pod {
  return {
    metadata: { namespace: "shop", name, uid: `uid-${name}` },
    status: {
      phase: "Running",
      startTime: new Date(t0 - 5_000),
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: "x",
        imageID: "",
        ready: true,
        restartCount: 0,
        state: c.startedAt === undefined ? { waiting: { reason: "ContainerCreating" } } : { running: { startedAt: new Date(c.startedAt) } },
      })),
    },
  };
}

describe("the kubelet's resource metrics text", () => {
  it("writes Go's float formatting: shortest digits, exponent from 1e+06 and below 1e-04", () => {
    const table: [number, string][] = [
      [0, "0"],
      [1, "1"],
      [0.143, "0.143"],
      [118.100095323, "118.100095323"],
      [610304, "610304"],
      [1616273408, "1.616273408e+09"],
      [12627968, "1.2627968e+07"],
      [1e6, "1e+06"],
      [0.0001, "0.0001"],
      [0.00001, "1e-05"],
      [1735725600.5, "1.7357256005e+09"],
    ];
    for (const [value, text] of table) assert.equal(goFloat(value), text, String(value));
  });

  it("names, HELP, TYPE, labels and millisecond timestamps as a kubelet, families sorted, from each minute's averages", () => {
    const web = pod("web", [{ name: "app", startedAt: t0 + 10_000 }, { name: "sidecar", startedAt: t0 + 10_000 }]);
    const starting = pod("starting", [{ name: "app" }]);
    const usage = new Map([
      [
        containerGroupName({ namespace: "shop", name: "web", uid: "uid-web" }),
        new Map([
          ["app", [{ start: t0, cpuMillicores: 500, memoryBytes: 100_000_000 }, { start: t0 + minute, cpuMillicores: 250, memoryBytes: 120_000_000 }]],
          ["sidecar", [{ start: t0, cpuMillicores: 10, memoryBytes: 2_000_000 }, { start: t0 + minute, cpuMillicores: 10, memoryBytes: 2_000_000 }]],
        ]),
      ],
    ]);
    const stats = resourceStats({ nodeName: "vk", pods: [web, starting], usageOf: (g) => usage.get(g), now: t0 + 2 * minute + 15_000, counterPeriodMs: 60 * minute });
    const at = t0 + 2 * minute;
    assert.equal(
      resourceMetricsText(stats, false),
      `# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
# TYPE container_cpu_usage_seconds_total counter
container_cpu_usage_seconds_total{container="app",namespace="shop",pod="web"} 45 ${at}
container_cpu_usage_seconds_total{container="sidecar",namespace="shop",pod="web"} 1.2 ${at}
# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
# TYPE container_memory_working_set_bytes gauge
container_memory_working_set_bytes{container="app",namespace="shop",pod="web"} 1.2e+08 ${at}
container_memory_working_set_bytes{container="sidecar",namespace="shop",pod="web"} 2e+06 ${at}
# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
# TYPE container_start_time_seconds gauge
container_start_time_seconds{container="app",namespace="shop",pod="web"} 1.73572561e+09
container_start_time_seconds{container="sidecar",namespace="shop",pod="web"} 1.73572561e+09
# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
# TYPE node_cpu_usage_seconds_total counter
node_cpu_usage_seconds_total 46.2 ${at}
# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
# TYPE node_memory_working_set_bytes gauge
node_memory_working_set_bytes 1.22e+08 ${at}
# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
# TYPE pod_cpu_usage_seconds_total counter
pod_cpu_usage_seconds_total{namespace="shop",pod="web"} 46.2 ${at}
# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
# TYPE pod_memory_working_set_bytes gauge
pod_memory_working_set_bytes{namespace="shop",pod="web"} 1.22e+08 ${at}
# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
# TYPE resource_scrape_error gauge
resource_scrape_error 0
# HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise
# TYPE scrape_error gauge
scrape_error 0
`,
    );
  });

  it("says scrape_error 1 when usage could not be read, and escapes label values", () => {
    const odd = pod('we"ird', [{ name: "app", startedAt: t0 }]);
    const text = resourceMetricsText(resourceStats({ nodeName: "vk", pods: [odd], usageOf: () => undefined, now: t0 + minute, counterPeriodMs: 60 * minute }), true);
    assert.match(text, /^scrape_error 1$/m);
    assert.match(text, /^resource_scrape_error 1$/m);
    assert.match(text, /^container_start_time_seconds\{container="app",namespace="shop",pod="we\\"ird"\} /m);
    assert.doesNotMatch(text, /container_cpu_usage_seconds_total\{/, "no sample without data");
  });
});
