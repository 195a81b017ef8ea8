// The ACI emulator's entry point, in-process (tests, the local run) or behind `aci-connector emulator`.
import { createCertificateAuthority, type CertificateAuthority } from "../pki.js";
import { startAciEmulatorServer, type AciEmulator, type AciEmulatorOptions } from "./server.js";

export type { AciEmulator, AciEmulatorControl, GroupEvent } from "./server.js";
export type { FaultSpec } from "./faults.js";

/** Starts the emulator on 127.0.0.1, with a new test CA unless one is given. */
export async function startAciEmulator(options: Omit<AciEmulatorOptions, "ca"> & { ca?: CertificateAuthority } = {}): Promise<AciEmulator> {
  const ca = options.ca ?? (await createCertificateAuthority("aci-connector ACI emulator CA"));
  return startAciEmulatorServer({ ...options, ca });
}
