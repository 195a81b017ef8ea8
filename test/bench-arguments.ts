// What `npm run bench [-- <benchmark> [options]]` runs: the test runner's arguments and the environment
// that sizes the benchmarks. Kept apart from bench.ts so that a test can check it.

/** The status benchmark's pod counts (comma-separated), and the file its JSON object is written to. */
export const statusPodsEnvVar = "ACI_CONNECTOR_BENCH_STATUS_PODS";
export const statusResultEnvVar = "ACI_CONNECTOR_BENCH_STATUS_RESULT";
/**
 * The status benchmark's window in seconds, when given. Its default (long enough for our default share to
 * re-read every pod twice) is more than half an hour at 10,000 pods; a shorter one counts the exits it
 * did not see as not seen.
 */
export const statusWindowEnvVar = "ACI_CONNECTOR_BENCH_STATUS_WINDOW_SECONDS";

/** The reconcile-at-scale benchmark's pod counts (comma-separated, growing). */
export const reconcilePodsEnvVar = "ACI_CONNECTOR_BENCH_RECONCILE_PODS";

/** The sizes `npm run bench` gives every benchmark when none is named. */
export const everyBenchmarkEnv: Readonly<Record<string, string>> = {
  ACI_CONNECTOR_BENCH_PODS: "100,1000",
  ACI_CONNECTOR_BENCH_FOLLOW_SECONDS: "60",
  ACI_CONNECTOR_BENCH_METRICS_PODS: "100,1000",
  [statusPodsEnvVar]: "100,1000",
  [reconcilePodsEnvVar]: "1000,10000",
};

/** Issue 15's three sizes, in sequence, when `status` is given no --pods. */
export const statusSizes = "100,1000,10000";

export type BenchPlan = { readonly ok: true; readonly runArgs: readonly string[]; readonly env: Readonly<Record<string, string>> } | { readonly ok: false; readonly problems: readonly string[] };

export const benchUsage =
  "usage: npm run bench [-- status [--pods N] [--window S]]   (N: a number of pods, e.g. 100; 100, 1,000 and 10,000 in sequence without --pods; S: the measuring window in seconds, by default long enough to see every exit)";

/** The plan for the command line's arguments (after `npm run bench --`); every problem named at once. */
export function planBench(args: readonly string[]): BenchPlan {
  if (args.length === 0) return { ok: true, runArgs: ["bench"], env: everyBenchmarkEnv };
  const [benchmark, ...rest] = args;
  if (benchmark !== "status") return { ok: false, problems: [`unknown benchmark "${benchmark}": the one with options is status`, benchUsage] };
  const problems: string[] = [];
  const values: Record<string, string> = {};
  const options: Record<string, { readonly envVar: string; readonly what: string }> = {
    "--pods": { envVar: statusPodsEnvVar, what: "a whole number of pods above 0" },
    "--window": { envVar: statusWindowEnvVar, what: "a whole number of seconds above 0" },
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    const option = options[flag];
    if (option === undefined) {
      problems.push(`unknown option "${arg}" for status`);
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined || !/^[1-9][0-9]*$/.test(value)) problems.push(`${flag} needs ${option.what}, not ${value === undefined ? "nothing" : `"${value}"`}`);
    else values[option.envVar] = value;
  }
  if (problems.length > 0) return { ok: false, problems: [...problems, benchUsage] };
  return { ok: true, runArgs: ["bench/status-side-by-side"], env: { [statusPodsEnvVar]: statusSizes, ...values } };
}
