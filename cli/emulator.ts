// `aci-connector emulator`: the ACI emulator as a standalone HTTPS endpoint any ARM client can use.
import { mkdir, writeFile } from "node:fs/promises";
import { resolve, join } from "node:path";
import { parseArgs } from "node:util";
import { startAciEmulator } from "../dev/emulator/index.js";
import type { Command } from "./main.js";

const help = `Usage: aci-connector emulator [--port N] [--state-dir DIR] [--time-scale X] [--throttling]

Runs an emulator of Azure Resource Manager for Microsoft.ContainerInstance (api-version 2023-05-01) on
https://127.0.0.1:<port> and stays in the foreground until Ctrl-C. State is in memory.

  --port N         port to listen on (default: a free one)
  --state-dir DIR  where emulator.json (endpoint, CA file, subscription, resource group) and ca.crt go
                   (default .local/emulator)
  --time-scale X   multiply every simulated duration by X (default 1)
  --throttling     apply ARM's request limits (reads 250/25 per s, writes and deletes 200/10 per s)
`;

export const emulatorCommand: Command = async (args) => {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        "state-dir": { type: "string", default: ".local/emulator" },
        "time-scale": { type: "string", default: "1" },
        throttling: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  const timeScale = Number(values["time-scale"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(timeScale > 0)) {
    process.stderr.write(`--port must be 0-65535 and --time-scale a positive number\n\n${help}`);
    return 2;
  }
  const stateDir = resolve(values["state-dir"]);
  const emulator = await startAciEmulator({ port, timeScale, throttling: values.throttling });
  await mkdir(stateDir, { recursive: true });
  const caFile = join(stateDir, "ca.crt");
  await writeFile(caFile, emulator.caCertPem);
  const descriptor = { endpoint: emulator.endpoint, caFile, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup };
  await writeFile(join(stateDir, "emulator.json"), `${JSON.stringify(descriptor, null, 2)}\n`);
  process.stdout.write(`ACI emulator listening on ${emulator.endpoint}\n  state: ${join(stateDir, "emulator.json")}\n  point a client at it with ARM_ENDPOINT=${emulator.endpoint} ARM_CA_FILE=${caFile} ARM_CREDENTIAL=emulator\n`);

  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once("SIGINT", () => done("SIGINT"));
    process.once("SIGTERM", () => done("SIGTERM"));
  });
  await emulator.stop();
  process.stdout.write(`stopped (${signal})\n`);
  return 0;
};
