// Reconcile lists every virtual node's pods every tick: the API server answers that list from its watch
// cache, through the cache's spec.nodeName index, as it answers a kubelet's informer, and never asks
// etcd. Seen from the API server's own counters (kube-apiserver 1.34): a list without resourceVersion is
// a consistent read, which asks etcd for its current revision first (apiserver_storage_list_total and
// etcd_requests_total move); a list with resourceVersion "0" does not.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api } from "@kubernetes/client-node";
import { kubeConfigAsNode } from "../../shared/kube/node-identity.js";
import { createPodClient } from "../../shared/kube/pod-client.js";
import { podListSources, podListSourcesSince, readApiServerMetrics, type PodListSources } from "../support/api-server-metrics.js";
import { testCluster } from "../support/cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "../support/connector-under-test.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "pod-list-cache";
const pods = ["a", "b", "c"];

describe("the connector's list of a node's pods", () => {
  let emulator: TestEmulator;
  let connector: ConnectorUnderTest;
  let node: string;

  before(async () => {
    emulator = await startTestEmulator();
    connector = await connectorUnderTest({ cluster, emulator, connectorName: "pod-list", location: "westeurope", osTypes: ["Linux"] });
    await connector.register();
    node = connector.nodeNames[0]!;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    for (const name of pods) {
      await core.createNamespacedPod({
        namespace,
        body: { metadata: { name }, spec: { nodeName: node, containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }], tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }] } },
      });
    }
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await connector.unregister();
    await emulator.stop();
  });

  it("is served from the API server's watch cache by its node index, without a request to etcd", async () => {
    // As reconcile makes it: the node's own identity, through the connector's pod client.
    const client = createPodClient(kubeConfigAsNode(connector.identity.kubeConfig, node));
    // The counters are the whole server's: a control-plane component's own list in the same moment
    // would count too, so a clean reading out of three attempts decides (a list that reaches etcd moves
    // the storage counter every time).
    const readings: PodListSources[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = podListSources(await readApiServerMetrics(cluster));
      const listed = await client.listPodsOnNode(node);
      const moved = podListSourcesSince(before, podListSources(await readApiServerMetrics(cluster)));
      assert.deepEqual(listed.map((p) => p.metadata?.name).sort(), pods);
      readings.push(moved);
      if (moved.storage === 0 && moved.etcdRequests === 0 && moved.cacheByNodeIndex >= 1) break;
    }
    const last = readings.at(-1)!;
    assert.ok(last.cacheByNodeIndex >= 1, `no pod list served by the watch cache's spec.nodeName index: ${JSON.stringify(readings)}`);
    assert.equal(last.storage, 0, `the pod list reached the storage layer: ${JSON.stringify(readings)}`);
    assert.equal(last.etcdRequests, 0, `the pod list asked etcd: ${JSON.stringify(readings)}`);
  });
});
