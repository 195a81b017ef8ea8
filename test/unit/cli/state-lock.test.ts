// One run per state directory: a second start is refused at once naming the first, a dead run's lock is
// taken over with a note, and a release never removes another run's lock.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lockFileName, lockStateDir, StateDirInUseError } from "../../../cli/state-lock.js";
import { projectRoot } from "../../support/paths.js";

const newDir = () => mkdtemp(join(tmpdir(), "state-lock-"));
const holderIn = (dir: string) => JSON.parse(readFileSync(join(dir, lockFileName), "utf8")) as { pid: number; command: string; startedAt: string };

/** A pid that was just a process and is no more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  assert.equal(child.status, 0);
  return child.pid;
}

describe("state directory lock", () => {
  it("refuses a second holder while the first is alive, naming its command, pid and start", async () => {
    const dir = await newDir();
    const first = await lockStateDir(dir, "aci-connector local");
    const held = holderIn(dir);
    assert.equal(held.pid, process.pid);
    await assert.rejects(lockStateDir(dir, "aci-connector local"), (error: unknown) => {
      assert.ok(error instanceof StateDirInUseError);
      assert.equal(error.message, `aci-connector local (pid ${process.pid}, started ${held.startedAt}) is running in ${dir}: stop it first (Ctrl-C in its terminal), or pass another --state-dir`);
      return true;
    });
    assert.deepEqual(holderIn(dir), held, "the first one's lock is untouched");
    await first.release();
    assert.equal(existsSync(join(dir, lockFileName)), false);
    const again = await lockStateDir(dir, "aci-connector local");
    assert.equal(again.note, undefined);
    await again.release();
    assert.deepEqual(readdirSync(dir), [], "no draft files left behind");
  });

  it("takes over the lock of a process that is gone, with a note naming it", async () => {
    const dir = await newDir();
    const pid = deadPid();
    writeFileSync(join(dir, lockFileName), JSON.stringify({ pid, command: "aci-connector local", startedAt: "2025-01-01T10:00:00.000Z" }));
    const lock = await lockStateDir(dir, "aci-connector local");
    assert.equal(lock.note, `took over the lock of aci-connector local (pid ${pid}, started 2025-01-01T10:00:00.000Z), which is no longer running`);
    assert.equal(holderIn(dir).pid, process.pid);
    await lock.release();
  });

  it("takes over a lock file that cannot be read as one", async () => {
    const dir = await newDir();
    writeFileSync(join(dir, lockFileName), "");
    const lock = await lockStateDir(dir, "aci-connector emulator");
    assert.equal(lock.note, "took over the lock of an unreadable lock file, which is no longer running");
    await lock.release();
  });

  it("a release leaves alone a lock that is no longer its own", async () => {
    const dir = await newDir();
    const lock = await lockStateDir(dir, "aci-connector local");
    const other = { pid: process.ppid, command: "aci-connector local", startedAt: "2025-01-01T10:00:00.000Z" };
    writeFileSync(join(dir, lockFileName), JSON.stringify(other));
    await lock.release();
    assert.deepEqual(holderIn(dir), other);
  });

  it("aci-connector local refuses at once in a state directory another run holds, before writing anything", { timeout: 60_000 }, async () => {
    const dir = await newDir();
    const held = await lockStateDir(dir, "aci-connector local");
    const startedAt = holderIn(dir).startedAt;
    // In a process group of its own, so that if it wrongly went on to start a control plane, the whole
    // group is stopped the moment it says so.
    const child = spawn(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "local", "--state-dir", dir], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    const stopGroup = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes("control plane")) stopGroup();
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(stopGroup, 30_000);
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    clearTimeout(timer);
    await held.release();
    assert.equal(code, 1, `stdout:\n${stdout}\nstderr:\n${stderr}`);
    // (Loading the functions prints @azure/functions' own warnings first.)
    assert.equal(stderr.trimEnd().split("\n").at(-1), `aci-connector local failed: aci-connector local (pid ${process.pid}, started ${startedAt}) is running in ${dir}: stop it first (Ctrl-C in its terminal), or pass another --state-dir`);
    assert.doesNotMatch(stdout, /\[local\]/, "none of the run's own steps began");
    assert.deepEqual(readdirSync(dir), [], "nothing written: no certificates replaced");
  });
});
