// remove deletes the connector's RBAC and webhook by name only when they carry its labels: every object
// infra/kubernetes/ renders must carry them, and a namesake without them (or another connector's) must not
// pass for the connector's. test/integration/remove-ownership.test.ts removes against the API server.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { connectorLabels, renderConnectorRbac, renderPodWebhook } from "../../../shared/install/manifests.js";
import { hasLabels } from "../../../shared/kube/apply.js";

const rendered = [
  ...renderConnectorRbac({ connectorName: "vk", connectorUser: "u", nodeNames: ["virtual-kubelet-vk-linux-westeurope"] }),
  ...renderPodWebhook({ connectorName: "vk", nodeNames: ["virtual-kubelet-vk-linux-westeurope"], url: "https://func.example/api/pod-webhook/x" }),
];

describe("the connector's labels", () => {
  it("are on every object install applies", () => {
    assert.ok(rendered.length >= 5);
    for (const object of rendered) assert.ok(hasLabels(object, connectorLabels("vk")), `${object.kind}/${object.metadata?.name} lacks them`);
  });

  it("tell the connector's objects from a namesake's", () => {
    const cases: [string, Record<string, string> | undefined, boolean][] = [
      ["the connector's", { "app.kubernetes.io/name": "aci-connector", "app.kubernetes.io/instance": "vk", team: "x" }, true],
      ["unlabelled", undefined, false],
      ["another connector's", { "app.kubernetes.io/name": "aci-connector", "app.kubernetes.io/instance": "vk2" }, false],
      ["another app's of the same instance name", { "app.kubernetes.io/name": "other", "app.kubernetes.io/instance": "vk" }, false],
      ["half of them", { "app.kubernetes.io/instance": "vk" }, false],
    ];
    for (const [description, labels, ours] of cases) {
      const object = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "aci-connector-vk", ...(labels !== undefined && { labels }) } };
      assert.equal(hasLabels(object, connectorLabels("vk")), ours, description);
    }
  });
});
