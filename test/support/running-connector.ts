// A running connector for end-to-end tests: its restricted identity, the emulator, heartbeats and
// reconcile on short periods, and (optionally) the webhook served over HTTPS and called by the real API
// server, ringing podEvents through the in-process relay. Everything it starts, stop() stops.
import { AdmissionregistrationV1Api } from "@kubernetes/client-node";
import { startHttpsFunctionServer, type HttpsFunctionServer } from "../../dev/functions-host/https-server.js";
import { createCertificateAuthority } from "../../dev/pki.js";
import { podWebhook } from "../../functions/podWebhook.js";
import { triggers } from "../../functions/triggers.js";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { handlePodChanged } from "../../shared/controller/pod-events.js";
import type { PodSyncDependencies } from "../../shared/controller/pod-sync.js";
import { reconcile } from "../../shared/controller/reconcile.js";
import { applyObjects } from "../../shared/kube/apply.js";
import { kubeConfigAsNode } from "../../shared/kube/node-identity.js";
import { createPodClient } from "../../shared/kube/pod-client.js";
import { renderPodWebhook } from "../../shared/install/manifests.js";
import { createInProcessRelay, type InProcessRelay } from "../../shared/relay/in-process.js";
import { useLocalRelay } from "../../shared/runtime/connector.js";
import { systemClock } from "../../shared/runtime/clock.js";
import { silentLogger } from "../../shared/runtime/logger.js";
import { tagNames } from "../../shared/translate/naming.js";
import type { TestCluster } from "./cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "./connector-under-test.js";
import { startTestEmulator, type TestEmulator } from "./emulator.js";

export interface RunningConnector {
  readonly emulator: TestEmulator;
  readonly connector: ConnectorUnderTest;
  readonly deps: PodSyncDependencies;
  readonly relay: InProcessRelay;
  /** "<pod name>:<pod uid>" of every group of this connector, sorted. */
  groupsByPod(): Promise<string[]>;
  /** Pauses or resumes reconcile (to prove the webhook path alone, or reconcile alone). */
  setReconcile(on: boolean): void;
  stop(): Promise<void>;
}

export async function startRunningConnector(
  cluster: TestCluster,
  options: { connectorName: string; location?: string; webhook?: boolean; periodMs?: number; rotationTicks?: number; emulator?: Parameters<typeof startTestEmulator>[0] },
): Promise<RunningConnector> {
  const location = options.location ?? "westeurope";
  const { connectorName } = options;
  const emulator = await startTestEmulator({ ...options.emulator, location });
  const connector = await connectorUnderTest({ cluster, emulator, connectorName, location, osTypes: ["Linux", "Windows"], env: { NODE_STATUS_INTERVAL_SECONDS: "10" } });
  // One client per node, made once, so a test can instrument a node's calls.
  const podClients = new Map(connector.nodeNames.map((node) => [node, createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, node))]));
  const deps: PodSyncDependencies = {
    podsAs: (node) => podClients.get(node) ?? createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, node)),
    groups: createContainerGroups(emulator.client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup }),
    clock: systemClock,
    log: silentLogger,
    translation: { connectorName, clusterId: connector.settings.clusterId, location },
    nodes: new Map([
      [connector.nodeNames[0]!, "Linux"],
      [connector.nodeNames[1]!, "Windows"],
    ]),
  };
  const relay = createInProcessRelay({ deliver: (event) => handlePodChanged(deps, event).then(() => undefined), retryDelayMs: 200 });
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
  let reconciling = true;
  const loops: { stop(): Promise<void> }[] = [];
  const every = (work: () => Promise<unknown>) => {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        await work().catch(() => undefined);
        await new Promise((r) => setTimeout(r, periodMs));
      }
    })();
    loops.push({ stop: async () => ((stopped = true), await loop) });
  };
  every(() => connector.beat());
  every(() => (reconciling ? reconcile(deps, { tick: Math.floor(Date.now() / periodMs), ...(options.rotationTicks !== undefined && { rotationTicks: options.rotationTicks }) }) : Promise.resolve()));

  return {
    emulator,
    connector,
    deps,
    relay,
    async groupsByPod() {
      const groups = await deps.groups.list();
      return groups.filter((g) => g.tags[tagNames.connector] === connectorName).map((g) => `${g.tags[tagNames.podName]}:${g.tags[tagNames.uid]}`).sort();
    },
    setReconcile: (on) => void (reconciling = on),
    async stop() {
      for (const loop of loops) await loop.stop();
      await relay.drain();
      if (server !== undefined) {
        await cluster.admin.makeApiClient(AdmissionregistrationV1Api).deleteValidatingWebhookConfiguration({ name: `aci-connector-${connectorName}` }).catch(() => undefined);
        await server.stop();
      }
      await connector.unregister();
      await emulator.stop();
    },
  };
}
