// The connector's dependencies for the function entrypoints, built once per process from the settings
// (a Functions instance serves many invocations; clients and the credential's token cache are reused).
import type { TokenCredential } from "@azure/core-auth";
import type { KubeConfig } from "@kubernetes/client-node";
import { createAciClient } from "../aci/client.js";
import { createArmPacer, type ArmPacer } from "../aci/arm-pacing.js";
import { createArmMeter, type ArmMeter } from "../aci/arm-meter.js";
import { createArmWindow, type ArmWindow } from "../aci/arm-window.js";
import { createArmThrottle } from "../aci/arm-throttle.js";
import { createContainerGroups, type ContainerGroups } from "../aci/container-groups.js";
import { createContainerUsage, createMetricsClient, type ContainerUsage } from "../aci/container-usage.js";
import { createLocationCapabilities, type LocationCapabilities } from "../aci/location-capabilities.js";
import { createAciHealthProbe } from "../aci/location-health.js";
import { readSettings, settingNames, type Settings } from "../config/settings.js";
import { translationSettings } from "../config/translation-settings.js";
import { armWaitSharing, type ArmWaitSharing } from "../controller/arm-wait-sharing.js";
import type { HeartbeatDependencies } from "../controller/heartbeat.js";
import type { PodSyncDependencies } from "../controller/pod-sync.js";
import { createReadLedger, type ReadLedger } from "../controller/read-ledger.js";
import { createGroupListMemory, type GroupListMemory } from "../controller/group-list-memory.js";
import { reconcileSummaryPublisher, type ReconcileSummaryPublisher } from "../controller/reconcile-summary.js";
import { statusRefreshPublisher, type StatusRefreshPublisher } from "../controller/status-refresh.js";
import { creationWaitPublisher, type CreationWaitPublisher } from "../controller/creation-waits.js";
import { clusterCaPem, createAccessReviews } from "../kube/access-reviews.js";
import { loadKubeConfig } from "../kube/kubeconfig.js";
import { createNodeClient, type NodeClient } from "../kube/node-client.js";
import { kubeConfigAsNode } from "../kube/node-identity.js";
import { createPodClient, type PodClient } from "../kube/pod-client.js";
import { createEventGridRelay } from "../relay/event-grid.js";
import type { PodEventRelay } from "../relay/pod-changed.js";
import { virtualNodesOf } from "../translate/virtual-node.js";
import type { AdmissionDependencies } from "../webhook/handle-admission.js";
import type { KubeletDependencies } from "../kubelet/handle-kubelet.js";
import { armBudget } from "../aci/arm-budget.js";
import { noTelemetry, type Telemetry } from "../telemetry/telemetry.js";
import { readPackageVersion } from "../version.js";
import { systemClock } from "./clock.js";
import { createArmCredential, createCredential } from "./credential.js";
import { silentLogger, type Logger } from "./logger.js";

interface ProcessWide {
  readonly settings: Settings;
  readonly credential: TokenCredential;
  readonly aciHealth: HeartbeatDependencies["aciHealth"];
  readonly groups: ContainerGroups;
  /** The region's capabilities, kept for the instance (armBudget.capabilities). */
  readonly capabilities: LocationCapabilities;
  /** Azure Monitor's per-minute usage, kept per minute for every invocation of this instance. */
  readonly usage: ContainerUsage;
  readonly sharedWaits: ArmWaitSharing;
  /** What this instance sent to ARM and what ARM says is left: reconcile spends its reads by it. */
  readonly meter: ArmMeter;
  /** The ARM client's pacing: reconcile asks it how long its requests would wait. */
  readonly pacer: ArmPacer;
  /** When reconcile last read each group, kept between its ticks. */
  readonly ledger: ReadLedger;
  /** Reconcile's last list of the container groups, kept between its ticks. */
  readonly groupList: GroupListMemory;
  readonly statusRefresh: StatusRefreshPublisher;
  readonly creationWaits: CreationWaitPublisher;
  /** What the meter counted over the last minutes, for the published reconcile summary. */
  readonly armWindow: ArmWindow;
  readonly reconcileSummary: ReconcileSummaryPublisher;
  /** The latest invocation's Kubernetes access and log, for sharing ARM's waits from any of them. */
  latest: { kubeConfig?: KubeConfig; log: Logger };
}

let processWide: ProcessWide | undefined;
let webhookRelay: PodEventRelay | undefined;
let localRelay: PodEventRelay | undefined;
let telemetry: Telemetry = noTelemetry;

/** The local host's in-process relay stands in for the Event Grid topic (set before the first call). */
export function useLocalRelay(relay: PodEventRelay): void {
  localRelay = relay;
}

/** The process's telemetry (functions/telemetry.ts sets it up when the app settings ask for it). */
export function useTelemetry(running: Telemetry): void {
  telemetry = running;
}

const nodesOf = (settings: Settings) => virtualNodesOf({ ...settings, osTypes: settings.nodeOsTypes });

function once(): ProcessWide {
  if (processWide === undefined) {
    const settings = readSettings();
    const credential = createCredential();
    const latest: ProcessWide["latest"] = { log: silentLogger };
    // A Retry-After from ARM is written for the other instances as soon as it arrives.
    const throttle = createArmThrottle(systemClock, () => void sharedWaits.save());
    const asNodes = () => (latest.kubeConfig === undefined ? [] : nodesOf(settings).map(({ name }) => ({ name, client: createNodeClient(kubeConfigAsNode(latest.kubeConfig!, name)) })));
    const sharedWaits = armWaitSharing({ throttle, nodes: asNodes, clock: systemClock, log: () => latest.log });
    const meter = createArmMeter();
    const pacer = createArmPacer(systemClock);
    const aci = createAciClient({ settings, credential: createArmCredential(settings, credential), throttle, pacer, meter, telemetry: () => telemetry });
    processWide = {
      settings,
      credential,
      aciHealth: createAciHealthProbe(aci, settings),
      groups: createContainerGroups(aci, { ...settings, resourceGroup: settings.aciResourceGroup }),
      capabilities: createLocationCapabilities(aci, settings.location, systemClock),
      // The connector's own identity (Monitoring Reader on the ACI resource group, infra/modules/aci-access.bicep).
      usage: createContainerUsage(createMetricsClient(settings, credential), { subscriptionId: settings.subscriptionId, resourceGroup: settings.aciResourceGroup }, systemClock),
      sharedWaits,
      meter,
      pacer,
      ledger: createReadLedger(),
      groupList: createGroupListMemory(),
      statusRefresh: statusRefreshPublisher({ nodes: asNodes, log: () => latest.log }),
      creationWaits: creationWaitPublisher({ nodes: asNodes, clock: systemClock, log: () => latest.log }),
      armWindow: createArmWindow(meter, systemClock.now().getTime()),
      reconcileSummary: reconcileSummaryPublisher({ nodes: asNodes, clock: systemClock, log: () => latest.log }),
      latest,
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

/** The Kubernetes access of one invocation, rebuilt each time so an Entra token never expires under it. */
async function invocationKube(log: Logger, options: { loadSharedWaits: boolean }): Promise<{ wide: ProcessWide; kubeConfig: KubeConfig }> {
  const wide = once();
  const kubeConfig = await loadKubeConfig(wide.settings.kubernetes, wide.credential);
  wide.latest.kubeConfig = kubeConfig;
  wide.latest.log = log;
  if (options.loadSharedWaits) await wide.sharedWaits.load();
  return { wide, kubeConfig };
}

/** Clients acting as each node, made once per invocation. */
function perNode<T>(make: (node: string) => T): (node: string) => T {
  const made = new Map<string, T>();
  return (node) => {
    let client = made.get(node);
    if (client === undefined) made.set(node, (client = make(node)));
    return client;
  };
}

/** What the heartbeat needs: its nodes as themselves, and the connector's own identity for its taint. */
export async function connectorDependencies(log: Logger): Promise<HeartbeatDependencies> {
  // Not the shared waits: the heartbeat's one ARM read a minute may meet a 429 itself (it counts as ARM
  // answering), and reading the nodes for them every 10 s would double its API server reads.
  const { wide, kubeConfig } = await invocationKube(log, { loadSharedWaits: false });
  return {
    settings: wide.settings,
    asNode: perNode<NodeClient>((node) => createNodeClient(kubeConfigAsNode(kubeConfig, node))),
    taints: createNodeClient(kubeConfig),
    aciHealth: wide.aciHealth,
    clock: systemClock,
    log,
    packageVersion: readPackageVersion(),
  };
}

/** What podEvents, reconcile and aciEvents need: the pods of this connector's nodes, as those nodes, and their groups. */
export async function podSyncDependencies(log: Logger): Promise<PodSyncDependencies> {
  const { wide, kubeConfig } = await invocationKube(log, { loadSharedWaits: true });
  const { settings, groups, capabilities } = wide;
  return {
    podsAs: perNode<PodClient>((node) => createPodClient(kubeConfigAsNode(kubeConfig, node))),
    groups,
    capabilities,
    clock: systemClock,
    log,
    translation: translationSettings(settings),
    nodes: new Map(nodesOf(settings).map(({ os, name }) => [name, os])),
    telemetry,
  };
}

/**
 * What reconcile needs besides the pods and groups: its share of ARM's reads and how it spends them, and
 * what it publishes of itself on the nodes (with the values never to publish).
 */
export function reconcileBudget(): {
  readShare: number;
  meter: ArmMeter;
  pacer: ArmPacer;
  ledger: ReadLedger;
  groupList: GroupListMemory;
  statusRefresh: StatusRefreshPublisher;
  creationWaits: CreationWaitPublisher;
  armWindow: ArmWindow;
  reconcileSummary: ReconcileSummaryPublisher;
  secrets: readonly string[];
} {
  const { settings, meter, pacer, ledger, groupList, statusRefresh, creationWaits, armWindow, reconcileSummary } = once();
  // The service principal's secret is never kept in the settings; the credential reads it where it is.
  const clientSecret = process.env[settingNames.armClientSecret];
  const secrets = [settings.webhookPathToken, ...(clientSecret === undefined ? [] : [clientSecret])];
  return { readShare: settings.armReadShare, meter, pacer, ledger, groupList, statusRefresh, creationWaits, armWindow, reconcileSummary, secrets };
}

/**
 * What the kubelet API needs: the pods as their nodes, their groups' logs, and the reviews, also made as
 * a node (the Node authorizer allows a kubelet both). The cluster's CA, from the connector's own
 * Kubernetes access, verifies the API server's kubelet client certificate.
 */
export async function kubeletDependencies(log: Logger, limits: { callTimeoutMs: number; followMaxMs: number }): Promise<KubeletDependencies> {
  const { wide, kubeConfig } = await invocationKube(log, { loadSharedWaits: true });
  const nodes = nodesOf(wide.settings).map(({ name }) => name);
  return {
    nodes,
    podsAs: perNode<PodClient>((node) => createPodClient(kubeConfigAsNode(kubeConfig, node))),
    groups: wide.groups,
    usage: wide.usage,
    reviews: createAccessReviews(kubeConfigAsNode(kubeConfig, nodes[0]!)),
    clusterCaPem: clusterCaPem(kubeConfig),
    clock: systemClock,
    log,
    limits: {
      callTimeoutMs: limits.callTimeoutMs,
      followMaxMs: limits.followMaxMs,
      followPollMs: armBudget.logsFollow.pollMs,
      followStateEveryPolls: armBudget.logsFollow.stateEveryPolls,
    },
  };
}
