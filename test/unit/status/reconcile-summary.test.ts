// The last reconcile tick as published on the nodes: its outcome, its first error without secrets, its
// figures, when it is worth a write, and reading it back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstErrorMaxLength, parseReconcileSummary, reconcileSummaryOf, summaryRefreshMs, summaryWorthWriting, type ReconcileSummary, type TickResult } from "../../../shared/status/reconcile-summary.js";
import { scrubbed, scrubSecrets } from "../../../shared/status/scrub.js";

const startedAt = new Date("2026-11-26T08:00:00.000Z");
const endedAt = new Date("2026-11-26T08:00:01.250Z");
const arm = { windowSeconds: 300, reads: 120, writes: 3, deletes: 1, remainingReads: 230 };
const token = "Zq8b1Yw2-webhook-path-token-4f0c9e1a7d";
const summaryOf = (result: TickResult) => reconcileSummaryOf({ result, startedAt, endedAt, arm, readsPerTick: 187, periodSeconds: 15, secrets: [token] });
const finished = (errors: string[], throttled = false): TickResult => ({ finished: true, pods: 4, groups: 3, errors, throttled });

describe("the reconcile summary", () => {
  const outcomes: { description: string; result: TickResult; outcome: string; errors: number; firstError?: string }[] = [
    { description: "a clean tick", result: finished([]), outcome: "ok", errors: 0 },
    { description: "a tick with failures", result: finished(["creating container group g: 500 InternalServerError", "second"]), outcome: "errors", errors: 2, firstError: "creating container group g: 500 InternalServerError" },
    { description: "a tick ARM throttled", result: finished(["429 TooManyRequests"], true), outcome: "throttled", errors: 1, firstError: "429 TooManyRequests" },
    { description: "a tick that stopped", result: { finished: false, error: "reconcile cannot list the pods of n: 503" }, outcome: "failed", errors: 1, firstError: "reconcile cannot list the pods of n: 503" },
  ];
  for (const c of outcomes) {
    it(`says ${c.outcome} for ${c.description}`, () => {
      const s = summaryOf(c.result);
      assert.equal(s.outcome, c.outcome);
      assert.equal(s.errors, c.errors);
      assert.equal(s.firstError, c.firstError);
    });
  }

  it("carries the tick's time, duration, pods, groups, ARM counts and the read budget per minute", () => {
    assert.deepEqual(summaryOf(finished([])), {
      at: "2026-11-26T08:00:01.250Z",
      durationMs: 1250,
      outcome: "ok",
      errors: 0,
      pods: 4,
      groups: 3,
      arm,
      // 187 reads per 15 s tick.
      readBudgetPerMinute: 748,
    });
  });

  it("publishes no secret in the first error, and cuts a long one", () => {
    const s = summaryOf(finished([`POST https://fn/api/pod-webhook/${token} failed: Authorization: Bearer eyJhbGciOi.abc.def`]));
    assert.equal(s.firstError, `POST https://fn/api/pod-webhook/${scrubbed} failed: Authorization: Bearer ${scrubbed}`);
    const long = summaryOf(finished(["x".repeat(1000)]));
    assert.equal(long.firstError!.length, firstErrorMaxLength);
  });

  it("reads back what it wrote, and nothing from a value that is not a summary", () => {
    const s = summaryOf(finished(["boom"]));
    assert.deepEqual(parseReconcileSummary(JSON.stringify(s)), s);
    for (const bad of [undefined, "", "not json", "null", "[]", JSON.stringify({ ...s, outcome: "fine" }), JSON.stringify({ ...s, at: "yesterday" }), JSON.stringify({ ...s, arm: { reads: 1 } })]) {
      assert.equal(parseReconcileSummary(bad), undefined, String(bad));
    }
  });
});

describe("when the summary is written", () => {
  const base: ReconcileSummary = summaryOf(finished([]));
  const at = 1_000_000;
  const cases: { description: string; next: ReconcileSummary; afterMs: number; write: boolean }[] = [
    { description: "the same outcome a tick later", next: { ...base, at: "2026-11-26T08:00:16.000Z", durationMs: 900, arm: { ...arm, reads: 130 } }, afterMs: 15_000, write: false },
    { description: "the same outcome a minute later", next: { ...base, durationMs: 900 }, afterMs: summaryRefreshMs, write: true },
    { description: "another outcome at once", next: { ...base, outcome: "errors", errors: 1, firstError: "boom" }, afterMs: 15_000, write: true },
    { description: "another first error at once", next: { ...base, errors: 0, firstError: "other" }, afterMs: 15_000, write: true },
    { description: "another number of errors at once", next: { ...base, errors: 2 }, afterMs: 15_000, write: true },
  ];
  for (const c of cases) {
    it(`${c.write ? "writes" : "does not write"} ${c.description}`, () => {
      assert.equal(summaryWorthWriting({ summary: base, writtenAtMs: at }, c.next, at + c.afterMs), c.write);
    });
  }
  it("writes the first summary", () => assert.equal(summaryWorthWriting(undefined, base, at), true));
});

describe("scrubbing secrets from published words", () => {
  const cases: { text: string; scrubbedText: string }[] = [
    { text: "Authorization: Bearer abc.def-ghi", scrubbedText: `Authorization: Bearer ${scrubbed}` },
    { text: "https://x.blob.core.windows.net/c?sv=2020&sig=AbC%2Bd&se=1", scrubbedText: `https://x.blob.core.windows.net/c?sv=2020&sig=${scrubbed}&se=1` },
    { text: "AccountName=a;AccountKey=c2VjcmV0;EndpointSuffix=core", scrubbedText: `AccountName=a;AccountKey=${scrubbed};EndpointSuffix=core` },
    { text: "password=hunter22 user=bob", scrubbedText: `password=${scrubbed} user=bob` },
    { text: `path /api/pod-webhook/${token}/x`, scrubbedText: `path /api/pod-webhook/${scrubbed}/x` },
    { text: "container group default-web-0123 in westeurope: 409 Conflict", scrubbedText: "container group default-web-0123 in westeurope: 409 Conflict" },
  ];
  for (const c of cases) it(`scrubs ${JSON.stringify(c.text)}`, () => assert.equal(scrubSecrets(c.text, [token, "short"]), c.scrubbedText));
  it("ignores known values too short to be secrets (they would match ordinary words)", () => assert.equal(scrubSecrets("a short word", ["short"]), "a short word"));
});
