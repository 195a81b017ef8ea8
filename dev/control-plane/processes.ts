// Child processes of the control plane: each logs to its own file, and every one is stopped when the
// launcher stops, fails, or its own process exits or is interrupted.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { once } from "node:events";

export interface ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  /** Resolves with the exit code or signal name if the process ends (expectedly or not). */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
  logTail(lines?: number): Promise<string>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills whatever is still running when this process goes away, so nothing outlives a test run. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

export function startProcess(name: string, command: string, args: readonly string[], logFile: string): ManagedProcess {
  installExitHook();
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<string>((resolve) => {
    child.on("error", (error) => resolve(`failed to start: ${error.message}`));
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve(signal ?? `exit code ${code}`);
    });
  });

  return {
    name,
    logFile,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!log.closed) {
        log.end();
        await once(log, "close");
      }
    },
    async logTail(lines = 30) {
      const text = await readFile(logFile, "utf8").catch(() => "");
      return text.trimEnd().split("\n").slice(-lines).join("\n");
    },
  };
}
