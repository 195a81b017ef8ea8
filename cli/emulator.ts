// `aci-connector emulator`: the ACI emulator as a standalone HTTPS endpoint any ARM client can use; with
// a sub-command (fault, exit, logs), a control action against a running emulator instead.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { isControlSubcommand } from "./emulator-control-options.js";
import { emulatorHelp, standaloneStateDir } from "./emulator-help.js";
import { startRecordedEmulator, writeStandaloneDescriptor } from "./emulator-state.js";
import type { Command } from "./main.js";
import { lockStateDir, StateDirInUseError } from "./state-lock.js";

export const emulatorCommand: Command = async (args) => {
  const [first, ...rest] = args;
  if (isControlSubcommand(first)) return (await import("./emulator-control-command.js")).runControlCommand(first, rest);
  return runEmulator(args);
};

async function runEmulator(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        "state-dir": { type: "string", default: standaloneStateDir },
        "time-scale": { type: "string", default: "1" },
        throttling: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${emulatorHelp}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(emulatorHelp);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  const timeScale = Number(values["time-scale"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(timeScale > 0)) {
    process.stderr.write(`--port must be 0-65535 and --time-scale a positive number\n\n${emulatorHelp}`);
    return 2;
  }
  const stateDir = resolve(values["state-dir"]);
  let lock;
  try {
    lock = await lockStateDir(stateDir, "aci-connector emulator");
  } catch (error) {
    if (!(error instanceof StateDirInUseError)) throw error;
    process.stderr.write(`aci-connector emulator: ${error.message}\n`);
    return 1;
  }
  if (lock.note !== undefined) process.stdout.write(`note: ${lock.note}\n`);
  try {
    const { emulator, descriptor } = await startRecordedEmulator(stateDir, { port, timeScale, throttling: values.throttling, caFileName: "ca.crt" });
    const descriptorFile = await writeStandaloneDescriptor(stateDir, descriptor);
    const dirArgument = stateDir === resolve(standaloneStateDir) ? standaloneStateDir : stateDir;
    process.stdout.write(`ACI emulator listening on ${emulator.endpoint}
  state: ${descriptorFile}
  point a client at it with ARM_ENDPOINT=${emulator.endpoint} ARM_CA_FILE=${descriptor.caFile} ARM_CREDENTIAL=emulator
  (Azure Monitor's metrics batch API is there too: METRICS_ENDPOINT=${emulator.endpoint} METRICS_CA_FILE=${descriptor.caFile})
  drive it from another terminal, e.g. npx aci-connector emulator fault --state-dir ${dirArgument} --status 503 --seconds 30
`);
    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once("SIGINT", () => done("SIGINT"));
      process.once("SIGTERM", () => done("SIGTERM"));
    });
    await emulator.stop();
    process.stdout.write(`stopped (${signal})\n`);
    return 0;
  } finally {
    await lock.release();
  }
}
