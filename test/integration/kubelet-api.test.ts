// kubectl logs, logs -f and exec on a virtual node, through the real API server: the kubelet API served
// by functions/kubeletApi.ts on the node's advertised address, the API server presenting its kubelet
// client certificate, the emulator's log read through the real ARM client. And nobody else gets in.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, RbacAuthorizationV1Api, type V1Pod } from "@kubernetes/client-node";
import { createCertificateAuthority } from "../../dev/pki.js";
import { containerGroupName } from "../../shared/translate/naming.js";
import { testCluster } from "../support/cluster.js";
import { apiServerKubeletClient, kubeletGet, type KubeletCredential } from "../support/kubelet-client.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const rbac = cluster.admin.makeApiClient(RbacAuthorizationV1Api);
const namespace = "kubelet-api";
const podName = "logger";
/** A kubelet API answer's status and body: what these tests compare. */
const get = async (origin: string, path: string, credential?: KubeletCredential) => {
  const { status, body } = await kubeletGet(origin, path, credential);
  return { status, body };
};

describe("the kubelet API of the virtual nodes", () => {
  let running: RunningConnector;
  let pod: V1Pod;
  let group: string;
  const kubectl = (...args: string[]) => cluster.kubectl(["-n", namespace, ...args]);

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "kubelet", kubeletApi: true });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const linux = running.connector.nodeNames[0]!;
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: podName },
        spec: {
          restartPolicy: "Never",
          nodeSelector: { "kubernetes.io/hostname": linux },
          tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
          containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }],
        },
      },
    });
    pod = await waitFor("the pod Running", async () => {
      const p = await core.readNamespacedPod({ namespace, name: podName });
      return p.status?.phase === "Running" ? p : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    group = containerGroupName({ namespace, name: podName, uid: pod.metadata!.uid! });
    running.emulator.control.appendLogs(group, "app", ["line one", "line two", "line three"]);
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await rbac.deleteClusterRoleBinding({ name: "kubelet-api-proxy-reader" }).catch(() => undefined);
    await running.stop();
  });

  it("advertises the functions' endpoint as the nodes' address and kubelet port", async () => {
    const node = await core.readNode({ name: running.connector.nodeNames[0]! });
    const origin = new URL(running.kubeletOrigin!);
    await waitFor("the node's address", async () => {
      const n = await core.readNode({ name: node.metadata!.name! });
      return n.status?.daemonEndpoints?.kubeletEndpoint?.Port === Number(origin.port) ? true : undefined;
    });
    const n = await core.readNode({ name: node.metadata!.name! });
    assert.deepEqual(n.status?.addresses?.find((a) => a.type === "InternalIP")?.address, origin.hostname);
  });

  it("kubectl logs prints the container's lines; --tail, --timestamps, --limit-bytes, --since as a kubelet", async () => {
    const all = await kubectl("logs", podName);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, "line one\nline two\nline three\n");
    assert.equal((await kubectl("logs", podName, "--tail=1")).stdout, "line three\n");
    assert.equal((await kubectl("logs", podName, "--tail=0")).stdout, "");
    assert.equal((await kubectl("logs", podName, "--limit-bytes=12")).stdout, "line one\nlin");
    const stamped = await kubectl("logs", podName, "--timestamps");
    assert.match(stamped.stdout, /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line (one|two|three)\n){3}$/);
    assert.equal((await kubectl("logs", podName, "--since=1h")).stdout, "line one\nline two\nline three\n");
    await new Promise((r) => setTimeout(r, 1100));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    running.emulator.control.appendLogs(group, "app", ["line four"]);
    assert.equal((await kubectl("logs", podName, `--since-time=${between}`)).stdout, "line four\n");
  });

  it("kubectl logs -p says that ACI keeps no earlier run's log; kubectl exec points to kubectl aci exec", async () => {
    const previous = await kubectl("logs", podName, "-p");
    assert.notEqual(previous.code, 0);
    assert.match(previous.stderr, /Azure Container Instances keeps no log of a container's earlier runs/);
    const exec = await kubectl("exec", podName, "--", "echo", "hi");
    assert.notEqual(exec.code, 0);
    console.log(`kubectl exec printed: ${exec.stderr.trim()}`);
    assert.match(exec.stderr, new RegExp(`kubectl aci exec ${podName} -n ${namespace} -- COMMAND`));
  });

  it("/pods, /runningpods/ and /healthz answer the API server's kubelet client certificate", async () => {
    // Through the API server's node proxy (kubectl get --raw /api/v1/nodes/NODE/proxy/pods) these are
    // refused here with "address not allowed": the API server proxies to no loopback address, and the
    // local endpoint is one. So the API server's own credential is presented directly.
    const apiServer = await apiServerKubeletClient(cluster);
    const origin = running.kubeletOrigin!;
    const pods = await get(origin, "/pods", apiServer);
    assert.equal(pods.status, 200, pods.body);
    const list = JSON.parse(pods.body) as { kind: string; items: V1Pod[] };
    assert.equal(list.kind, "PodList");
    assert.deepEqual(list.items.map((p) => p.metadata?.name), [podName]);
    const runningPods = JSON.parse((await get(origin, "/runningpods/", apiServer)).body) as { items: V1Pod[] };
    assert.deepEqual(runningPods.items.map((p) => [p.metadata?.name, p.spec?.containers.map((c) => c.name)]), [[podName, ["app"]]]);
    assert.deepEqual(await get(origin, "/healthz", apiServer), { status: 200, body: "ok\n" });
    const proxied = await cluster.kubectl(["get", "--raw", `/api/v1/nodes/${running.connector.nodeNames[0]}/proxy/pods`]);
    assert.match(proxied.stderr, /address not allowed/);
  });

  it("refuses anyone else: no credentials, a certificate of another CA (401), a token without nodes/proxy (403)", async () => {
    const origin = running.kubeletOrigin!;
    const logsPath = `/containerLogs/${namespace}/${podName}/app`;
    const bare = await get(origin, logsPath);
    assert.equal(bare.status, 401);
    assert.doesNotMatch(bare.body, /line/);
    const stranger = await (await createCertificateAuthority("not the cluster's CA")).issueClient({ user: "kube-apiserver-kubelet-client", groups: ["system:masters"] });
    const forged = await get(origin, logsPath, { cert: stranger.certPem, key: stranger.keyPem });
    assert.equal(forged.status, 401);
    assert.doesNotMatch(forged.body, /line/);

    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "reader" } } });
    const token = (await core.createNamespacedServiceAccountToken({ namespace, name: "reader", body: { spec: { audiences: [], expirationSeconds: 600 } } })).status!.token;
    const denied = await get(origin, logsPath, { token });
    assert.equal(denied.status, 403);
    assert.doesNotMatch(denied.body, /line/);
    assert.equal((await get(origin, "/pods", { token })).status, 403);
    assert.equal((await get(origin, logsPath, { token: "not-a-token" })).status, 401);

    // The same token once its user may use nodes/proxy (the built-in system:kubelet-api-admin role).
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: "kubelet-api-proxy-reader" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:kubelet-api-admin" },
        subjects: [{ kind: "ServiceAccount", name: "reader", namespace }],
      },
    });
    const allowed = await waitFor("the binding to take effect", async () => {
      const answer = await get(origin, `${logsPath}?tailLines=1`, { token });
      return answer.status === 200 ? answer : undefined;
    });
    assert.equal(allowed.body, "line four\n");
  });

  it("kubectl logs -f shows a line appended afterwards within seconds, and ends when the container exits", { timeout: 90_000 }, async () => {
    const { kubectl: bin, adminKubeconfig } = cluster.descriptor;
    const child = spawn(bin, [`--kubeconfig=${adminKubeconfig}`, "-n", namespace, "logs", "-f", podName, "--tail=1"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor("the last line", () => Promise.resolve(out === "line four\n" ? true : undefined), { timeoutMs: 15_000 });
      const appendedAt = Date.now();
      running.emulator.control.appendLogs(group, "app", ["followed line"]);
      await waitFor("the followed line", () => Promise.resolve(out.includes("followed line\n") ? true : undefined), { timeoutMs: 10_000 });
      const seenAfterMs = Date.now() - appendedAt;
      console.log(`logs -f: an appended line shown after ${seenAfterMs} ms`);
      assert.equal(out, "line four\nfollowed line\n");
      running.emulator.control.exitContainer(group, "app", { exitCode: 0 });
      const endedAt = Date.now();
      const code = await Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), 20_000))]);
      assert.equal(code, 0, "kubectl logs -f ends with the container");
      console.log(`logs -f: ended ${Date.now() - endedAt} ms after the container exited`);
    } finally {
      child.kill();
    }
  });
});
