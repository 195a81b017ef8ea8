// The local run (npm start) as install and remove see it: its control plane as the installer's cluster,
// its ACI emulator as ARM, its functions host as the Function App.
import { readFile } from "node:fs/promises";
import { KubeConfig } from "@kubernetes/client-node";
import type { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { createAciClient } from "../shared/aci/client.js";
import { createContainerGroups, type ContainerGroups } from "../shared/aci/container-groups.js";
import { createAciHealthProbe, type AciHealthProbe } from "../shared/aci/location-health.js";
import { createNodeClient } from "../shared/kube/node-client.js";
import { emulatorCredential } from "../shared/runtime/credential.js";
import type { ConnectorOptions } from "./connector-options.js";
import { readLocalState, type LocalState } from "./local-state.js";

export interface LocalTarget {
  readonly state: LocalState;
  readonly kube: KubeConfig;
  readonly arm: ContainerInstanceManagementClient;
  readonly groups: ContainerGroups;
  readonly aciHealth: AciHealthProbe;
  readonly webhookCaPem: string;
}

export async function openLocalTarget(options: Pick<ConnectorOptions, "stateDir" | "connectorName" | "location">): Promise<LocalTarget> {
  const state = await readLocalState(options.stateDir);
  // The local functions serve one connector in one region: another name or region would be served by nobody.
  if (options.connectorName !== undefined && options.connectorName !== state.connectorName) {
    throw new Error(`the local run serves connector "${state.connectorName}", not "${options.connectorName}" (start it with npm start -- --connector-name ${options.connectorName})`);
  }
  if (options.location !== undefined && options.location !== state.location) {
    throw new Error(`the local run is in location "${state.location}", not "${options.location}" (start it with npm start -- --location ${options.location})`);
  }
  const kube = new KubeConfig();
  kube.loadFromFile(state.kubeconfig);
  try {
    await createNodeClient(kube).serverVersion({ abortSignal: AbortSignal.timeout(5_000) });
  } catch {
    throw new Error(`the local run's API server (${state.apiServer}) does not answer: is npm start still running?`);
  }
  const { emulator } = state;
  const arm = createAciClient({ settings: { subscriptionId: emulator.subscriptionId, armEndpoint: emulator.endpoint, armCaFile: emulator.caFile }, credential: emulatorCredential });
  return {
    state,
    kube,
    arm,
    groups: createContainerGroups(arm, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup }),
    aciHealth: createAciHealthProbe(arm, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, location: state.location }),
    webhookCaPem: await readFile(state.webhook.caFile, "utf8"),
  };
}
