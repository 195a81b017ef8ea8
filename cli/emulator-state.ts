// What a state directory records of a running emulator, so another terminal can use it: its ARM surface
// for clients, and its control surface with the token that opens it. The local run keeps the record in
// local.json, `aci-connector emulator` in emulator.json; the token is in a file of its own, mode 0600,
// so the record can be read and shown without it.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { startControlledAciEmulator, type ControlledAciEmulator } from "../dev/emulator/index.js";
import { newPathToken } from "../shared/webhook/path-token.js";
import { readLocalState } from "./local-state.js";

export interface EmulatorDescriptor {
  readonly endpoint: string;
  readonly caFile: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** The control surface (`aci-connector emulator fault|exit|logs`); never the ARM endpoint. */
  readonly controlEndpoint: string;
  /** The file holding the control surface's bearer token (mode 0600). */
  readonly controlTokenFile: string;
}

const standaloneDescriptorFile = "emulator.json";
const tokenFileName = "emulator-control.token";

/**
 * Starts the emulator with its control surface behind a new token, and writes the CA and the token into
 * `stateDir`. The caller records the descriptor (local.json or emulator.json).
 */
export async function startRecordedEmulator(
  stateDir: string,
  options: Omit<Parameters<typeof startControlledAciEmulator>[0], "controlToken"> & { caFileName: string },
): Promise<{ emulator: ControlledAciEmulator; descriptor: EmulatorDescriptor }> {
  const { caFileName, ...emulatorOptions } = options;
  const token = newPathToken();
  const emulator = await startControlledAciEmulator({ ...emulatorOptions, controlToken: token });
  try {
    const caFile = join(stateDir, caFileName);
    await writeFile(caFile, emulator.caCertPem);
    const controlTokenFile = join(stateDir, tokenFileName);
    // Created afresh, so the mode applies even when an old run's file is there.
    await rm(controlTokenFile, { force: true });
    await writeFile(controlTokenFile, `${token}\n`, { mode: 0o600, flag: "wx" });
    const { endpoint, subscriptionId, resourceGroup, controlEndpoint } = emulator;
    return { emulator, descriptor: { endpoint, caFile, subscriptionId, resourceGroup, controlEndpoint, controlTokenFile } };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

export async function writeStandaloneDescriptor(stateDir: string, descriptor: EmulatorDescriptor): Promise<string> {
  const path = join(stateDir, standaloneDescriptorFile);
  await writeFile(path, `${JSON.stringify(descriptor, null, 2)}\n`);
  return path;
}

/** A state directory with no emulator recorded in it, or one recorded without a control surface. */
export class NoEmulatorRecordedError extends Error {
  override readonly name = "NoEmulatorRecordedError";
}

export interface EmulatorControlAccess {
  readonly controlEndpoint: string;
  readonly caCertPem: string;
  /** Sent as a bearer token; never printed. */
  readonly token: string;
}

/** Reads the local run's record (local.json) or else the standalone emulator's (emulator.json). */
export async function readEmulatorControlAccess(stateDir: string): Promise<EmulatorControlAccess> {
  const dir = resolve(stateDir);
  const descriptor = await readLocalState(dir)
    .then((local) => local.emulator as Partial<EmulatorDescriptor>)
    .catch(() => readJson(join(dir, standaloneDescriptorFile)));
  if (descriptor === undefined) {
    throw new NoEmulatorRecordedError(`no emulator recorded in ${dir} (neither local.json of npm start nor ${standaloneDescriptorFile} of aci-connector emulator): is npm start running? Otherwise pass its --state-dir`);
  }
  if (descriptor.controlEndpoint === undefined || descriptor.controlTokenFile === undefined || descriptor.caFile === undefined) {
    throw new NoEmulatorRecordedError(`the emulator recorded in ${dir} was started without a control surface (an older version): restart it`);
  }
  const read = (path: string, what: string) =>
    readFile(path, "utf8").catch(() => {
      throw new NoEmulatorRecordedError(`cannot read the emulator's ${what} (${path}): is npm start running?`);
    });
  return { controlEndpoint: descriptor.controlEndpoint, caCertPem: await read(descriptor.caFile, "CA file"), token: (await read(descriptor.controlTokenFile, "control token file")).trim() };
}

async function readJson(path: string): Promise<Partial<EmulatorDescriptor> | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Partial<EmulatorDescriptor>;
  } catch {
    throw new NoEmulatorRecordedError(`${path} is not JSON: restart the emulator that wrote it`);
  }
}
