// The test entry point behind `npm test`: node's own test runner, with one real Kubernetes control
// plane started for the whole run (node 20's runner has no global setup of its own).
//
//   node dist/test/run.js                 every group
//   node dist/test/run.js unit emulator   only those groups (folders under test/: unit, emulator,
//                                         integration, bench, audit)
//   node dist/test/run.js integration/local-run   only the files starting so (beside whole groups:
//                                         unit integration/local-run runs both)
//   A group or prefix that selects no file stops the run (exit 1) instead of running zero tests.
//   node dist/test/run.js integration/faults --test-name-pattern="orphan"   and only the tests so named
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureControlPlaneBinaries, ensureMetricsServerBinary } from "../dev/control-plane/binaries.js";
import { startControlPlane } from "../dev/control-plane/launch.js";
import { FailedTests } from "./failed-tests.js";
import { selectTestFiles } from "./selection.js";
import { clusterEnvVar } from "./support/cluster.js";
import { testOutputEnvVar } from "./support/test-output.js";

// audit runs last, after the others have finished: it reads what the connector emitted in them.
const groups = ["unit", "emulator", "integration", "bench", "audit"] as const;
/** The groups that need the Kubernetes control plane. */
const clusterGroups: readonly string[] = ["integration", "bench"];
const compiledTestRoot = fileURLToPath(new URL(".", import.meta.url));
const projectRoot = join(compiledTestRoot, "..", "..");

async function run(): Promise<number> {
  // Arguments with a "/" select files within their group, e.g. integration/local-run.
  // Options for node's test runner (e.g. --test-name-pattern=...) pass through; the rest name groups or files.
  const runnerOptions = process.argv.slice(2).filter((a) => a.startsWith("--"));
  const names = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const filesByGroup = new Map<string, string[]>();
  for (const g of groups) filesByGroup.set(g, (await testFiles(join(compiledTestRoot, g))).map((f) => relative(compiledTestRoot, f)));
  const selection = selectTestFiles(names, filesByGroup);
  if (selection.problems.length > 0) {
    // A group or prefix that selects nothing stops the run: zero tests would look like a pass.
    for (const problem of selection.problems) process.stderr.write(`${problem}\n`);
    return names.some((n) => !filesByGroup.has(n.split("/")[0]!)) ? 2 : 1;
  }
  const files = selection.files.map((f) => join(compiledTestRoot, f));
  const selected = [...new Set(selection.files.map((f) => f.split("/")[0]!))];

  // What the connector emits in this run, for the audit group; a fresh directory each run.
  const env: NodeJS.ProcessEnv = { ...process.env, [testOutputEnvVar]: await mkdtemp(join(tmpdir(), "aci-connector-test-output-")) };
  let stopControlPlane: (() => Promise<void>) | undefined;
  if (selected.some((g) => clusterGroups.includes(g))) {
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    const binDir = await ensureControlPlaneBinaries({ progress });
    const metricsServerBinary = await ensureMetricsServerBinary({ progress });
    const dir = join(projectRoot, ".local", "test-control-plane");
    await mkdir(dir, { recursive: true });
    const controlPlane = await startControlPlane({
      binDir,
      dir,
      nodeMonitorGracePeriodSeconds: 20,
      // Pods are evicted 10 s after their node goes NotReady or Unknown (300 s by default): a test
      // that lets the connector lose a node would see its pods go, instead of finishing first.
      evictionTolerationSeconds: 10,
      metricsServerBinary,
      // The HPA controller every 5 s (15 s by default) and scale-in after 15 s of lower recommendations
      // (5 minutes by default), for the tests' control plane only: integration/autoscaling sees a scale
      // out and back in within its few minutes.
      horizontalPodAutoscaler: { syncPeriodSeconds: 5, downscaleStabilizationSeconds: 15 },
      progress,
    });
    stopControlPlane = () => controlPlane.stop();
    const descriptor = join(dir, "cluster.json");
    await writeFile(descriptor, JSON.stringify(controlPlane.descriptor, null, 2));
    env[clusterEnvVar] = descriptor;
  }

  try {
    // The audit reads what the other groups left behind, so it runs after them, in a run of its own
    // (node's runner orders the files it is given by itself).
    const isAudit = (f: string) => relative(compiledTestRoot, f).startsWith("audit");
    const first = files.filter((f) => !isAudit(f));
    const audit = files.filter(isAudit);
    const code = first.length > 0 ? await nodeTest(first, env, runnerOptions) : 0;
    const auditCode = audit.length > 0 ? await nodeTest(audit, env, runnerOptions) : 0;
    return code || auditCode;
  } finally {
    await stopControlPlane?.();
  }
}

function nodeTest(files: string[], env: NodeJS.ProcessEnv, runnerOptions: readonly string[]): Promise<number> {
  process.stderr.write(`running ${files.length} test files: ${files.map((f) => relative(compiledTestRoot, f)).join(" ")}\n`);
  // One file at a time: the integration files share one control plane and this machine has 2 cores.
  const child = spawn(process.execPath, ["--enable-source-maps", "--test", "--test-concurrency=1", ...runnerOptions, ...files], {
    stdio: ["inherit", "pipe", "inherit"],
    env,
  });
  const failed = new FailedTests();
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    process.stdout.write(chunk);
    failed.feed(chunk);
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward).on("SIGTERM", forward);
  return new Promise((resolve) =>
    // "close", not "exit": the output is read to its end before the summary is printed.
    child.on("close", (code, signal) => {
      for (const line of failed.summary()) process.stdout.write(`${line}\n`);
      resolve(code ?? (signal ? 130 : 1));
    }),
  );
}

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith(".test.js")).map((e) => join(e.parentPath, e.name));
}

process.exitCode = await run();
