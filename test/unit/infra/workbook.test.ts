// The operators' workbook (infra/workbook/aci-connector.workbook.json), checked three ways:
// - against Microsoft's workbook schema, vendored in infra/workbook/schema/ (source and licence there);
// - against the metrics the code declares (shared/telemetry/instruments.ts): a query naming a metric or an
//   attribute the code does not declare, or a declared metric without a chart, fails here;
// - against how Azure Monitor stores those metrics. The Azure Monitor OpenTelemetry exporter sends each
//   data point as one customMetrics row named after the instrument, its attributes as customDimensions
//   (Azure/azure-sdk-for-js, sdk/monitor/monitor-opentelemetry-exporter/src/utils/metricUtils.ts,
//   resourceMetricsToEnvelope), with delta temporality for counters and histograms (src/export/metric.ts,
//   selectAggregationTemporality). A histogram's row keeps only sum, count, min and max of its interval
//   (valueSum, valueCount, valueMin, valueMax: learn.microsoft.com/azure/azure-monitor/app/convert-classic-resource,
//   "AppMetrics"); Microsoft's aggregation per instrument is Sum for counters, Average for gauges
//   (learn.microsoft.com/azure/azure-monitor/app/opentelemetry-add-modify, "Add custom metrics").
// And its deployment by infra/modules/workbook.bicep (the Bicep compiler cannot be installed here: see bicep.test.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { triggers } from "../../../functions/triggers.js";
import { armBudget } from "../../../shared/aci/arm-budget.js";
import { instruments } from "../../../shared/telemetry/instruments.js";
import { type JsonSchema, unsupportedKeywords, validate } from "../../support/json-schema.js";
import { projectRoot } from "../../support/paths.js";

const infra = join(projectRoot, "infra");
const workbookFile = join(infra, "workbook", "aci-connector.workbook.json");
const workbookText = readFileSync(workbookFile, "utf8");
const schema = JSON.parse(readFileSync(join(infra, "workbook", "schema", "workbook.json"), "utf8")) as JsonSchema;

interface Item {
  type: number;
  name?: string;
  content: Record<string, unknown>;
}
interface QueryItem extends Item {
  content: { query: string; title?: string; visualization?: string; queryType?: number; resourceType?: string; timeContextFromParameter?: string };
}
interface Workbook {
  version: string;
  items: Item[];
}
const workbook = JSON.parse(workbookText) as Workbook;

/** Every item, those inside groups (type 12) included. */
function allItems(items: Item[]): Item[] {
  return items.flatMap((item) => [item, ...(item.type === 12 ? allItems((item.content.items as Item[] | undefined) ?? []) : [])]);
}
const items = allItems(workbook.items);
const queries = items.filter((i): i is QueryItem => i.type === 3);
const parameters = items.filter((i) => i.type === 9).flatMap((i) => i.content.parameters as { name: string; type: number }[]);

const declared = Object.values(instruments);
const charts = ["timechart", "linechart", "areachart", "barchart", "unstackedbar", "scatterchart", "piechart"];

/** A query's text without its // comments, which may mention anything. */
const code = (query: string) => query.replace(/\/\/.*$/gm, "");
/** The metrics a query reads: the names it compares customMetrics' `name` with (== or in (...)). */
function metricsOf(query: string): string[] {
  const text = code(query);
  const compared = [...text.matchAll(/\bname\s*==\s*"([^"]*)"/g)].map((m) => m[1]!);
  const listed = [...text.matchAll(/\bname\s+in\s*\(([^)]*)\)/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]*)"/g)].map((s) => s[1]!));
  return [...compared, ...listed];
}
/** The attributes a query reads: customDimensions["x"], customDimensions['x'] or customDimensions.x. */
function dimensionsOf(query: string): string[] {
  return [...code(query).matchAll(/customDimensions(?:\[\s*["']([^"']+)["']\s*\]|\.(\w+))/g)].map((m) => m[1] ?? m[2]!);
}
const metricQueries = queries.filter((q) => /\bcustomMetrics\b/.test(code(q.content.query)));

describe("infra/ workbook", () => {
  it("conforms to Microsoft's workbook schema (vendored), every keyword of which the validator checks", () => {
    assert.deepEqual(unsupportedKeywords(schema), []);
    assert.deepEqual(validate(schema, workbook), []);
    assert.equal(workbook.version, "Notebook/1.0");
  });

  it("is refused by that check when an item is malformed (the check is not vacuous)", () => {
    const broken = structuredClone(workbook);
    const query = broken.items.find((i) => i.type === 3)!;
    delete (query as Partial<Item>).content;
    const markdown = broken.items.find((i) => i.type === 1)!;
    markdown.content.json = 42;
    const errors = validate(schema, broken);
    assert.ok(errors.some((e) => e.includes(`/items/${broken.items.indexOf(query)}`) && e.includes('lacks "content"')), errors.join("\n"));
    assert.ok(errors.some((e) => e.includes(`/items/${broken.items.indexOf(markdown)}`) && e.includes("/content/json: is a number, not string")), errors.join("\n"));
  });

  it("queries only metrics the code declares, and only their declared attributes, one metric per query", () => {
    assert.ok(metricQueries.length > 0, "the parser found no metric query");
    for (const { content, name } of metricQueries) {
      const metrics = metricsOf(content.query);
      assert.equal(metrics.length, 1, `${name} reads customMetrics but names ${metrics.length} metrics (${metrics.join(", ")}): one per query, so its attributes can be checked`);
      const instrument = declared.find((i) => i.name === metrics[0]);
      assert.ok(instrument !== undefined, `${name} charts "${metrics[0]}", which shared/telemetry/instruments.ts does not declare`);
      for (const dimension of dimensionsOf(content.query)) {
        assert.ok((instrument.attributes as readonly string[]).includes(dimension), `${name} reads the attribute "${dimension}", which ${instrument.name} does not declare`);
      }
    }
    // Belt and braces: no metric-like name anywhere in a query that the code does not declare.
    for (const { content, name } of queries) {
      for (const [literal] of code(content.query).matchAll(/aci_connector\.[\w.]+/g)) {
        assert.ok(declared.some((i) => i.name === literal), `${name} names "${literal}", which shared/telemetry/instruments.ts does not declare`);
      }
    }
  });

  it("charts every metric the code declares", () => {
    for (const instrument of declared) {
      const charted = metricQueries.filter((q) => charts.includes(q.content.visualization ?? "") && metricsOf(q.content.query).includes(instrument.name));
      assert.ok(charted.length > 0, `no chart of ${instrument.name} (shared/telemetry/instruments.ts)`);
    }
  });

  it("aggregates each metric as Azure Monitor stores its kind", () => {
    for (const { content, name } of metricQueries) {
      const instrument = declared.find((i) => i.name === metricsOf(content.query)[0]);
      if (instrument === undefined) continue; // an undeclared metric fails the test above
      const text = code(content.query);
      const sumsValue = /\bsum\(value\)/.test(text);
      if (instrument.kind === "histogram") {
        // A row is one export interval's aggregate: its `value` is the sum, so counts come from valueCount.
        assert.match(text, /\bvalueCount\b/, `${name}: a histogram's row counts valueCount measurements`);
        assert.ok(!sumsValue, `${name}: sum(value) of a histogram adds up durations, not measurements`);
      } else if (instrument.kind === "counter") {
        assert.ok(sumsValue, `${name}: a counter's rows are deltas (delta temporality), added up with sum(value)`);
      } else {
        assert.ok(!sumsValue, `${name}: a gauge's rows are levels, never added up over time`);
      }
    }
  });

  it("shows ARM's 429s, pods by phase, reconcile outcomes and duration percentiles, and the last errors with their function", () => {
    const find = (test: (q: QueryItem) => boolean, what: string) => assert.ok(queries.some(test), `no query item ${what}`);
    const reads = (q: QueryItem, metric: string) => metricsOf(q.content.query).includes(metric);
    find((q) => reads(q, instruments.armRequests.name) && /"http\.response\.status_code"\]\) == "429"/.test(q.content.query), "of ARM's 429s");
    find((q) => reads(q, instruments.pods.name) && dimensionsOf(q.content.query).includes("k8s.pod.phase"), "of pods by phase");
    find((q) => reads(q, instruments.reconcileDuration.name) && dimensionsOf(q.content.query).includes("outcome"), "of reconcile outcomes");
    find((q) => reads(q, instruments.reconcileDuration.name) && /percentilew\(/.test(q.content.query), "of reconcile duration percentiles");
    const errors = queries.find((q) => /\btraces\b/.test(q.content.query) && /\bexceptions\b/.test(q.content.query));
    assert.ok(errors !== undefined, "no grid of the last errors");
    assert.equal(errors.content.visualization, "table");
    assert.match(errors.content.query, /\(traces\s*\| where severityLevel >= 3\n/, "logs of Error (3) and Critical (4) only");
    assert.match(errors.content.query, /\(exceptions\s*\| where isnull\(severityLevel\) or severityLevel >= 3\n/, "exceptions, but not those logged below Error");
    assert.match(errors.content.query, /\| project timestamp, functionName,/, "each error names its function");
  });

  it("states ARM's read refill and the reconcile period as the code has them", () => {
    const markdown = items.filter((i) => i.type === 1).map((i) => i.content.json as string);
    const perMinute = (armBudget.buckets.reads.refillPerSecond * 60).toLocaleString("en-US");
    assert.ok(markdown.some((text) => text.includes(`refills ${perMinute} reads a minute`)), `the ARM section says ${perMinute} reads a minute`);
    const period = /^\*\/(\d+) \* \* \* \* \*$/.exec(triggers.reconcile.schedule)?.[1];
    assert.ok(period !== undefined, `reconcile's schedule ${triggers.reconcile.schedule} is every N seconds`);
    const reconcileText = markdown.find((text) => text.startsWith("## Reconcile"));
    assert.match(reconcileText ?? "", new RegExp(`Every ${period} s reconcile .* its ${period} s period`));
  });

  it("runs every query on the Application Insights resource, over the workbook's time range, with a title and a unique name", () => {
    assert.deepEqual(parameters.filter((p) => p.name === "TimeRange").map((p) => p.type), [4], "one TimeRange parameter, a time range picker (type 4)");
    for (const { content, name } of queries) {
      assert.equal(content.queryType, 0, `${name}: a Logs (KQL) query`);
      assert.equal(content.resourceType, "microsoft.insights/components", `${name}: on Application Insights`);
      assert.equal(content.timeContextFromParameter, "TimeRange", `${name}: over the workbook's time range`);
      assert.ok((content.title ?? "").length > 0, `${name}: a title`);
      for (const [, parameter] of content.query.matchAll(/\{(\w+)(?::\w+)?\}/g)) {
        assert.ok(parameters.some((p) => p.name === parameter), `${name} uses {${parameter}}, which no parameter defines`);
      }
    }
    const names = items.map((i) => i.name);
    assert.ok(names.every((n) => n !== undefined && n.length > 0), "every item named (the portal's pins and links use it)");
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], "names are unique");
    // As Microsoft's own workbook gallery requires: no resource id in the file (the Bicep adds the one it deploys for).
    assert.doesNotMatch(workbookText, /\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-/i);
  });

  it("is deployed by infra/main.bicep through modules/workbook.bicep, on the Application Insights resource, updated in place on redeploy", () => {
    const main = readFileSync(join(infra, "main.bicep"), "utf8");
    assert.match(main, /^module workbook 'modules\/workbook\.bicep' = \{\n {2}scope: rg\n/m);
    assert.match(main, /appInsightsId: monitoring\.outputs\.id\b/);
    assert.match(readFileSync(join(infra, "modules", "monitoring.bicep"), "utf8"), /^output id string = appInsights\.id$/m);
    const module = readFileSync(join(infra, "modules", "workbook.bicep"), "utf8");
    const loaded = /loadJsonContent\('([^']+)'\)/.exec(module);
    assert.ok(loaded !== null, "the workbook is loaded from its file");
    assert.equal(join(infra, "modules", loaded[1]!), workbookFile);
    // loadJsonContent's limit (learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-files).
    assert.ok(workbookText.length <= 1_048_576);
    assert.match(module, /^var content = union\(loadJsonContent\('[^']+'\), \{ fallbackResourceIds: \[ appInsightsId \] \}\)$/m, "opened on the connector's Application Insights from anywhere");
    assert.match(module, /^resource workbook 'Microsoft\.Insights\/workbooks@2023-06-01' = \{$/m);
    // A name derived from the resource, never newGuid(): a second deployment updates the workbook instead of adding one.
    assert.match(module, /^ {2}name: guid\(appInsightsId, '[^']+'\)$/m);
    assert.doesNotMatch(module, /newGuid\(/);
    for (const property of [/^ {2}kind: 'shared'$/m, /^ {4}category: 'workbook'$/m, /^ {4}sourceId: appInsightsId$/m, /^ {4}version: content\.version$/m, /^ {4}serializedData: string\(content\)$/m]) {
      assert.match(module, property);
    }
  });
});
