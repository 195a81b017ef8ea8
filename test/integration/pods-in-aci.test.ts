// End to end on the real control plane and the emulator, the connector under its restricted role: the
// seed's two Deployments, applied verbatim, run as container groups and show Running with their IP on
// the right virtual node; scaling and deleting leave exactly one group per pod and nothing behind.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AdmissionregistrationV1Api, CoreV1Api } from "@kubernetes/client-node";
import { startHttpsFunctionServer, type HttpsFunctionServer } from "../../dev/functions-host/https-server.js";
import { createCertificateAuthority } from "../../dev/pki.js";
import { podWebhook } from "../../functions/podWebhook.js";
import { triggers } from "../../functions/triggers.js";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { runHeartbeat, removeVirtualNode } from "../../shared/controller/heartbeat.js";
import { handlePodChanged } from "../../shared/controller/pod-events.js";
import type { PodSyncDependencies } from "../../shared/controller/pod-sync.js";
import { reconcile } from "../../shared/controller/reconcile.js";
import { applyObjects } from "../../shared/kube/apply.js";
import { createNodeClient } from "../../shared/kube/node-client.js";
import { createPodClient } from "../../shared/kube/pod-client.js";
import { renderPodWebhook } from "../../shared/install/manifests.js";
import { createInProcessRelay } from "../../shared/relay/in-process.js";
import { useLocalRelay } from "../../shared/runtime/connector.js";
import { systemClock } from "../../shared/runtime/clock.js";
import { silentLogger } from "../../shared/runtime/logger.js";
import { tagNames } from "../../shared/translate/naming.js";
import { testCluster } from "../support/cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "../support/connector-under-test.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { seedDir } from "../support/paths.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const connectorName = "e2e";
const location = "westeurope";
const namespace = "seed";
const token = "e2e-webhook-path-token-0123456789abcdef";

describe("pods on virtual nodes run in ACI", () => {
  let emulator: TestEmulator;
  let connector: ConnectorUnderTest;
  let deps: PodSyncDependencies;
  let server: HttpsFunctionServer;
  const loops: { stop(): Promise<void> }[] = [];

  const every = (ms: number, work: () => Promise<unknown>) => {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        await work().catch(() => undefined);
        await new Promise((r) => setTimeout(r, ms));
      }
    })();
    loops.push({ stop: async () => ((stopped = true), await loop) });
  };
  /** Groups of this connector in the emulator, by the pod they belong to. */
  const groupsByPod = async () => {
    const groups = await deps.groups.list();
    return groups.filter((g) => g.tags[tagNames.connector] === connectorName).map((g) => `${g.tags[tagNames.podName]}:${g.tags[tagNames.uid]}`).sort();
  };
  const podsOf = async (app: string) => (await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;

  before(async () => {
    emulator = await startTestEmulator({ location });
    connector = await connectorUnderTest({ cluster, emulator, connectorName, location, osTypes: ["Linux", "Windows"], env: { NODE_STATUS_INTERVAL_SECONDS: "10" } });
    deps = {
      pods: createPodClient(connector.identity.kubeConfig),
      groups: createContainerGroups(emulator.client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup }),
      clock: systemClock,
      log: silentLogger,
      translation: { connectorName, location },
      nodes: new Map([
        [connector.nodeNames[0]!, "Linux"],
        [connector.nodeNames[1]!, "Windows"],
      ]),
    };
    // The webhook, as the API server calls it, ringing podEvents through the in-process relay.
    Object.assign(process.env, {
      ACI_CONNECTOR_NAME: connectorName,
      ACI_LOCATION: location,
      AZURE_SUBSCRIPTION_ID: emulator.subscriptionId,
      ACI_RESOURCE_GROUP: emulator.resourceGroup,
      KUBECONFIG: connector.identity.kubeconfigPath,
      WEBHOOK_PATH_TOKEN: token,
    });
    useLocalRelay(createInProcessRelay({ deliver: (event) => handlePodChanged(deps, event).then(() => undefined), retryDelayMs: 200 }));
    const ca = await createCertificateAuthority("e2e webhook CA");
    server = await startHttpsFunctionServer({ ca, routes: [{ name: "podWebhook", route: triggers.podWebhook.route, methods: triggers.podWebhook.methods, handler: podWebhook }] });
    await applyObjects(cluster.admin, renderPodWebhook({ connectorName, nodeNames: connector.nodeNames, url: `${server.origin}/api/pod-webhook/${token}`, caPem: ca.certPem }));

    every(3000, () => runHeartbeat(connector.heartbeat));
    every(3000, () => reconcile(deps, { tick: Math.floor(Date.now() / 3000) }));
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  after(async () => {
    for (const loop of loops) await loop.stop();
    await cluster.admin.makeApiClient(AdmissionregistrationV1Api).deleteValidatingWebhookConfiguration({ name: `aci-connector-${connectorName}` }).catch(() => undefined);
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    for (const name of connector.nodeNames) await removeVirtualNode(createNodeClient(cluster.admin), name);
    await server.stop();
    await emulator.stop();
  });

  it("runs the seed's Deployments, applied verbatim: Running, READY 1/1, the group's IP, on the seed-named nodes", { timeout: 120_000 }, async () => {
    for (const file of ["virtual-kubelet-linux.yaml", "virtual-kubelet-windows.yaml"]) {
      const applied = await cluster.kubectl(["apply", "-n", namespace, "-f", join(seedDir, file)]);
      assert.equal(applied.code, 0, applied.stderr);
    }
    const rows = await waitFor(
      "both pods Running and ready",
      async () => {
        const out = await cluster.kubectl(["get", "pods", "-n", namespace, "-o", "wide", "--no-headers"]);
        const lines = out.stdout.trim().split("\n").filter((l) => l !== "").map((l) => l.split(/\s+/));
        return lines.length === 2 && lines.every((l) => l[1] === "1/1" && l[2] === "Running") ? lines : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    const [linux, windows] = connector.nodeNames;
    const byApp = new Map(rows.map((r) => [r[0]!.replace(/-[a-z0-9]+-[a-z0-9]+$/, ""), r]));
    // NAME READY STATUS RESTARTS AGE IP NODE ...
    assert.equal(byApp.get("aci-helloworld")?.[6], linux);
    assert.equal(byApp.get("nanoserver-iis")?.[6], windows);
    for (const row of rows) assert.match(row[5]!, /^\d+\.\d+\.\d+\.\d+$/);
    const groups = await groupsByPod();
    assert.equal(groups.length, 2);
    const events = await core.listNamespacedEvent({ namespace });
    assert.ok(events.items.some((e) => e.reason === "ContainerGroupCreated"), "a ContainerGroupCreated Event");
  });

  it("scales to 5 and back to 1 with exactly one group per pod", { timeout: 180_000 }, async () => {
    const scale = (n: number) => cluster.kubectl(["scale", "-n", namespace, "deployment/aci-helloworld", `--replicas=${n}`]);
    assert.equal((await scale(5)).code, 0);
    await waitFor("5 pods Running", async () => ((await podsOf("aci-helloworld")).filter((p) => p.status?.phase === "Running").length === 5 || undefined), { timeoutMs: 120_000, intervalMs: 1000 });
    assert.equal((await scale(1)).code, 0);
    const expected = async () => {
      const pods = [...(await podsOf("aci-helloworld")), ...(await podsOf("nanoserver-iis"))];
      return pods.map((p) => `${p.metadata!.name}:${p.metadata!.uid}`).sort();
    };
    await waitFor("one group per pod, no more", async () => {
      const [pods, groups] = [await expected(), await groupsByPod()];
      return pods.length === 2 && JSON.stringify(pods) === JSON.stringify(groups) ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
  });

  it("deleting the Deployments deletes every group and every pod", { timeout: 120_000 }, async () => {
    for (const d of ["aci-helloworld", "nanoserver-iis"]) assert.equal((await cluster.kubectl(["delete", "deployment", d, "-n", namespace, "--wait=false"])).code, 0);
    await waitFor("no pods and no groups", async () => ((await core.listNamespacedPod({ namespace })).items.length === 0 && (await groupsByPod()).length === 0 ? true : undefined), {
      timeoutMs: 90_000,
      intervalMs: 1000,
    });
  });
});
