// The ACI emulator in-process, and the real @azure/arm-containerinstance client pointed at it.
import type { ArmMeterRecorder } from "../../shared/aci/arm-meter.js";
import type { ContainerGroup, ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { startAciEmulator, startControlledAciEmulator, type AciEmulator, type ControlledAciEmulator, type FaultSpec } from "../../dev/emulator/index.js";
import { createArmPacer, type ArmPacer } from "../../shared/aci/arm-pacing.js";
import type { ArmThrottle } from "../../shared/aci/arm-throttle.js";
import { createAciClient } from "../../shared/aci/client.js";
import { systemClock } from "../../shared/runtime/clock.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { containerGroupTags } from "../../shared/translate/naming.js";
import { newPathToken } from "../../shared/webhook/path-token.js";
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
  return withClient(await startAciEmulator(options));
}

/** The emulator with its control surface (what the local run starts), and the token that opens it. */
export async function startControlledTestEmulator(): Promise<TestEmulator & ControlledAciEmulator & { controlToken: string }> {
  const controlToken = newPathToken();
  return { ...(await withClient(await startControlledAciEmulator({ controlToken }))), controlToken };
}

/** A pod's group as the connector tags it (namespace default), for what finds a group by its pod. */
export function podGroup(pod: { name: string; uid: string }, options: { restartPolicy?: "Always" | "Never"; containers?: string[] } = {}): ContainerGroup {
  return {
    location: "westeurope",
    osType: "Linux",
    restartPolicy: options.restartPolicy ?? "Always",
    containers: (options.containers ?? ["app"]).map((name) => ({ name, image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: 0.5, memoryInGB: 0.5 } } })),
    tags: containerGroupTags({
      namespace: "default",
      ...pod,
      node: "virtual-kubelet-aci-connector-linux-westeurope",
      connector: "aci-connector",
      clusterId: "6f1d2c3b-0a4e-4f5a-9b8c-7d6e5f4a3b2c",
      creationTimestamp: "2025-01-01T10:00:00Z",
    }),
  };
}

async function withClient<E extends AciEmulator>(emulator: E): Promise<E & TestEmulator> {
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
export function connectorArmClient(emulator: Pick<TestEmulator, "subscriptionId" | "endpoint" | "caFile">, throttle: ArmThrottle, meter?: ArmMeterRecorder, pacer: ArmPacer = createArmPacer(systemClock)): ContainerInstanceManagementClient {
  return createAciClient({ settings: { subscriptionId: emulator.subscriptionId, armEndpoint: emulator.endpoint, armCaFile: emulator.caFile }, credential: emulatorCredential, throttle, pacer, ...(meter !== undefined && { meter }) });
}
