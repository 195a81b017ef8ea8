// Finds or builds the control plane binaries through dev/build-control-plane.sh, and metrics-server
// through dev/build-metrics-server.sh, passing their progress on.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const devDir = fileURLToPath(new URL("../../../dev/", import.meta.url));

export interface EnsureBinariesOptions {
  /** Receives the build's progress lines (phase and elapsed time); a cached build prints none. */
  readonly progress?: (line: string) => void;
}

/** Returns the directory holding etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kubectl. */
export function ensureControlPlaneBinaries(options: EnsureBinariesOptions = {}): Promise<string> {
  return runBuildScript("build-control-plane.sh", "the control plane", options);
}

/** Returns the path of the metrics-server binary (built beside the control plane's, on first use). */
export async function ensureMetricsServerBinary(options: EnsureBinariesOptions = {}): Promise<string> {
  return join(await runBuildScript("build-metrics-server.sh", "metrics-server", options), "metrics-server");
}

/** Runs a build script that prints its output directory on its last line of stdout and progress on stderr. */
async function runBuildScript(script: string, what: string, options: EnsureBinariesOptions): Promise<string> {
  const child = spawn("bash", [join(devDir, script)], { stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => stdout.push(line));
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 40) stderrTail.shift();
    options.progress?.(line);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  const dir = stdout.at(-1);
  if (code !== 0 || dir === undefined) {
    throw new Error(`building ${what} failed (exit ${code}):\n${stderrTail.join("\n")}`);
  }
  return dir;
}
