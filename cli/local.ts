// `aci-connector local` (`npm start`): the whole connector on this machine. A real Kubernetes control
// plane, the ACI emulator, and the functions in functions/ on a local host that gives each its trigger
// (the webhook over HTTPS, timers on their schedules, the relay in-process), with the connector
// installed by `aci-connector install --local`'s own code: provider, RBAC, webhook, virtual nodes.
import { randomUUID } from "node:crypto";
import { copyFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import functions from "@azure/functions";
import { ensureControlPlaneBinaries, ensureMetricsServerBinary } from "../dev/control-plane/binaries.js";
import { startControlPlane } from "../dev/control-plane/launch.js";
import { startHttpsFunctionServer } from "../dev/functions-host/https-server.js";
import { startTimers } from "../dev/functions-host/timers.js";
import { eventGridHandler, httpFunctions, loadFunctionApp, timerFunctions } from "../dev/functions-host/function-app.js";
import { createCertificateAuthority } from "../dev/pki.js";
import type { ResourceCloudEvent } from "../dev/emulator/resource-events.js";
import { osTypeChoices, subnetIdProblem } from "../shared/config/settings.js";
import { KubeConfig } from "@kubernetes/client-node";
import { readClusterId } from "../shared/kube/cluster-id.js";
import { nodeIdentity } from "../shared/kube/node-identity.js";
import { createInProcessRelay } from "../shared/relay/in-process.js";
import { podChangedCloudEvent } from "../shared/relay/pod-changed.js";
import { useLocalRelay } from "../shared/runtime/connector.js";
import { newPathToken } from "../shared/webhook/path-token.js";
import { nodeNamesOf } from "../shared/install/cluster-side.js";
import { osTypesOf } from "./connector-options.js";
import { startRecordedEmulator } from "./emulator-state.js";
import { installLocal } from "./install.js";
import { defaultStateDir, writeLocalState } from "./local-state.js";
import type { Command } from "./main.js";
import { lockStateDir } from "./state-lock.js";

const { InvocationContext } = functions;

const help = `Usage: aci-connector local [--state-dir DIR] [--os-type Both|Linux|Windows] [--connector-name NAME] [--location L] [--subnet-id ID]

Runs the connector on this machine: a Kubernetes control plane with metrics-server (built from Go
modules on first use),
the ACI emulator and the functions, with the connector installed. Stays in the foreground; Ctrl-C stops
everything it started.

  --state-dir DIR        where kubeconfig, local.json, logs and certificates go (default .local)
  --os-type TYPE         virtual nodes to register: Both (default), Linux or Windows
  --connector-name NAME  the connector's name (default aci-connector)
  --location L           the Azure region the emulator pretends to be (default westeurope)
  --subnet-id ID         put every container group into this subnet, as AKS virtual nodes do: each
                         gets a private IP, ports or not (/subscriptions/.../virtualNetworks/V/subnets/S)
`;

export const localCommand: Command = async (args) => {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "state-dir": { type: "string", default: defaultStateDir },
        "os-type": { type: "string", default: "Both" },
        "connector-name": { type: "string", default: "aci-connector" },
        location: { type: "string", default: "westeurope" },
        "subnet-id": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) return (process.stdout.write(help), 0);
  const osType = osTypeChoices.find((c) => c.toLowerCase() === values["os-type"].toLowerCase());
  if (osType === undefined) return (process.stderr.write(`--os-type must be one of ${osTypeChoices.join(", ")}\n`), 2);
  const subnetId = values["subnet-id"];
  const subnetProblem = subnetId === undefined ? undefined : subnetIdProblem(subnetId, "--subnet-id");
  if (subnetProblem !== undefined) return (process.stderr.write(`${subnetProblem}\n`), 2);
  const stateDir = resolve(values["state-dir"]);
  const connectorName = values["connector-name"];
  const location = values.location;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    // Before anything is written there: a second run would replace the first one's certificates.
    const lock = await lockStateDir(stateDir, "aci-connector local");
    stops.push(() => lock.release());
    if (lock.note !== undefined) say(`[local] note: ${lock.note}`);
    say("[local] control plane and metrics-server binaries (the first run builds them from Go modules, about 11 minutes on 2 idle cores)");
    const binDir = await ensureControlPlaneBinaries({ progress: say });
    const metricsServerBinary = await ensureMetricsServerBinary({ progress: say });
    const cluster = await startControlPlane({ binDir, metricsServerBinary, dir: join(stateDir, "cluster"), progress: say, handleSignals: false });
    stops.push(() => cluster.stop());

    say("[local] starting the ACI emulator (Microsoft.ContainerInstance not yet registered, as in a new subscription)");
    const { emulator, descriptor: emulatorDescriptor } = await startRecordedEmulator(stateDir, { providerRegistered: false, caFileName: "emulator-ca.crt" });
    stops.push(() => emulator.stop());
    const armCaFile = emulatorDescriptor.caFile;

    const connectorUser = `aci-connector-${connectorName}`;
    const connectorKubeconfig = await cluster.kubeconfigFor(connectorUser);
    const token = newPathToken();
    // The functions read their settings from the environment, as from a Function App's app settings.
    // They serve both OS types, so install and remove --local can add and take away either node.
    Object.assign(process.env, {
      ACI_CONNECTOR_NAME: connectorName,
      ACI_CONNECTOR_CLUSTER_ID: await readClusterId(adminKubeConfig(cluster.descriptor.adminKubeconfig)),
      ACI_CONNECTOR_OS_TYPE: "Both",
      ACI_LOCATION: location,
      AZURE_SUBSCRIPTION_ID: emulator.subscriptionId,
      ACI_RESOURCE_GROUP: emulator.resourceGroup,
      KUBECONFIG: connectorKubeconfig,
      WEBHOOK_PATH_TOKEN: token,
      ARM_ENDPOINT: emulator.endpoint,
      ARM_CA_FILE: armCaFile,
      ARM_CREDENTIAL: "emulator",
      // Azure Monitor's metrics batch API (kubectl top, HPA): the emulator serves it too.
      METRICS_ENDPOINT: emulator.endpoint,
      METRICS_CA_FILE: armCaFile,
      ...(subnetId !== undefined && { ACI_SUBNET_ID: subnetId }),
    });
    if (subnetId !== undefined) say(`[local] container groups go into subnet ${subnetId} (private IPs)`);
    const log = (line: string) => say(`${new Date().toISOString().slice(11, 19)} ${line}`);
    // Loaded as the Functions host loads them, after the settings are in the environment.
    const functionApp = await loadFunctionApp(log);
    const podEvents = eventGridHandler(functionApp, "podEvents");
    const aciEvents = eventGridHandler(functionApp, "aciEvents");
    const relay = createInProcessRelay({
      deliver: async (data) => {
        await podEvents(
          // As the Azure subscription delivers it: a CloudEvent (infra/modules/event-subscriptions.bicep).
          { specversion: "1.0", id: randomUUID(), time: new Date().toISOString(), datacontenttype: "application/json", ...podChangedCloudEvent(data, "aci-connector/local") },
          new InvocationContext({ functionName: "podEvents", logHandler: (level, ...a) => log(`${level} [podEvents] ${a.map(String).join(" ")}`) }),
        );
      },
      onDeadLetter: (event, error) => log(`error [podEvents] gave up on ${event.namespace}/${event.name}: ${(error as Error).message}`),
    });
    useLocalRelay(relay);
    // The emulator's ARM events to aciEvents, as the resource group's system topic delivers them in Azure
    // (infra/modules/aci-events.bicep).
    const armEvents = createInProcessRelay<ResourceCloudEvent>({
      deliver: async (event) => {
        await aciEvents(event, new InvocationContext({ functionName: "aciEvents", logHandler: (level, ...a) => log(`${level} [aciEvents] ${a.map(String).join(" ")}`) }));
      },
      onDeadLetter: (event, error) => log(`error [aciEvents] gave up on ${event.subject}: ${(error as Error).message}`),
    });
    const unsubscribeArmEvents = emulator.control.subscribeResourceEvents((event) => void armEvents.publish(event));
    const ca = await createCertificateAuthority("aci-connector local functions CA");
    const webhookCaFile = join(stateDir, "functions-ca.crt");
    await writeFile(webhookCaFile, ca.certPem);
    const server = await startHttpsFunctionServer({
      ca,
      log,
      // The webhook and the kubelet API (kubectl logs), at the address the virtual nodes advertise.
      routes: httpFunctions(functionApp),
    });
    stops.push(() => server.stop());
    // Before any function runs: the settings are read once, at the first call.
    process.env.KUBELET_ENDPOINT = new URL(server.origin).host;

    const kubeconfig = join(stateDir, "kubeconfig");
    await copyFile(cluster.descriptor.adminKubeconfig, kubeconfig);
    await writeLocalState(stateDir, {
      connectorName,
      location,
      apiServer: cluster.descriptor.server,
      kubeconfig,
      kubectl: cluster.descriptor.kubectl,
      connectorUser,
      nodeIdentities: nodeNamesOf({ connectorName, location }, osTypesOf("Both")).map(nodeIdentity),
      emulator: emulatorDescriptor,
      webhook: { url: `${server.origin}/api/pod-webhook/${token}`, caFile: webhookCaFile },
      nodes: nodeNamesOf({ connectorName, location }, osTypesOf(osType)),
    });

    say("[local] installing the connector (aci-connector install --local)");
    await installLocal({ stateDir, osType }, (line) => say(`[install] ${line}`));
    const timers = startTimers(timerFunctions(functionApp), log);
    stops.push(async () => {
      await timers.stop();
      unsubscribeArmEvents();
      relay.stop();
      armEvents.stop();
      await relay.drain();
      await armEvents.drain();
    });

    const dirArgument = stateDir === resolve(defaultStateDir) ? "" : ` --state-dir ${stateDir}`;
    say(`
aci-connector is running locally (Ctrl-C stops everything).

  export KUBECONFIG=${kubeconfig}
  alias kubectl=${cluster.descriptor.kubectl}
  kubectl get nodes
  kubectl apply -f examples/virtual-kubelet-linux.yaml -f examples/virtual-kubelet-windows.yaml
  kubectl get pods -o wide

In another terminal, as the seed's install-connector and remove-connector:
  npx aci-connector remove --local --os-type Windows${dirArgument}
  npx aci-connector install --local --os-type Both${dirArgument}

and to try failures by hand (npx aci-connector emulator --help):
  npx aci-connector emulator fault --status 503 --seconds 60${dirArgument}
  npx aci-connector emulator exit --pod default/<pod> --code 1${dirArgument}
`);
    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once("SIGINT", () => done("SIGINT"));
      process.once("SIGTERM", () => done("SIGTERM"));
    });
    say(`[local] ${signal}: stopping`);
    await stopAll();
    say("[local] stopped");
    return 0;
  } catch (error) {
    await stopAll();
    process.stderr.write(`aci-connector local failed: ${(error as Error).message}\n`);
    return 1;
  }
};

function adminKubeConfig(path: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  return kubeConfig;
}
