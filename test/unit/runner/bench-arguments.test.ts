// `npm run bench [-- status [--pods N] [--window S]]` (test/bench-arguments.ts): what it runs and with which sizes. A
// mistyped option must stop with its name, never run the 10,000-pod default or every benchmark instead.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { benchUsage, everyBenchmarkEnv, planBench, reconcilePodsEnvVar, statusPodsEnvVar, statusSizes, statusWindowEnvVar } from "../../bench-arguments.js";

describe("npm run bench arguments", () => {
  it("no arguments: every benchmark at its full sizes, the status one at 100 and 1,000 pods, reconcile's at 1,000 and 10,000", () => {
    assert.deepEqual(planBench([]), { ok: true, runArgs: ["bench"], env: everyBenchmarkEnv });
    assert.equal(everyBenchmarkEnv[statusPodsEnvVar], "100,1000");
    assert.equal(everyBenchmarkEnv[reconcilePodsEnvVar], "1000,10000");
  });

  const cases: { args: string[]; pods: string }[] = [
    { args: ["status"], pods: statusSizes },
    { args: ["status", "--pods", "100"], pods: "100" },
    { args: ["status", "--pods=1000"], pods: "1000" },
  ];
  for (const c of cases) {
    it(`${c.args.join(" ")}: the status benchmark's file alone, at ${c.pods} pods`, () => {
      assert.deepEqual(planBench(c.args), { ok: true, runArgs: ["bench/status-side-by-side"], env: { [statusPodsEnvVar]: c.pods } });
    });
  }
  it("without --pods: 100, 1,000 and 10,000 in sequence", () => assert.equal(statusSizes, "100,1000,10000"));
  it("--window S: the measuring window in seconds, beside the sizes", () => {
    assert.deepEqual(planBench(["status", "--pods", "10000", "--window=300"]), { ok: true, runArgs: ["bench/status-side-by-side"], env: { [statusPodsEnvVar]: "10000", [statusWindowEnvVar]: "300" } });
    assert.deepEqual(planBench(["status", "--window", "60"]), { ok: true, runArgs: ["bench/status-side-by-side"], env: { [statusPodsEnvVar]: statusSizes, [statusWindowEnvVar]: "60" } });
  });

  const refusals: { args: string[]; problems: string[] }[] = [
    { args: ["statuss"], problems: ['unknown benchmark "statuss": the one with options is status'] },
    { args: ["status", "--pods"], problems: ["--pods needs a whole number of pods above 0, not nothing"] },
    { args: ["status", "--pods", "0"], problems: ['--pods needs a whole number of pods above 0, not "0"'] },
    { args: ["status", "--pods", "1e3"], problems: ['--pods needs a whole number of pods above 0, not "1e3"'] },
    { args: ["status", "--window", "5m", "--pods=-1"], problems: ['--window needs a whole number of seconds above 0, not "5m"', '--pods needs a whole number of pods above 0, not "-1"'] },
    { args: ["status", "--pod", "100", "--seed=3"], problems: ['unknown option "--pod" for status', 'unknown option "100" for status', 'unknown option "--seed=3" for status'] },
  ];
  for (const r of refusals) {
    it(`refuses ${r.args.join(" ")}, naming every problem`, () => assert.deepEqual(planBench(r.args), { ok: false, problems: [...r.problems, benchUsage] }));
  }
});
