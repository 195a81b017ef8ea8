// aciEvents and podEvents as the Functions host calls them (a real InvocationContext), with the payloads
// Microsoft documents in both delivery schemas (test/support/event-grid-payloads.ts cites the pages), about
// a container group in the emulator. ARM is the emulator; the API server is down (nothing listens on its
// port), so an event that reaches Kubernetes fails its invocation, which Event Grid then delivers again.
// (A deletion is left to reconcile: shared/controller/aci-events.ts.)
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aciEvents } from "../../functions/aciEvents.js";
import { podEvents } from "../../functions/podEvents.js";
import { tagNames } from "../../shared/translate/naming.js";
import { aboutResource, documentedResourceEvents, doorbellEvents, schemas } from "../support/event-grid-payloads.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { recordedInvocation } from "../support/invocation.js";

const connectorName = "events-test";
const clusterId = "5d1f4c1e-8b1a-4f0e-9a51-3c9b0d1e2f40";
const poll = { updateIntervalInMs: 50 };

/** A port nothing listens on: the API server is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("aciEvents and podEvents on events about a container group", () => {
  let emulator: TestEmulator;
  const groupUri = (name: string) => `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/${name}`;
  const group = (connector: string) => ({
    location: "westeurope",
    osType: "Linux" as const,
    containers: [{ name: "c", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: 1, memoryInGB: 1 } } }],
    tags: {
      [tagNames.connector]: connector,
      [tagNames.clusterId]: clusterId,
      [tagNames.node]: "virtual-kubelet-events-test-linux-westeurope",
      [tagNames.namespace]: "default",
      [tagNames.podName]: "aci-helloworld",
      [tagNames.uid]: "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f40",
    },
  });

  before(async () => {
    emulator = await startTestEmulator();
    const dir = await mkdtemp(join(tmpdir(), "event-functions-"));
    const kubeconfig = join(dir, "kubeconfig");
    const server = `https://127.0.0.1:${await closedPort()}`;
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: "v1", kind: "Config", "current-context": "c",
      clusters: [{ name: "c", cluster: { server, "insecure-skip-tls-verify": true } }],
      users: [{ name: "u", user: { token: "kube-token" } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    }));
    // The functions' settings, as a Function App's app settings (read once, on the first invocation).
    Object.assign(process.env, {
      ACI_CONNECTOR_NAME: connectorName,
      ACI_CONNECTOR_CLUSTER_ID: clusterId,
      ACI_LOCATION: "westeurope",
      AZURE_SUBSCRIPTION_ID: emulator.subscriptionId,
      ACI_RESOURCE_GROUP: emulator.resourceGroup,
      ARM_ENDPOINT: emulator.endpoint,
      ARM_CA_FILE: emulator.caFile,
      ARM_CREDENTIAL: "emulator",
      KUBECONFIG: kubeconfig,
      WEBHOOK_PATH_TOKEN: "events-test-webhook-path-token-0123456789",
    });
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "ours", group(connectorName), poll);
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "theirs", group("another-connector"), poll);
  });
  after(() => emulator.stop());

  for (const schema of schemas) {
    const { writeSuccess, deleteSuccess } = documentedResourceEvents[schema];
    const write = (name: string) => aboutResource(writeSuccess, groupUri(name), "Microsoft.ContainerInstance/containerGroups/write");

    it(`${schema}: aciEvents reads a written group from ARM, and ignores one of another connector`, async () => {
      emulator.control.resetCounters();
      const { context, lines } = recordedInvocation("aciEvents");
      await aciEvents(write("theirs"), context);
      assert.equal(emulator.control.counters()["containerGroups.get"], 1);
      // (Before it, a warning: the connector reads ARM's shared Retry-After from the API server, down here.)
      assert.equal(lines.at(-1), `information Microsoft.Resources.ResourceWriteSuccess ${groupUri("theirs")}: ignored`);
    });

    it(`${schema}: aciEvents goes on to the pod of its own written group, and fails the invocation while the API server is down`, async () => {
      await assert.rejects(aciEvents(write("ours"), recordedInvocation("aciEvents").context), /ECONNREFUSED/);
    });

    it(`${schema}: aciEvents leaves a deleted group to reconcile, reading nothing`, async () => {
      emulator.control.resetCounters();
      const { context, lines } = recordedInvocation("aciEvents");
      await aciEvents(aboutResource(deleteSuccess, groupUri("ours"), "Microsoft.ContainerInstance/containerGroups/delete"), context);
      assert.deepEqual(emulator.control.counters(), {});
      assert.deepEqual(lines, [`information Microsoft.Resources.ResourceDeleteSuccess ${groupUri("ours")}: ignored`]);
    });

    it(`${schema}: podEvents reads the pod a doorbell names, and fails the invocation while the API server is down`, async () => {
      const doorbell = doorbellEvents({ namespace: "default", name: "aci-helloworld" })[schema];
      await assert.rejects(podEvents(doorbell, recordedInvocation("podEvents").context), /ECONNREFUSED/);
    });
  }
});
