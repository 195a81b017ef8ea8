// The connector's dependencies for the function entrypoints, built once per process from the settings
// (a Functions instance serves many invocations; clients and the credential's token cache are reused).
import type { TokenCredential } from "@azure/core-auth";
import { createAciClient } from "../aci/client.js";
import { createContainerGroups, type ContainerGroups } from "../aci/container-groups.js";
import type { PodSyncDependencies } from "../controller/pod-sync.js";
import { createPodClient } from "../kube/pod-client.js";
import { virtualNodeName } from "../translate/virtual-node.js";
import { createAciHealthProbe, type AciHealthProbe } from "../aci/location-health.js";
import { readSettings, type Settings } from "../config/settings.js";
import { loadKubeConfig } from "../kube/kubeconfig.js";
import { createNodeClient, type NodeClient } from "../kube/node-client.js";
import { createEventGridRelay } from "../relay/event-grid.js";
import type { PodEventRelay } from "../relay/pod-changed.js";
import type { AdmissionDependencies } from "../webhook/handle-admission.js";
import { readPackageVersion } from "../version.js";
import { systemClock, type Clock } from "./clock.js";
import { createArmCredential, createCredential } from "./credential.js";
import type { Logger } from "./logger.js";

export interface ConnectorDependencies {
  readonly settings: Settings;
  readonly nodes: NodeClient;
  readonly aciHealth: AciHealthProbe;
  readonly clock: Clock;
  readonly log: Logger;
  readonly packageVersion: string;
}

interface ProcessWide {
  readonly settings: Settings;
  readonly credential: TokenCredential;
  readonly aciHealth: AciHealthProbe;
  readonly groups: ContainerGroups;
}

let processWide: ProcessWide | undefined;
let webhookRelay: PodEventRelay | undefined;
let localRelay: PodEventRelay | undefined;

/** The local host's in-process relay stands in for the Event Grid topic (set before the first call). */
export function useLocalRelay(relay: PodEventRelay): void {
  localRelay = relay;
}

function once(): ProcessWide {
  if (processWide === undefined) {
    const settings = readSettings();
    const credential = createCredential();
    const aci = createAciClient({ settings, credential: createArmCredential(settings, credential) });
    processWide = {
      settings,
      credential,
      aciHealth: createAciHealthProbe(aci, settings.location),
      groups: createContainerGroups(aci, { ...settings, resourceGroup: settings.aciResourceGroup }),
    };
  }
  return processWide;
}

function relayFor(settings: Settings, credential: TokenCredential): PodEventRelay {
  if (localRelay !== undefined) return localRelay;
  if (settings.relayTopicEndpoint === undefined) {
    throw new Error("RELAY_TOPIC_ENDPOINT is not set: the webhook has no Event Grid topic to publish to");
  }
  return createEventGridRelay({ topicEndpoint: settings.relayTopicEndpoint, credential, source: `aci-connector/${settings.connectorName}` });
}

/** What the pod webhook needs: no Kubernetes or ARM client, so it answers in milliseconds. */
export function webhookDependencies(log: Logger): AdmissionDependencies {
  const { settings, credential } = once();
  // Only the webhook needs the relay: the timers must run even where no topic is configured.
  webhookRelay ??= relayFor(settings, credential);
  return { expectedPathToken: settings.webhookPathToken, relay: webhookRelay, log };
}

/** Dependencies for one invocation; the Kubernetes client is rebuilt so an Entra token never expires under it. */
export async function connectorDependencies(log: Logger): Promise<ConnectorDependencies> {
  const { settings, credential, aciHealth } = once();
  const kubeConfig = await loadKubeConfig(settings.kubernetes, credential);
  return { settings, nodes: createNodeClient(kubeConfig), aciHealth, clock: systemClock, log, packageVersion: readPackageVersion() };
}

/** What podEvents, reconcile and aciEvents need: the pods of this connector's nodes and their groups. */
export async function podSyncDependencies(log: Logger): Promise<PodSyncDependencies> {
  const { settings, credential, groups } = once();
  const kubeConfig = await loadKubeConfig(settings.kubernetes, credential);
  return {
    pods: createPodClient(kubeConfig),
    groups,
    clock: systemClock,
    log,
    translation: { connectorName: settings.connectorName, location: settings.location, ...(settings.subnetId !== undefined && { subnetId: settings.subnetId }) },
    nodes: new Map(settings.nodeOsTypes.map((os) => [virtualNodeName({ connectorName: settings.connectorName, location: settings.location, os }), os])),
  };
}
