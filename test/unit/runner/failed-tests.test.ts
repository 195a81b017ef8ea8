// The run's failure summary (test/failed-tests.ts): CI shows only the end of a run's output, so the
// failed tests are printed again there. Read from what node's own runner prints for a failing file.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FailedTests } from "../../failed-tests.js";

const failingFile = `
import assert from "node:assert/strict";
import { describe, it } from "node:test";
describe("outer suite", () => {
  it("passes", () => {});
  describe("inner suite", () => {
    it("compares two numbers", () => assert.equal(1 + 1, 3));
  });
});
it("throws on its own", () => { throw new Error("a top-level failure"); });
it("passes too", () => {});
`;

describe("the run's failed tests, repeated at its end", () => {
  let dir: string;
  let tap: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "failed-tests-"));
    const file = join(dir, "sample.test.mjs");
    await writeFile(file, failingFile);
    // The same runner and reporter as run.ts: node's TAP on stdout (not a terminal). Without the
    // variable by which this test's own runner would make it a child reporting in its own protocol.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    tap = spawnSync(process.execPath, ["--test", "--test-reporter=tap", file], { encoding: "utf8", env }).stdout;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("names each failed test with its suites, and not the suites that failed because of it", () => {
    const failed = new FailedTests();
    failed.feed(tap);
    assert.deepEqual(
      failed.failures.map((f) => f.path),
      [
        ["outer suite", "inner suite", "compares two numbers"],
        ["throws on its own"],
      ],
    );
  });

  it("keeps each failure's error", () => {
    const failed = new FailedTests();
    failed.feed(tap);
    assert.match(failed.failures[0]!.details.join("\n"), /Expected values to be strictly equal:[\s\S]*2 !== 3/);
    assert.match(failed.failures[1]!.details.join("\n"), /a top-level failure/);
  });

  it("reads the output in chunks that end inside lines", () => {
    const whole = new FailedTests();
    whole.feed(tap);
    const chunked = new FailedTests();
    for (let i = 0; i < tap.length; i += 7) chunked.feed(tap.slice(i, i + 7));
    assert.deepEqual(chunked.failures, whole.failures);
  });

  it("prints one line per failure, its details indented under it", () => {
    const failed = new FailedTests();
    failed.feed(tap);
    const summary = failed.summary();
    assert.equal(summary[0], "# 2 failed, repeated from above:");
    assert.deepEqual(
      summary.filter((l) => l.startsWith("# not ok: ")),
      ["# not ok: outer suite > inner suite > compares two numbers", "# not ok: throws on its own"],
    );
    assert.ok(summary.slice(1).every((l) => l.startsWith("# not ok: ") || l.startsWith("#   ")));
  });

  it("prints nothing for a run with no failure", () => {
    const failed = new FailedTests();
    failed.feed("TAP version 13\n# Subtest: a\nok 1 - a\n  ---\n  duration_ms: 1\n  ...\n1..1\n");
    assert.deepEqual(failed.summary(), []);
  });

  it("keeps the first lines of a long block and says how many more there are", () => {
    const failed = new FailedTests();
    const block = Array.from({ length: 100 }, (_, i) => `  line ${i}`).join("\n");
    failed.feed(`not ok 1 - long\n  ---\n${block}\n  ...\n`);
    const details = failed.failures[0]!.details;
    assert.equal(details.length, 61);
    assert.equal(details[59], "line 59");
    assert.equal(details[60], "(40 more lines in the output above)");
  });

  it("takes a failure printed without a YAML block", () => {
    const failed = new FailedTests();
    failed.feed("not ok 1 - bare\nnot ok 2 - another\n  ---\n  error: 'x'\n  ...\n");
    assert.deepEqual(failed.failures, [
      { path: ["bare"], details: [] },
      { path: ["another"], details: ["error: 'x'"] },
    ]);
  });
});
