// The webhook's secret path segment reaches no telemetry the worker exports. First the scrub itself, on
// every place a span can carry text; then real HTTPS requests to the webhook route (the right token, a
// wrong one), served by functions/podWebhook.ts on the local functions host inside the host's trace
// (inHostTrace, as functions/telemetry.ts installs it), with an HTTP server span recorded as an HTTP
// instrumentation records one (name, url.full, url.path, http.target): no exported span and no log line
// of the invocation carries either token.
import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import type { HttpHandler } from "@azure/functions";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { startHttpsFunctionServer, type HttpsFunctionServer } from "../../../dev/functions-host/https-server.js";
import { createCertificateAuthority } from "../../../dev/pki.js";
import { podWebhook } from "../../../functions/podWebhook.js";
import { triggers } from "../../../functions/triggers.js";
import { useLocalRelay } from "../../../shared/runtime/connector.js";
import { enableTraceContext, inHostTrace, startTelemetry, type RunningTelemetry } from "../../../shared/telemetry/start.js";
import { redactedToken, webhookTokenScrub } from "../../../shared/telemetry/webhook-token-scrub.js";
import { newPathToken } from "../../../shared/webhook/path-token.js";
import { webhookOnlySettings } from "../../support/webhook-settings.js";

const prefix = "/api/pod-webhook/";
const token = newPathToken();

describe("the webhook token scrub", () => {
  const scrub = webhookTokenScrub(prefix, token);
  const cases: [string, string, string][] = [
    ["a span name", `POST ${prefix}${token}`, `POST ${prefix}${redactedToken}`],
    ["url.full, query kept", `https://aci.example.net${prefix}${token}?timeout=5s`, `https://aci.example.net${prefix}${redactedToken}?timeout=5s`],
    ["a wrong token (never configured)", `${prefix}not-the-token`, `${prefix}${redactedToken}`],
    ["the route in another case", `/API/Pod-Webhook/${token}`, `/API/Pod-Webhook/${redactedToken}`],
    ["the token quoted in a message", `"${prefix}${token}" answered 404`, `"${prefix}${redactedToken}" answered 404`],
    ["the configured token anywhere else", `token=${token}`, `token=${redactedToken}`],
    ["the route's template (nothing to hide)", `POST ${triggers.podWebhook.route}`, `POST ${triggers.podWebhook.route}`],
    ["another route", "/containerLogs/default/web/app", "/containerLogs/default/web/app"],
  ];
  for (const [where, text, expected] of cases) it(`in ${where}`, () => assert.equal(scrub(text), expected));
});

describe("a request to the webhook, through the telemetry set-up", () => {
  let server: HttpsFunctionServer;
  let ca: string;
  let running: RunningTelemetry;
  const spans = new InMemorySpanExporter();
  const logLines: string[] = [];
  const wrongToken = newPathToken();
  // The host's trace for the invocation (its W3C traceparent, handed to the worker).
  const hostTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

  before(async () => {
    Object.assign(process.env, webhookOnlySettings("telemetry-test", token));
    useLocalRelay({ publish: () => Promise.resolve() });
    enableTraceContext();
    running = startTelemetry({ spans: [spans], metrics: [] }, { webhookPathPrefix: prefix, webhookPathToken: token, spansAtOnce: true });
    const tracer = running.tracerProvider.getTracer("http-instrumentation-stand-in");
    // As an HTTP server instrumentation records a request, around the handler the host invokes.
    const instrumented: HttpHandler = (req, context) => {
      const url = new URL(req.url);
      return tracer.startActiveSpan(`POST ${url.pathname}`, { kind: SpanKind.SERVER, attributes: { "url.full": url.href, "url.path": url.pathname, "http.target": url.pathname, "http.route": triggers.podWebhook.route } }, async (span) => {
        try {
          const answer = await podWebhook(req, context);
          span.setAttribute("http.response.status_code", answer.status ?? 200);
          if ((answer.status ?? 200) >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `${url.pathname} answered ${answer.status}` });
          return answer;
        } finally {
          span.end();
        }
      });
    };
    const authority = await createCertificateAuthority("telemetry test CA");
    ca = authority.certPem;
    server = await startHttpsFunctionServer({
      ca: authority,
      log: (line) => logLines.push(line),
      routes: [{ name: "podWebhook", route: triggers.podWebhook.route, methods: triggers.podWebhook.methods, handler: (req, context) => inHostTrace({ traceParent: `00-${hostTraceId}-00f067aa0ba902b7-01` }, instrumented)(req, context) }],
    });
  });
  after(async () => {
    await server.stop();
    await running.shutdown();
  });

  const post = (path: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${server.origin}${path}`, { method: "POST", ca, headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });

  it("exports spans and logs without the token, the right one or a wrong one", async () => {
    const review = JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "705ab4f5-6393-11e8-b7cc-42010a800002", operation: "CREATE", resource: { group: "", version: "v1", resource: "pods" }, namespace: "default", name: "web" } });
    assert.equal(await post(`${prefix}${token}`, review), 200);
    assert.equal(await post(`${prefix}${wrongToken}`, review), 404);
    // Malformed, with the right token: the handler answers why, and says it nowhere but in the answer.
    assert.equal(await post(`${prefix}${token}`, "{"), 400);
    await running.flush();

    const exported = spans.getFinishedSpans();
    assert.equal(exported.length, 3);
    const text = JSON.stringify(exported.map((s: ReadableSpan) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links })));
    for (const secret of [token, wrongToken]) {
      assert.ok(!text.includes(secret), "an exported span carries a token");
      assert.ok(!logLines.some((line) => line.includes(secret)), "a log line carries a token");
    }
    assert.deepEqual(exported.map((s) => s.name), Array(3).fill(`POST ${prefix}${redactedToken}`));
    assert.deepEqual(exported.map((s) => s.attributes["url.path"]), Array(3).fill(`${prefix}${redactedToken}`));
    assert.match(String(exported[0]!.attributes["url.full"]), new RegExp(`^https://127\\.0\\.0\\.1(:\\d+)?${prefix}\\{token\\}$`));
    // Each request joined the host's trace: the spans are the host's invocation's, scrubbed, not new ones.
    assert.deepEqual(exported.map((s) => s.spanContext().traceId), Array(3).fill(hostTraceId));
  });
});
