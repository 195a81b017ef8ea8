// The ACI emulator in-process, and the real @azure/arm-containerinstance client pointed at it.
import type { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { startAciEmulator, type AciEmulator, type FaultSpec } from "../../dev/emulator/index.js";
import type { ArmThrottle } from "../../shared/aci/arm-throttle.js";
import { createAciClient } from "../../shared/aci/client.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestEmulator extends AciEmulator {
  /** The real SDK client, through the same factory the connector uses (endpoint, CA, credential). */
  readonly client: ContainerInstanceManagementClient;
  readonly caFile: string;
  /** Every usages request fails like this until recover(): an ARM outage as the connector sees it. */
  failUsages(fault: Omit<FaultSpec, "operation" | "count">): void;
  recover(): void;
}

export async function startTestEmulator(options: Parameters<typeof startAciEmulator>[0] & { location?: string } = {}): Promise<TestEmulator> {
  const emulator = await startAciEmulator(options);
  const caFile = join(await mkdtemp(join(tmpdir(), "aci-emulator-")), "ca.crt");
  await writeFile(caFile, emulator.caCertPem);
  const client = createAciClient({
    settings: { subscriptionId: emulator.subscriptionId, armEndpoint: emulator.endpoint, armCaFile: caFile },
    credential: emulatorCredential,
    // Fail fast: a test that injects faults wants to see them, not the SDK's minute of retries.
    retryOptions: { maxRetries: 1, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
  });
  return {
    ...emulator,
    client,
    caFile,
    failUsages: (fault) => emulator.control.injectFault({ ...fault, operation: "location.listUsage" }),
    recover: () => emulator.control.clearFaults(),
  };
}

/** The ARM client as the functions build it (shared/runtime/connector.ts), pointed at the emulator. */
export function connectorArmClient(emulator: Pick<TestEmulator, "subscriptionId" | "endpoint" | "caFile">, throttle: ArmThrottle): ContainerInstanceManagementClient {
  return createAciClient({ settings: { subscriptionId: emulator.subscriptionId, armEndpoint: emulator.endpoint, armCaFile: emulator.caFile }, credential: emulatorCredential, throttle });
}
