// The connector as the tests run it: its restricted RBAC identity on the test cluster, the ACI emulator
// behind the real SDK client, and settings read through the same validation as in Azure.
import type { ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import { triggers } from "../../functions/triggers.js";
import { runHeartbeat, type HeartbeatDependencies, type HeartbeatReport } from "../../shared/controller/heartbeat.js";
import { registerVirtualNodes, removeVirtualNode, type NodeRegistration } from "../../shared/controller/node-registration.js";
import { readSettings, type NodeOs, type Settings } from "../../shared/config/settings.js";
import { createAciHealthProbe } from "../../shared/aci/location-health.js";
import { readClusterId } from "../../shared/kube/cluster-id.js";
import { createNodeClient } from "../../shared/kube/node-client.js";
import { kubeConfigAsNode } from "../../shared/kube/node-identity.js";
import { systemClock, type Clock } from "../../shared/runtime/clock.js";
import { silentLogger, type Logger } from "../../shared/runtime/logger.js";
import { createArmThrottle } from "../../shared/aci/arm-throttle.js";
import { virtualNodeName } from "../../shared/translate/virtual-node.js";
import { readPackageVersion } from "../../shared/version.js";
import type { TestCluster } from "./cluster.js";
import { restrictedConnectorIdentity, type ConnectorIdentity } from "./connector-identity.js";
import { connectorArmClient, type TestEmulator } from "./emulator.js";

export interface ConnectorUnderTest {
  readonly identity: ConnectorIdentity;
  readonly settings: Settings;
  readonly nodeNames: readonly string[];
  readonly heartbeat: HeartbeatDependencies;
  /** One heartbeat tick with the deadlines the heartbeat function gives it. */
  beat(): Promise<HeartbeatReport>;
  /** Registers the nodes as `aci-connector install` does: with the installer's (admin) rights. */
  register(): Promise<NodeRegistration[]>;
  /** Removes the nodes and their Leases as `aci-connector remove` does. */
  unregister(): Promise<void>;
}

export async function connectorUnderTest(options: {
  cluster: TestCluster;
  emulator: TestEmulator;
  connectorName: string;
  location: string;
  osTypes: readonly NodeOs[];
  clock?: Clock;
  /** The functions' ARM client, when the caller runs them on it (one per process, as in the Function App). */
  arm?: ContainerInstanceManagementClient;
  /** Extra app settings, e.g. NODE_STATUS_INTERVAL_SECONDS. */
  env?: Readonly<Record<string, string>>;
  log?: Logger;
}): Promise<ConnectorUnderTest> {
  const { cluster, emulator, connectorName, location } = options;
  const nodeNames = options.osTypes.map((os) => virtualNodeName({ connectorName, location, os }));
  const identity = await restrictedConnectorIdentity(cluster, { connectorName, nodeNames });
  const clusterId = await readClusterId(cluster.admin);
  const settings = readSettings({
    ACI_CONNECTOR_NAME: connectorName,
    ACI_CONNECTOR_CLUSTER_ID: clusterId,
    ACI_CONNECTOR_OS_TYPE: options.osTypes.length === 2 ? "Both" : options.osTypes[0],
    ACI_LOCATION: location,
    AZURE_SUBSCRIPTION_ID: emulator.subscriptionId,
    ACI_RESOURCE_GROUP: emulator.resourceGroup,
    KUBECONFIG: identity.kubeconfigPath,
    WEBHOOK_PATH_TOKEN: "test-webhook-path-token-0123456789abcdef",
    ...options.env,
  });
  const heartbeat: HeartbeatDependencies = {
    settings,
    asNode: (name) => createNodeClient(kubeConfigAsNode(identity.kubeConfig, name)),
    taints: createNodeClient(identity.kubeConfig),
    // The ARM client as the functions build it: a throttled probe fails at once instead of sleeping.
    aciHealth: createAciHealthProbe(options.arm ?? connectorArmClient(emulator, createArmThrottle(systemClock)), { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, location }),
    clock: options.clock ?? systemClock,
    log: options.log ?? silentLogger,
    packageVersion: readPackageVersion(),
  };
  const installer = createNodeClient(cluster.admin);
  return {
    identity,
    settings,
    nodeNames,
    heartbeat,
    beat: () => runHeartbeat(heartbeat, heartbeatDeadlines()),
    register: () => registerVirtualNodes({ ...heartbeat, nodes: installer }, options.osTypes),
    async unregister() {
      for (const name of nodeNames) await removeVirtualNode(installer, name);
    },
  };
}

/** The deadlines functions/heartbeat.ts gives a tick. */
export function heartbeatDeadlines() {
  const { timeoutMs, leaseTimeoutMs, armProbeTimeoutMs } = triggers.heartbeat;
  return { abortSignal: AbortSignal.timeout(timeoutMs), leaseTimeoutMs, armProbeTimeoutMs };
}
