// One running command per state directory. A second `npm start` in the same directory would regenerate
// the certificates and token files under the first one, which then fails every tick; so the second one
// refuses at once and names the first. The lock is a file with the holder's pid: a lock whose process is
// gone (killed, crashed) is stale and taken over, with a note.
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface LockHolder {
  readonly pid: number;
  /** The command that holds it, e.g. "aci-connector local". */
  readonly command: string;
  /** ISO 8601. */
  readonly startedAt: string;
}

export class StateDirInUseError extends Error {
  override readonly name = "StateDirInUseError";
  constructor(
    readonly stateDir: string,
    readonly holder: LockHolder,
  ) {
    super(`${describeHolder(holder)} is running in ${stateDir}: stop it first (Ctrl-C in its terminal), or pass another --state-dir`);
  }
}

export interface StateLock {
  /** Set when this lock replaced a stale one: a line for the user ("took over the lock of ..."). */
  readonly note?: string;
  /** Removes the lock if it is still this process's. */
  release(): Promise<void>;
}

export const lockFileName = "run.lock";

/** "aci-connector local (pid 1234, started 2025-01-01T10:00:00.000Z)", for messages. */
function describeHolder(holder: LockHolder): string {
  return holder.pid === 0 ? "an unreadable lock file" : `${holder.command} (pid ${holder.pid}, started ${holder.startedAt})`;
}

/** Takes `stateDir`'s lock for `command` (creating the directory), or throws StateDirInUseError naming the live holder. */
export async function lockStateDir(stateDir: string, command: string): Promise<StateLock> {
  await mkdir(stateDir, { recursive: true });
  const path = join(stateDir, lockFileName);
  const me: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  // Written beside the lock, then hard-linked into place: link fails if the lock exists, and a reader
  // never sees a half-written lock.
  const draft = join(stateDir, `${lockFileName}.${me.pid}.${randomBytes(4).toString("hex")}`);
  await writeFile(draft, `${JSON.stringify(me)}\n`);
  try {
    let tookOverFrom: LockHolder | undefined;
    for (;;) {
      try {
        await link(draft, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await readHolder(path);
      if (holder === undefined) continue; // released meanwhile
      if (processIsAlive(holder.pid)) throw new StateDirInUseError(stateDir, holder);
      // Two starts over the same stale lock at the same instant could both get here; people start runs
      // by hand, so that race is left alone.
      await rm(path, { force: true });
      tookOverFrom = holder;
    }
    return {
      ...(tookOverFrom !== undefined && { note: `took over the lock of ${describeHolder(tookOverFrom)}, which is no longer running` }),
      release: async () => {
        const holder = await readHolder(path);
        if (holder?.pid === me.pid && holder.startedAt === me.startedAt) await rm(path, { force: true });
      },
    };
  } finally {
    await rm(draft, { force: true });
  }
}

/** A lock file that cannot be read as one (e.g. emptied by a full disk) counts as a dead holder's: pid 0. */
async function readHolder(path: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === "number" && Number.isInteger(parsed.pid) && parsed.pid > 0) {
      return { pid: parsed.pid, command: String(parsed.command ?? "a command"), startedAt: String(parsed.startedAt ?? "at an unknown time") };
    }
  } catch {
    // fall through
  }
  return { pid: 0, command: "", startedAt: "" };
}

function processIsAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
