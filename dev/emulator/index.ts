// The ACI emulator's entry point, in-process (tests, the local run) or behind `aci-connector emulator`.
import { createCertificateAuthority, type CertificateAuthority } from "../pki.js";
import { startControlServer } from "./control-server.js";
import { startAciEmulatorServer, type AciEmulator, type AciEmulatorOptions } from "./server.js";

export type { AciEmulator, AciEmulatorControl, Answer, GroupEvent, GroupSummary } from "./server.js";
export { capabilitiesRecordedInEastUs2021, documentedCapabilities, type CapabilityRow } from "./capabilities.js";
export type { FaultSpec } from "./faults.js";
export { emulatedClientId, emulatedTenantId, type PrivateRegistry } from "./identities.js";
export type { Usage } from "./metrics.js";
export { operationNames, readOperations, type OperationName } from "./routes.js";

type StartOptions = Omit<AciEmulatorOptions, "ca"> & { ca?: CertificateAuthority };

const newCa = () => createCertificateAuthority("aci-connector ACI emulator CA");

/** Starts the emulator on 127.0.0.1, with a new test CA unless one is given. */
export async function startAciEmulator(options: StartOptions = {}): Promise<AciEmulator> {
  return startAciEmulatorServer({ ...options, ca: options.ca ?? (await newCa()) });
}

export interface ControlledAciEmulator extends AciEmulator {
  /** The control surface (control-server.ts): another listener, same CA, for holders of the token. */
  readonly controlEndpoint: string;
}

/** The emulator plus its control surface, for another process to drive (the local run, `aci-connector emulator`). */
export async function startControlledAciEmulator(options: StartOptions & { controlToken: string }): Promise<ControlledAciEmulator> {
  const { controlToken, ...rest } = options;
  const ca = rest.ca ?? (await newCa());
  const emulator = await startAciEmulator({ ...rest, ca });
  const controlServer = await startControlServer({ control: emulator.control, ca, token: controlToken }).catch(async (error: unknown) => {
    await emulator.stop();
    throw error;
  });
  return {
    ...emulator,
    controlEndpoint: controlServer.endpoint,
    stop: async () => {
      await controlServer.stop();
      await emulator.stop();
    },
  };
}
