// What runs "inside" an emulated container when a client execs into it: a handful of commands, enough to
// test an exec client end to end (output, environment, mounted secrets, an interactive shell, its end).
// Pure: a command line in, output and what happens next out. The command set is in docs/emulator.md.
//
// ACI's exec takes one command string (Containers_ExecuteCommand's `command`); the emulator splits it at
// spaces, as Microsoft's own example of it does (Invoke-AzContainerInstanceCommand -Command "echo hello"
// printing hello). There is no quoting and no variable other than `$?`.

/** What a container holds that the commands can show: taken from the group's definition. */
export interface ContainerView {
  readonly hostname: string;
  /** In definition order; secure values included, as the process inside sees them. */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  /** Files of the container's mounted secret volumes: absolute path -> content. */
  readonly files: ReadonlyMap<string, string>;
  /** The mount paths themselves (cat of one is a directory). */
  readonly directories: ReadonlySet<string>;
}

export interface ShellState {
  /** The last command's status, as `$?` shows it. */
  lastStatus: number;
}

export type CommandOutcome =
  /** Printed this, the session goes on (in a shell) or ends (a lone command). */
  | { readonly kind: "done"; readonly output: string; readonly status: number }
  /** `exit N`: the session ends. ACI's exec carries no exit status back, so N goes nowhere but here. */
  | { readonly kind: "exit"; readonly status: number }
  /** `sh` / `bash`: an interactive shell starts, reading lines. */
  | { readonly kind: "shell" };

export const shellPrompt = "# ";
/** A command the emulated container does not have: the shell's status for "not found". */
export const notFoundStatus = 127;
export const emulatedCommands = ["echo", "hostname", "env", "cat", "exit", "sh", "bash"] as const;

export function runCommand(line: string, container: ContainerView, state: ShellState): CommandOutcome {
  const words = line
    .split(/[ \t]+/)
    .filter((w) => w !== "")
    .map((w) => (w === "$?" ? String(state.lastStatus) : w));
  const [name, ...args] = words;
  const done = (output: string, status = 0): CommandOutcome => {
    state.lastStatus = status;
    return { kind: "done", output, status };
  };
  if (name === undefined) return done("", state.lastStatus);
  // A path to the program runs the same program (/bin/sh, /usr/bin/env).
  const program = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
  switch (program) {
    case "echo":
      return done(`${args.join(" ")}\n`);
    case "hostname":
      return done(`${container.hostname}\n`);
    case "env":
      return done(container.env.map((e) => `${e.name}=${e.value}\n`).join(""));
    case "cat":
      return cat(args, container, done);
    case "exit": {
      const status = args[0] === undefined ? state.lastStatus : Number(args[0]);
      if (!Number.isInteger(status)) return done(`sh: exit: Illegal number: ${args[0]}\n`, 2);
      state.lastStatus = status & 0xff;
      return { kind: "exit", status: status & 0xff };
    }
    case "sh":
    case "bash":
      return { kind: "shell" };
    default:
      return done(`sh: ${name}: not found\n`, notFoundStatus);
  }
}

function cat(paths: readonly string[], container: ContainerView, done: (output: string, status?: number) => CommandOutcome): CommandOutcome {
  let output = "";
  let status = 0;
  for (const path of paths) {
    const content = container.files.get(path);
    if (content !== undefined) output += content;
    else {
      output += container.directories.has(path) ? `cat: ${path}: Is a directory\n` : `cat: ${path}: No such file or directory\n`;
      status = 1;
    }
  }
  return done(output, status);
}

/**
 * The container as the commands see it, from the group's stored definition (secrets included: the
 * emulator keeps the request, and a process inside a container sees its secure values and secret files).
 */
export function containerView(properties: Record<string, unknown>, containerName: string, hostname: string): ContainerView | undefined {
  type Env = { name?: string; value?: string; secureValue?: string };
  type Mount = { name?: string; mountPath?: string };
  const containers = (properties.containers ?? []) as { name?: string; properties?: { environmentVariables?: Env[]; volumeMounts?: Mount[] } }[];
  const container = containers.find((c) => c.name === containerName);
  if (container === undefined) return undefined;
  const env = (container.properties?.environmentVariables ?? []).map((e) => ({ name: e.name ?? "", value: e.secureValue ?? e.value ?? "" }));
  const volumes = new Map(((properties.volumes ?? []) as { name?: string; secret?: Record<string, string> }[]).map((v) => [v.name ?? "", v]));
  const files = new Map<string, string>();
  const directories = new Set<string>();
  for (const mount of container.properties?.volumeMounts ?? []) {
    const secret = volumes.get(mount.name ?? "")?.secret;
    if (secret === undefined || mount.mountPath === undefined) continue;
    const dir = mount.mountPath.replace(/\/+$/, "");
    directories.add(dir);
    // Secret volume values are base64 (FACTS.md); the file holds the decoded bytes.
    for (const [file, base64] of Object.entries(secret)) files.set(`${dir}/${file}`, Buffer.from(base64, "base64").toString("utf8"));
  }
  return { hostname, env, files, directories };
}
