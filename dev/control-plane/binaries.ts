// Finds or builds the control plane binaries through dev/build-control-plane.sh, passing its progress on.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const buildScript = fileURLToPath(new URL("../../../dev/build-control-plane.sh", import.meta.url));

export interface EnsureBinariesOptions {
  /** Receives the build's progress lines (phase and elapsed time); a cached build prints none. */
  readonly progress?: (line: string) => void;
}

/** Returns the directory holding etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kubectl. */
export async function ensureControlPlaneBinaries(options: EnsureBinariesOptions = {}): Promise<string> {
  const child = spawn("bash", [buildScript], { stdio: ["ignore", "pipe", "pipe"] });
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
    throw new Error(`building the control plane failed (exit ${code}):\n${stderrTail.join("\n")}`);
  }
  return dir;
}
