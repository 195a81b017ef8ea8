// remove deletes the connector's RBAC and webhook by their names only when they are labelled as its: a
// namesake made by hand, or labelled for another connector, is left with a line saying so.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { KubernetesObjectApi } from "@kubernetes/client-node";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { removeClusterSide } from "../../shared/install/cluster-side.js";
import { renderConnectorRbac, renderPodWebhook } from "../../shared/install/manifests.js";
import { applyObjects } from "../../shared/kube/apply.js";
import { unlessNotFound } from "../../shared/kube/errors.js";
import { testCluster } from "../support/cluster.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const connectorName = "ownership-test";
const cluster = testCluster();

describe("remove and objects that are not the connector's", () => {
  let emulator: TestEmulator;
  const rbac = renderConnectorRbac({ connectorName, connectorUser: "ownership-test-user", nodeNames: [] });
  const webhook = renderPodWebhook({ connectorName, nodeNames: [], url: "https://func.example.invalid/api/pod-webhook/x" });
  const all = [...rbac, ...webhook];
  const named = (kind: string) => all.find((o) => o.kind === kind)!;
  const exists = (object: KubernetesObject) =>
    unlessNotFound(KubernetesObjectApi.makeApiClient(cluster.admin).read({ apiVersion: object.apiVersion!, kind: object.kind!, metadata: { name: object.metadata!.name!, namespace: object.metadata?.namespace } }));

  before(async () => {
    emulator = await startTestEmulator();
    // The ClusterRole made by hand (no labels), the webhook labelled for another connector, the rest the connector's.
    const handMade = { ...named("ClusterRole"), metadata: { name: named("ClusterRole").metadata!.name! } };
    const othersWebhook = { ...named("ValidatingWebhookConfiguration"), metadata: { ...named("ValidatingWebhookConfiguration").metadata, labels: { "app.kubernetes.io/name": "aci-connector", "app.kubernetes.io/instance": "someone-else" } } };
    await applyObjects(cluster.admin, [handMade, othersWebhook, ...all.filter((o) => o.kind !== "ClusterRole" && o.kind !== "ValidatingWebhookConfiguration")]);
  });
  after(async () => {
    await KubernetesObjectApi.makeApiClient(cluster.admin).delete(named("ClusterRole")).catch(() => undefined);
    await KubernetesObjectApi.makeApiClient(cluster.admin).delete(named("ValidatingWebhookConfiguration")).catch(() => undefined);
    await emulator.stop();
  });

  it("deletes the labelled objects, and leaves the others with a line saying so", async () => {
    const lines: string[] = [];
    const groups = createContainerGroups(emulator.client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, resourceGroup: emulator.resourceGroup });
    const report = await removeClusterSide({ kube: cluster.admin, connectorName, location: "westeurope", groups }, ["Linux", "Windows"], { progress: (l) => lines.push(l) });
    assert.deepEqual(report.clusterObjects.sort(), all.filter((o) => o.kind !== "ClusterRole" && o.kind !== "ValidatingWebhookConfiguration").map((o) => `${o.kind}/${o.metadata!.name}`).sort());
    const labels = `app.kubernetes.io/name=aci-connector, app.kubernetes.io/instance=${connectorName}`;
    assert.deepEqual(lines.filter((l) => l.startsWith("left ")).sort(), [
      `left ClusterRole/aci-connector-${connectorName} as it is: it is not labelled as this connector's (${labels})`,
      `left ValidatingWebhookConfiguration/aci-connector-${connectorName} as it is: it is not labelled as this connector's (${labels})`,
    ]);
    assert.ok(await exists(named("ClusterRole")));
    assert.ok(await exists(named("ValidatingWebhookConfiguration")));
    for (const object of all.filter((o) => o.kind !== "ClusterRole" && o.kind !== "ValidatingWebhookConfiguration")) assert.equal(await exists(object), undefined);
  });
});
