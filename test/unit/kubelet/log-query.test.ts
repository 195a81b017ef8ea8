// The kubelet's log options read from a query and applied to ACI's stamped log, one table each.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatLines, linesAfter, LogQueryError, parseStampedLog, readLogQuery, selectLines } from "../../../shared/kubelet/log-query.js";
import { routeOf, subresourceOf } from "../../../shared/kubelet/paths.js";

const now = new Date("2026-11-25T12:00:00Z");
const log = [
  "2026-11-25T11:00:00.000Z one",
  "2026-11-25T11:59:30.000Z two",
  "2026-11-25T11:59:30.000Z two again",
  "2026-11-25T11:59:50.500Z three",
  "",
].join("\n");

describe("kubelet log options", () => {
  const cases: { description: string; query: string; out: string }[] = [
    { description: "everything", query: "", out: "one\ntwo\ntwo again\nthree\n" },
    { description: "tailLines", query: "tailLines=2", out: "two again\nthree\n" },
    { description: "tailLines=0", query: "tailLines=0", out: "" },
    { description: "sinceSeconds", query: "sinceSeconds=60", out: "two\ntwo again\nthree\n" },
    { description: "sinceTime", query: "sinceTime=2026-11-25T11:59:40Z", out: "three\n" },
    { description: "since, then tail", query: "sinceSeconds=60&tailLines=1", out: "three\n" },
    { description: "timestamps kept verbatim", query: "timestamps=true&tailLines=1", out: "2026-11-25T11:59:50.500Z three\n" },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const query = readLogQuery(new URLSearchParams(c.query), now);
      assert.equal(formatLines(selectLines(parseStampedLog(log), query), query.timestamps), c.out);
    });
  }

  it("names every bad option at once", () => {
    assert.throws(
      () => readLogQuery(new URLSearchParams("tailLines=-1&limitBytes=0&sinceSeconds=5&sinceTime=2026-11-25T11:00:00Z&follow=maybe"), now),
      (e: unknown) => e instanceof LogQueryError && e.problems.length === 4,
    );
  });

  it("a later read sends only lines after the last one sent, also among lines of the same time", () => {
    const first = parseStampedLog(log.split("\n").slice(0, 2).join("\n"));
    const { cursor } = linesAfter(first, undefined);
    const second = linesAfter(parseStampedLog(log), cursor);
    assert.deepEqual(second.fresh.map((l) => l.text), ["two again", "three"]);
    assert.deepEqual(linesAfter(parseStampedLog(log), second.cursor).fresh, []);
  });
});

describe("kubelet paths", () => {
  it("maps paths to routes and to the nodes subresource the kubelet authorizes", () => {
    assert.deepEqual(routeOf("/containerLogs/ns/pod/app"), { kind: "containerLogs", namespace: "ns", pod: "pod", container: "app" });
    assert.deepEqual(routeOf("/exec/ns/pod/app"), { kind: "upgrade", verb: "exec", namespace: "ns", pod: "pod" });
    assert.deepEqual(routeOf("/runningpods/"), { kind: "runningpods" });
    assert.deepEqual(routeOf("/containerLogs/ns/pod"), { kind: "unknown" });
    // One node's resource metrics, where its metrics.k8s.io/resource-metrics-path annotation points.
    assert.deepEqual(routeOf("/metrics/resource"), { kind: "metricsResource" });
    assert.deepEqual(routeOf("/metrics/resource/virtual-kubelet-a-linux-westeurope"), { kind: "metricsResource", node: "virtual-kubelet-a-linux-westeurope" });
    assert.deepEqual(routeOf("/metrics/resource/"), { kind: "unknown" });
    assert.deepEqual(routeOf("/metrics/resource/a/b"), { kind: "unknown" });
    const table: [string, string][] = [
      ["/containerLogs/ns/p/c", "proxy"],
      ["/exec/ns/p/c", "proxy"],
      ["/pods", "proxy"],
      ["/healthz", "proxy"],
      ["/stats/summary", "stats"],
      ["/metrics/resource", "metrics"],
      ["/metrics/resource/virtual-kubelet-a-linux-westeurope", "metrics"],
      ["/logs/syslog", "log"],
    ];
    for (const [path, subresource] of table) assert.equal(subresourceOf(path), subresource, path);
  });
});
