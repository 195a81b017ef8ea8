// The `aci-connector` command: one sub-command per file in cli/, looked up here by name.
import { parseArgs } from "node:util";

/** A sub-command: receives the arguments after its name, returns the process exit code. */
export type Command = (args: string[]) => Promise<number>;

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

// Loaded lazily so `translate` (offline, pure) never pulls in the emulator or the Kubernetes client.
const commands: Record<string, CommandEntry> = {
  local: {
    summary: "run the connector locally: control plane, ACI emulator and functions (npm start)",
    load: async () => (await import("./local.js")).localCommand,
  },
  install: {
    summary: "install the connector (az aks install-connector): provider, Azure side, RBAC, webhook, nodes",
    load: async () => (await import("./install.js")).installCommand,
  },
  remove: {
    summary: "remove virtual nodes (az aks remove-connector): nodes, Leases, pods, groups, webhook",
    load: async () => (await import("./remove.js")).removeCommand,
  },
  status: {
    summary: "show what the connector is doing: nodes, pods, container groups, orphans, ARM budget, last reconcile (read only)",
    load: async () => (await import("./status/command.js")).statusCommand,
  },
  package: {
    summary: "write the function package install deploys into dist/azd-package, for azd (its prepackage hook)",
    load: async () => (await import("./package.js")).packageCommand,
  },
  translate: {
    summary: "print the ACI container group a manifest's pod becomes (offline)",
    load: async () => (await import("./translate.js")).translateCommand,
  },
  exec: {
    summary: "run a command in a pod on a virtual node through ACI's exec (also kubectl aci exec)",
    load: async () => (await import("./exec.js")).execCommand("aci-connector exec"),
  },
  emulator: {
    summary: "run the ACI emulator (ARM for Microsoft.ContainerInstance) on loopback",
    load: async () => (await import("./emulator.js")).emulatorCommand,
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    const { values } = parseArgs({ args: argv, options: { version: { type: "boolean" } }, strict: false });
    if (values.version) process.stdout.write(`${await packageVersion()}\n`);
    return 0;
  }
  const entry = commands[name];
  if (entry === undefined) {
    process.stderr.write(`aci-connector: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  return command(rest);
}

function usage(): string {
  const width = Math.max(0, ...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `Usage: aci-connector <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "aci-connector <command> --help" for a command's options.\n`;
}

async function packageVersion(): Promise<string> {
  const { readPackageVersion } = await import("../shared/version.js");
  return readPackageVersion();
}
