// The webhook as the real API server calls it: the ValidatingWebhookConfiguration from infra/ (with its
// CEL matchConditions), served over HTTPS by functions/podWebhook.ts, and the doorbells it rings.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AdmissionregistrationV1Api, CoordinationV1Api, CoreV1Api, V1MicroTime, type V1Pod } from "@kubernetes/client-node";
import { startHttpsFunctionServer, type HttpsFunctionServer } from "../../dev/functions-host/https-server.js";
import { createCertificateAuthority } from "../../dev/pki.js";
import { podWebhook } from "../../functions/podWebhook.js";
import { triggers } from "../../functions/triggers.js";
import { applyObjects } from "../../shared/kube/apply.js";
import { renderPodWebhook } from "../../shared/install/manifests.js";
import type { PodChanged } from "../../shared/relay/pod-changed.js";
import { useLocalRelay } from "../../shared/runtime/connector.js";
import { newPathToken } from "../../shared/webhook/path-token.js";
import { testCluster } from "../support/cluster.js";
import { apiServerCounter } from "../support/api-server-metrics.js";
import { seedDir } from "../support/paths.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const connectorName = "webhook-test";
const ourNode = `virtual-kubelet-${connectorName}-linux-westeurope`;
const namespace = "webhook-test";
const token = newPathToken();
const doorbells: PodChanged[] = [];

// The function reads its settings from the environment, as in a Function App.
Object.assign(process.env, {
  ACI_CONNECTOR_NAME: connectorName,
  ACI_CONNECTOR_CLUSTER_ID: "webhook-test-cluster",
  ACI_LOCATION: "westeurope",
  AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000001",
  ACI_RESOURCE_GROUP: "aci-rg",
  KUBECONFIG: cluster.descriptor.adminKubeconfig,
  WEBHOOK_PATH_TOKEN: token,
});
useLocalRelay({ publish: (event) => (doorbells.push(event), Promise.resolve()) });

const ringsFor = (name: string) => doorbells.filter((d) => d.name === name);

describe("the pod webhook, called by the API server", () => {
  let server: HttpsFunctionServer;

  before(async () => {
    const ca = await createCertificateAuthority("webhook test CA");
    server = await startHttpsFunctionServer({
      ca,
      routes: [{ name: "podWebhook", route: triggers.podWebhook.route, methods: triggers.podWebhook.methods, handler: podWebhook }],
    });
    await applyObjects(cluster.admin, renderPodWebhook({ connectorName, nodeNames: [ourNode], url: `${server.origin}/api/pod-webhook/${token}`, caPem: ca.certPem }));
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const node = await core.createNode({
      body: {
        metadata: { name: ourNode, labels: { type: "virtual-kubelet", "kubernetes.io/role": "agent", "beta.kubernetes.io/os": "linux", "kubernetes.io/os": "linux" } },
        spec: { taints: [{ key: "virtual-kubelet.io/provider", value: "azure", effect: "NoSchedule" }] },
        status: {
          allocatable: { cpu: "10", memory: "10Gi", pods: "10" },
          capacity: { cpu: "10", memory: "10Gi", pods: "10" },
          conditions: [{ type: "Ready", status: "True", reason: "Test", lastHeartbeatTime: new Date(), lastTransitionTime: new Date() }],
        },
      },
    });
    await cluster.admin.makeApiClient(CoordinationV1Api).createNamespacedLease({
      namespace: "kube-node-lease",
      body: {
        metadata: { name: ourNode, ownerReferences: [{ apiVersion: "v1", kind: "Node", name: ourNode, uid: node.metadata!.uid! }] },
        spec: { holderIdentity: ourNode, leaseDurationSeconds: 3600, renewTime: new V1MicroTime() },
      },
    });
  });

  after(async () => {
    await cluster.admin.makeApiClient(AdmissionregistrationV1Api).deleteValidatingWebhookConfiguration({ name: `aci-connector-${connectorName}` });
    await core.deleteNamespace({ name: namespace });
    await core.deleteNode({ name: ourNode });
    await server.stop();
  });

  it("rings for the binding of a seed Deployment's pod to our node", async () => {
    const applied = await cluster.kubectl(["apply", "-n", namespace, "-f", join(seedDir, "virtual-kubelet-linux.yaml")]);
    assert.equal(applied.code, 0, applied.stderr);
    const pod = await waitFor("the scheduler to bind the pod", async () =>
      (await core.listNamespacedPod({ namespace, labelSelector: "app=aci-helloworld" })).items.find((p) => p.spec?.nodeName === ourNode),
    );
    const ring = await waitFor("the binding's doorbell", () => Promise.resolve(ringsFor(pod.metadata!.name!)[0]));
    // A Binding carries no pod UID: podEvents reads the pod to learn it.
    assert.deepEqual(ring, { namespace, name: pod.metadata!.name, node: ourNode });
  });

  it("rings for a pod created with spec.nodeName on our node, with its UID, and not for another node's", async () => {
    const pod = (name: string, nodeName: string): V1Pod => ({
      metadata: { name },
      spec: { nodeName, containers: [{ name: "c", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }], tolerations: [{ operator: "Exists" }] },
    });
    const ours = await core.createNamespacedPod({ namespace, body: pod("direct-ours", ourNode) });
    await core.createNamespacedPod({ namespace, body: pod("direct-theirs", "some-other-node") });
    // The API server called the webhook before the create returned.
    assert.deepEqual(ringsFor("direct-ours"), [{ namespace, name: "direct-ours", uid: ours.metadata!.uid, node: ourNode }]);
    assert.deepEqual(ringsFor("direct-theirs"), []);
  });

  it("rings for the deletion of a pod on our node", async () => {
    const before = ringsFor("direct-ours").length;
    const deleted = await core.deleteNamespacedPod({ namespace, name: "direct-ours" });
    const rings = ringsFor("direct-ours").slice(before);
    assert.deepEqual(rings, [{ namespace, name: "direct-ours", uid: deleted.metadata!.uid, node: ourNode }]);
  });

  it("never blocks the cluster: with the webhook down, the API server still calls it for our pod, fails open, and creates the pod", async () => {
    // The API server's own count of failed calls let through by failurePolicy Ignore: without it, a pod
    // created while the server is down would prove nothing (matchConditions might never have sent it).
    const failedOpen = () => apiServerCounter(cluster, "apiserver_admission_webhook_fail_open_count", { name: `pods.${connectorName}.aci-connector.io`, type: "validating" });
    const before = await failedOpen();
    await server.stop();
    const created = await core.createNamespacedPod({
      namespace,
      body: { metadata: { name: "while-down" }, spec: { nodeName: ourNode, containers: [{ name: "c", image: "busybox" }] } },
    });
    assert.equal(created.metadata?.name, "while-down");
    assert.equal(await failedOpen(), before + 1, "the API server called the webhook for this pod and let the create through");
  });
});
