// A running connector for end-to-end tests: its restricted identity, the emulator, heartbeats and
// reconcile on short periods, the emulator's ARM events delivered to aciEvents' controller, and
// (optionally) the webhook served over HTTPS and called by the real API server, ringing podEvents through
// the in-process relay. Each path can be switched off, to prove another alone. Everything it starts,
// stop() stops; an error no test declared expected makes stop() fail.
import { translationSettings } from "../../shared/config/translation-settings.js";
import { AdmissionregistrationV1Api } from "@kubernetes/client-node";
import { startHttpsFunctionServer, type HttpsFunctionServer } from "../../dev/functions-host/https-server.js";
import { createCertificateAuthority } from "../../dev/pki.js";
import { podWebhook } from "../../functions/podWebhook.js";
import { serveKubeletApi } from "../../functions/kubeletApi.js";
import { armBudget } from "../../shared/aci/arm-budget.js";
import { clusterCaPem, createAccessReviews } from "../../shared/kube/access-reviews.js";
import type { KubeletDependencies } from "../../shared/kubelet/handle-kubelet.js";
import { triggers } from "../../functions/triggers.js";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { createContainerUsage, createMetricsClient } from "../../shared/aci/container-usage.js";
import { createLocationCapabilities } from "../../shared/aci/location-capabilities.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import type { ResourceCloudEvent } from "../../dev/emulator/resource-events.js";
import { handleArmEvent } from "../../shared/controller/aci-events.js";
import { handlePodChanged } from "../../shared/controller/pod-events.js";
import type { PodSyncDependencies } from "../../shared/controller/pod-sync.js";
import { reconcile, readsPerTick, type ReconcileReport } from "../../shared/controller/reconcile.js";
import { createReadLedger } from "../../shared/controller/read-ledger.js";
import { createGroupListMemory } from "../../shared/controller/group-list-memory.js";
import { statusRefreshPublisher } from "../../shared/controller/status-refresh.js";
import { creationWaitPublisher } from "../../shared/controller/creation-waits.js";
import { createNodeClient } from "../../shared/kube/node-client.js";
import { createArmMeter } from "../../shared/aci/arm-meter.js";
import { createArmPacer } from "../../shared/aci/arm-pacing.js";
import { createArmThrottle } from "../../shared/aci/arm-throttle.js";
import { applyObjects } from "../../shared/kube/apply.js";
import { kubeConfigAsNode } from "../../shared/kube/node-identity.js";
import { createPodClient, type PodClient } from "../../shared/kube/pod-client.js";
import { renderPodWebhook } from "../../shared/install/manifests.js";
import { readArmResourceEvent } from "../../shared/relay/arm-event.js";
import { createInProcessRelay, type InProcessRelay } from "../../shared/relay/in-process.js";
import { useLocalRelay } from "../../shared/runtime/connector.js";
import { systemClock, type Clock } from "../../shared/runtime/clock.js";
import { lineLogger } from "../../shared/runtime/logger.js";
import { tagNames } from "../../shared/translate/naming.js";
import type { TestCluster } from "./cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "./connector-under-test.js";
import { connectorArmClient, startTestEmulator, type TestEmulator } from "./emulator.js";
import { saveConnectorOutput } from "./test-output.js";

export interface RunningConnector {
  readonly emulator: TestEmulator;
  readonly connector: ConnectorUnderTest;
  readonly deps: PodSyncDependencies;
  readonly relay: InProcessRelay;
  /** The kubelet API's origin (https://127.0.0.1:PORT) when served. */
  readonly kubeletOrigin?: string;
  /** "<pod name>:<pod uid>" of every group of this connector, sorted. */
  groupsByPod(): Promise<string[]>;
  /** Pauses or resumes reconcile (to prove the webhook path alone, or reconcile alone). */
  setReconcile(on: boolean): void;
  /** Pauses reconcile and resolves once the tick in flight, if any, has finished: nothing of it runs after. */
  pauseReconcile(): Promise<void>;
  /** Drops every doorbell while off, as if the webhook or the relay were down. */
  setDoorbells(on: boolean): void;
  /** Drops every ARM event while off, as if the system topic's subscription were gone. */
  setArmEvents(on: boolean): void;
  /** One reconcile tick now, as the timer would run it. */
  reconcileOnce(): Promise<ReconcileReport>;
  /** How many reconcile ticks have run (a test of another path alone expects none). */
  reconcileTicks(): number;
  /** What the functions logged (one line each) and every error their runs ended with. */
  readonly logs: readonly string[];
  readonly errors: readonly string[];
  /** Errors matching these are a test's own doing (a fault it injected); any other fails stop(). */
  expectErrors(...patterns: RegExp[]): void;
  /** The errors so far that no test expected. */
  unexpectedErrors(): string[];
  stop(): Promise<void>;
}

export interface RunningConnectorOptions {
  readonly connectorName: string;
  readonly location?: string;
  readonly webhook?: boolean;
  readonly periodMs?: number;
  /** How often heartbeats run (default: periodMs): production's ~10 s beside its 15 s reconcile, for a benchmark. */
  readonly heartbeatPeriodMs?: number;
  /** Reconcile's share of ARM's read refill (default armBudget.reads.defaultShare, as ARM_READ_SHARE). */
  readonly readShare?: number;
  /** Options for a new emulator, or an emulator to share (e.g. with a second cluster's connector); it is not stopped. */
  readonly emulator?: Parameters<typeof startTestEmulator>[0] | { readonly shared: TestEmulator };
  /** The clock of pod sync (e.g. a fast one, to see an hour of back-off in a minute); heartbeats keep real time. */
  readonly clock?: Clock;
  /** The emulator's ARM events reach aciEvents' controller (default true, as in Azure). */
  readonly armEvents?: boolean;
  /**
   * The waits before the relays retry a failed delivery (default 0.2, 0.4, 0.8 and 1.6 s, so that a
   * test does not wait Event Grid's 10 s; a benchmark gives Event Grid's own, eventGridRetryScheduleMs).
   */
  readonly retryScheduleMs?: readonly number[];
  /** Reconcile runs from the start (default true); setReconcile() switches it later. */
  readonly reconcile?: boolean;
  /**
   * The kubelet API served over HTTPS on loopback as the functions serve it (functions/kubeletApi.ts),
   * and advertised by the nodes (KUBELET_ENDPOINT), so the API server's kubectl logs reach it.
   */
  readonly kubeletApi?: boolean;
  /**
   * The kubelet API's clock (default: the system's): a test of resource metrics moves it forward with the
   * emulator's (option emulator.clock) to see minutes of usage without waiting for them.
   */
  readonly kubeletClock?: Clock;
  /** ACI_SUBNET_ID: every container group goes into this subnet (VNet mode). */
  readonly subnetId?: string;
  /** More app settings, e.g. ACI_PULL_IDENTITY. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * What reconcile reports when its tick's deadline aborts the calls in flight (a busy machine, many pods):
 * the SDK's abort of a request on its way, or of one not yet sent. The next tick goes on; a benchmark
 * counts these, it does not fail on them.
 */
export const reconcileTickOverran = /^reconcile: (The user aborted a request\.|The operation was aborted\. Request has already been canceled\.)$/;

export async function startRunningConnector(cluster: TestCluster, options: RunningConnectorOptions): Promise<RunningConnector> {
  const location = options.location ?? "westeurope";
  const { connectorName } = options;
  const shared = options.emulator !== undefined && "shared" in options.emulator ? options.emulator.shared : undefined;
  const emulator = shared ?? (await startTestEmulator({ ...(options.emulator as Parameters<typeof startTestEmulator>[0]), location }));
  const logs: string[] = [];
  const errors: string[] = [];
  const log = lineLogger((line) => logs.push(line), `[${connectorName}] `);
  const clock = options.clock ?? systemClock;
  // Made once the connector exists; the server must be listening before, for the nodes' address.
  const kubelet: { deps?: KubeletDependencies } = {};
  const kubeletServer = options.kubeletApi
    ? await startHttpsFunctionServer({
        ca: await createCertificateAuthority(`${connectorName} kubelet API CA`),
        routes: Object.entries(triggers.kubeletApi.routes).map(([name, route]) => ({
          name,
          route,
          methods: triggers.kubeletApi.methods,
          handler: serveKubeletApi(() => Promise.resolve(kubelet.deps!)),
        })),
      })
    : undefined;
  const kubeletEnv: Record<string, string> = kubeletServer === undefined ? {} : { KUBELET_ENDPOINT: new URL(kubeletServer.origin).host };
  const meter = createArmMeter();
  // The ARM client as the functions build it: ARM's Retry-After remembered, no long sleep in a call, reads
  // metered, the heartbeat's probes too (as in the Function App, one client per process).
  // ARM's buckets refill in real time, whatever the pod sync's clock.
  const pacer = createArmPacer(systemClock);
  const arm = connectorArmClient(emulator, createArmThrottle(clock), meter, pacer);
  const connector = await connectorUnderTest({ cluster, emulator, arm, connectorName, location, osTypes: ["Linux", "Windows"], env: { NODE_STATUS_INTERVAL_SECONDS: "10", ...kubeletEnv, ...(options.subnetId !== undefined && { ACI_SUBNET_ID: options.subnetId }), ...options.env }, log });
  // One client per node, made once, so a test can instrument a node's calls; every Event and status it
  // writes is kept, for the audit that no secret reaches one (test/audit/).
  const written: string[] = [];
  const kept = (client: PodClient): PodClient => ({
    ...client,
    patchPodStatus: (ref, status, o) => (written.push(`status ${ref.namespace}/${ref.name} ${JSON.stringify(status)}`), client.patchPodStatus(ref, status, o)),
    recordEvent: (event, o) => (written.push(`event ${event.type} ${event.reason} ${event.note}`), client.recordEvent(event, o)),
  });
  const podClients = new Map(connector.nodeNames.map((node) => [node, kept(createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, node)))]));
  const ledger = createReadLedger();
  const groupList = createGroupListMemory();
  const nodeClients = () => connector.nodeNames.map((name) => ({ name, client: createNodeClient(kubeConfigAsNode(connector.identity.kubeConfig, name)) }));
  const statusRefresh = statusRefreshPublisher({ nodes: nodeClients, log: () => deps.log });
  const creationWaits = creationWaitPublisher({ nodes: nodeClients, clock, log: () => deps.log });
  const deps: PodSyncDependencies = {
    podsAs: (node) => podClients.get(node) ?? createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, node)),
    groups: createContainerGroups(arm, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup }),
    capabilities: createLocationCapabilities(arm, location, clock),
    clock,
    log,
    translation: translationSettings(connector.settings),
    nodes: new Map([
      [connector.nodeNames[0]!, "Linux"],
      [connector.nodeNames[1]!, "Windows"],
    ]),
  };
  kubelet.deps = {
    nodes: connector.nodeNames,
    podsAs: (node) => podClients.get(node)!,
    groups: deps.groups,
    // Azure Monitor's batch API as the functions reach it (METRICS_ENDPOINT, METRICS_CA_FILE): the emulator's.
    usage: createContainerUsage(
      createMetricsClient({ metricsEndpoint: emulator.endpoint, metricsCaFile: emulator.caFile }, emulatorCredential),
      { subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup },
      options.kubeletClock ?? systemClock,
    ),
    reviews: createAccessReviews(kubeConfigAsNode(connector.identity.kubeConfig, connector.nodeNames[0]!)),
    clusterCaPem: clusterCaPem(connector.identity.kubeConfig),
    clock: options.kubeletClock ?? systemClock,
    log,
    limits: { callTimeoutMs: triggers.kubeletApi.callTimeoutMs, followMaxMs: triggers.kubeletApi.followMaxMs, followPollMs: armBudget.logsFollow.pollMs, followStateEveryPolls: armBudget.logsFollow.stateEveryPolls },
  };
  const expected: RegExp[] = [];
  const unexpectedErrors = () => errors.filter((e) => !expected.some((pattern) => pattern.test(e)));
  let doorbells = true;
  const retryScheduleMs = options.retryScheduleMs ?? [200, 400, 800, 1_600];
  const relay = createInProcessRelay({
    deliver: (event) => (doorbells ? handlePodChanged(deps, event, AbortSignal.timeout(triggers.podEvents.timeoutMs)).then(() => undefined) : Promise.resolve()),
    retryScheduleMs,
    onDeadLetter: (event, error) => errors.push(`podEvents gave up on ${event.namespace}/${event.name}: ${(error as Error).message}`),
  });
  // The system topic's subscription to aciEvents (infra/modules/aci-events.bicep), read as aciEvents reads it.
  let armEvents = options.armEvents ?? true;
  const armRelay = createInProcessRelay<ResourceCloudEvent>({
    deliver: async (event) => {
      const reading = readArmResourceEvent(event);
      if (!armEvents) return;
      if (!reading.ok) throw new Error(`aciEvents could not read ${event.type} ${event.id}: ${reading.problems.join("; ")}`);
      await handleArmEvent(deps, reading.value, AbortSignal.timeout(triggers.aciEvents.timeoutMs));
    },
    retryScheduleMs,
    onDeadLetter: (event, error) => errors.push(`aciEvents gave up on ${event.subject}: ${(error as Error).message}`),
  });
  const unsubscribeArmEvents = emulator.control.subscribeResourceEvents((event) => void armRelay.publish(event));
  let server: HttpsFunctionServer | undefined;
  if (options.webhook !== false) {
    const token = `${connectorName}-webhook-path-token-0123456789abcdef`;
    Object.assign(process.env, {
      ACI_CONNECTOR_NAME: connectorName,
      ACI_CONNECTOR_CLUSTER_ID: connector.settings.clusterId,
      ACI_LOCATION: location,
      AZURE_SUBSCRIPTION_ID: emulator.subscriptionId,
      ACI_RESOURCE_GROUP: emulator.resourceGroup,
      KUBECONFIG: connector.identity.kubeconfigPath,
      WEBHOOK_PATH_TOKEN: token,
    });
    useLocalRelay(relay);
    const ca = await createCertificateAuthority(`${connectorName} webhook CA`);
    server = await startHttpsFunctionServer({ ca, routes: [{ name: "podWebhook", route: triggers.podWebhook.route, methods: triggers.podWebhook.methods, handler: podWebhook }] });
    await applyObjects(cluster.admin, renderPodWebhook({ connectorName, nodeNames: connector.nodeNames, url: `${server.origin}/api/pod-webhook/${token}`, caPem: ca.certPem }));
  }

  await connector.register();
  const periodMs = options.periodMs ?? 3000;
  let reconciling = options.reconcile ?? true;
  const loops: { stop(): Promise<void> }[] = [];
  // As the Functions host runs a timer (azure-webjobs-sdk-extensions TimerListener.cs): never two at once,
  // the next at the schedule's first moment after this one began, or at once if that has passed. A long
  // tick does not stretch the period, as waiting a whole interval after each tick would.
  const every = (name: string, work: () => Promise<unknown>, intervalMs = periodMs) => {
    let stopped = false;
    const loop = (async () => {
      const start = Date.now();
      while (!stopped) {
        const began = Date.now();
        // Kept, not swallowed: a test decides which errors it expected.
        await work().catch((error: unknown) => void errors.push(`${name}: ${(error as Error).message}`));
        const next = start + (Math.floor((began - start) / intervalMs) + 1) * intervalMs;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
    })();
    loops.push({ stop: async () => ((stopped = true), await loop) });
  };
  let ticks = 0;
  const reconcileOnce = async () => {
    ticks += 1;
    const tickEndsAtMs = Date.now() + triggers.reconcile.timeoutMs;
    const report = await reconcile(deps, {
      readsPerTick: readsPerTick(options.readShare ?? armBudget.reads.defaultShare, periodMs / 1000),
      periodSeconds: periodMs / 1000,
      readsSent: () => meter.sent("reads"),
      readsRemaining: () => meter.remaining("reads"),
      armWaitMs: (kind) => pacer.waitMs(kind),
      ledger,
      groupList,
      // In real time, as the abort signal's: the pod sync's clock may run faster (test/integration/faults).
      timeLeftMs: () => tickEndsAtMs - Date.now(),
      abortSignal: AbortSignal.timeout(triggers.reconcile.timeoutMs),
    });
    await statusRefresh.publish(report.refreshSeconds);
    await creationWaits.publish(report.creationsWaiting);
    errors.push(...report.errors.map((e) => `reconcile: ${e}`));
    return report;
  };
  every("heartbeat", () => connector.beat(), options.heartbeatPeriodMs);
  let tickInFlight: Promise<unknown> = Promise.resolve();
  every("reconcile", () => (reconciling ? (tickInFlight = reconcileOnce()) : Promise.resolve()));

  return {
    emulator,
    connector,
    deps,
    relay,
    ...(kubeletServer !== undefined && { kubeletOrigin: kubeletServer.origin }),
    async groupsByPod() {
      const { groups } = await deps.groups.list();
      return groups.filter((g) => g.tags[tagNames.connector] === connectorName).map((g) => `${g.tags[tagNames.podName]}:${g.tags[tagNames.uid]}`).sort();
    },
    setReconcile: (on) => void (reconciling = on),
    async pauseReconcile() {
      reconciling = false;
      await tickInFlight.catch(() => undefined);
    },
    setDoorbells: (on) => void (doorbells = on),
    setArmEvents: (on) => void (armEvents = on),
    reconcileOnce,
    reconcileTicks: () => ticks,
    logs,
    errors,
    expectErrors: (...patterns) => void expected.push(...patterns),
    unexpectedErrors,
    async stop() {
      for (const loop of loops) await loop.stop();
      unsubscribeArmEvents();
      relay.stop();
      armRelay.stop();
      await relay.drain();
      await armRelay.drain();
      if (server !== undefined) {
        await cluster.admin.makeApiClient(AdmissionregistrationV1Api).deleteValidatingWebhookConfiguration({ name: `aci-connector-${connectorName}` }).catch(() => undefined);
        await server.stop();
      }
      await kubeletServer?.stop();
      await connector.unregister();
      if (shared === undefined) await emulator.stop();
      saveConnectorOutput(connectorName, [...logs, ...errors.map((e) => `error ${e}`), ...written]);
      const unexpected = unexpectedErrors();
      if (unexpected.length > 0) throw new Error(`connector ${connectorName} reported ${unexpected.length} error(s) no test expected:\n  ${unexpected.join("\n  ")}`);
    },
  };
}
