// The entry point behind `npm run bench`: every benchmark at its full sizes, or one benchmark with its
// own options (`npm run bench -- status --pods 100`), through the test runner (run.ts), which stays as
// it is for tests. The status benchmark's JSON object is printed last, after the runner's summary.
import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { planBench, statusResultEnvVar } from "./bench-arguments.js";

const plan = planBench(process.argv.slice(2));
if (!plan.ok) {
  for (const problem of plan.problems) process.stderr.write(`${problem}\n`);
  process.exit(2);
}
const resultFile = join(await mkdtemp(join(tmpdir(), "aci-connector-bench-")), "status.json");
const child = spawn(process.execPath, [fileURLToPath(new URL("run.js", import.meta.url)), ...plan.runArgs], {
  stdio: "inherit",
  env: { ...process.env, ...plan.env, [statusResultEnvVar]: resultFile },
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", forward).on("SIGTERM", forward);
const code = await new Promise<number>((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 130 : 1))));
const result = await readFile(resultFile, "utf8").catch(() => undefined);
if (result !== undefined) process.stdout.write(result);
process.exitCode = code;
