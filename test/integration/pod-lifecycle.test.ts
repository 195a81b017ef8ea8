// What users see of their pods' lives in ACI, end to end: exit codes, restarts, image pull failures,
// refusals, and convergence through duplicated doorbells, a silent webhook, throttling and outages.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, type V1Container, type V1Pod, type V1PodSpec } from "@kubernetes/client-node";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { statusRefreshAnnotation } from "../../shared/controller/status-refresh.js";
import { podToContainerGroup } from "../../shared/translate/pod-to-container-group.js";
import { apiServerCounter } from "../support/api-server-metrics.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { noteSecretsUsed, testSecretValues } from "../support/test-output.js";
import { until as holds, waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);

/** How long one wait for the cluster may take. */
const waitMs = 60_000;
/**
 * A test's timeout: every wait it makes, in full, plus time for its own calls. A wait that runs out then
 * fails with its own message ("timed out ... waiting for Succeeded"), never cut short by the test's timeout.
 */
const budget = (waits: number) => ({ timeout: waits * waitMs + 15_000 });

/** A pod scheduled as the seed's are: by nodeSelector and toleration, onto the Linux virtual node. */
function linuxPod(name: string, container: Partial<V1Container>, spec: Partial<V1PodSpec> = {}): V1Pod {
  return {
    metadata: { name },
    spec: {
      containers: [{ name: "main", image: "mcr.microsoft.com/azuredocs/aci-helloworld", ...container }],
      nodeSelector: { "kubernetes.io/os": "linux", type: "virtual-kubelet" },
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
      ...spec,
    },
  };
}

describe("pod lifecycle in ACI", () => {
  const namespace = "lifecycle";
  let running: RunningConnector;
  const read = (name: string) => core.readNamespacedPod({ namespace, name });
  const until = <T>(what: string, check: () => Promise<T | undefined>) => waitFor(what, check, { timeoutMs: waitMs, intervalMs: 500 });
  const runningPod = async (pod: V1Pod) => {
    await core.createNamespacedPod({ namespace, body: pod });
    return until(`${pod.metadata!.name} Running`, async () => {
      const p = await read(pod.metadata!.name!);
      return p.status?.phase === "Running" ? p : undefined;
    });
  };
  const eventsFor = async (name: string) => (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` })).items;

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "life", periodMs: 2000 });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  it("a container that exits 0 under Never: Succeeded, exit code 0, Completed", budget(2), async () => {
    const pod = await runningPod(linuxPod("job-ok", {}, { restartPolicy: "Never" }));
    running.emulator.control.exitContainer(groupNameOf(pod), "main", { exitCode: 0 });
    const done = await until("Succeeded", async () => ((await read("job-ok")).status?.phase === "Succeeded" ? read("job-ok") : undefined));
    assert.deepEqual(
      { exitCode: done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, reason: done.status?.containerStatuses?.[0]?.state?.terminated?.reason },
      { exitCode: 0, reason: "Completed" },
    );
  });

  it("a container that exits 3 under Never: Failed, exit code 3", budget(2), async () => {
    const pod = await runningPod(linuxPod("job-fail", {}, { restartPolicy: "Never" }));
    running.emulator.control.exitContainer(groupNameOf(pod), "main", { exitCode: 3 });
    const failed = await until("Failed", async () => ((await read("job-fail")).status?.phase === "Failed" ? read("job-fail") : undefined));
    assert.equal(failed.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
    assert.equal(failed.status?.containerStatuses?.[0]?.state?.terminated?.reason, "Error");
  });

  it("a crashing container under Always: restartCount rises, with the last state", budget(2), async () => {
    const pod = await runningPod(linuxPod("crashy", {}));
    running.emulator.control.exitContainer(groupNameOf(pod), "main", { exitCode: 1 });
    running.emulator.control.exitContainer(groupNameOf(pod), "main", { exitCode: 1 });
    const restarted = await until("restartCount 2", async () => {
      const p = await read("crashy");
      return p.status?.containerStatuses?.[0]?.restartCount === 2 ? p : undefined;
    });
    assert.equal(restarted.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 1);
    assert.equal(restarted.status?.phase, "Running");
  });

  it("an image that cannot be pulled: a waiting reason with ACI's message, and an Event", budget(2), async () => {
    await core.createNamespacedPod({ namespace, body: linuxPod("unpullable", { image: "registry.invalid/app:1" }) });
    const waiting = await until("ErrImagePull", async () => {
      const w = (await read("unpullable")).status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === "ErrImagePull" ? w : undefined;
    });
    assert.equal(waiting.reason, "ErrImagePull");
    assert.match(waiting.message ?? "", /registry\.invalid\/app:1/);
    const events = await until("an ErrImagePull Event", async () => (await eventsFor("unpullable")).find((e) => e.reason === "ErrImagePull"));
    assert.equal(events.type, "Warning");
  });

  it("an unsupported pod: Failed under Never with every problem named, and a Warning Event", budget(2), async () => {
    await core.createNamespacedPod({ namespace, body: linuxPod("unsupported", { args: ["--x"], workingDir: "/srv" }, { restartPolicy: "Never" }) });
    const status = await until("refused", async () => {
      const s = (await read("unsupported")).status;
      return s?.reason === "UnsupportedPodSpec" ? s : undefined;
    });
    assert.equal(status.phase, "Failed");
    assert.match(status.message ?? "", /spec\.containers\[0\]\.workingDir: .*; spec\.containers\[0\]\.args: ACI has a single command/);
    const event = await until("a refusal Event", async () => (await eventsFor("unsupported")).find((e) => e.reason === "UnsupportedPodSpec"));
    assert.equal(event.type, "Warning");
    assert.deepEqual((await running.groupsByPod()).filter((g) => g.startsWith("unsupported:")), []);
  });

  it("duplicated and reordered doorbells, and a 429 storm on creates: every 429 met, no PUT before the time ARM gave, one group, Running", { timeout: 120_000 }, async () => {
    const retryAfterSeconds = 2;
    const storm = 3;
    const start = Date.now();
    running.emulator.control.injectFault({ operation: "containerGroups.createOrUpdate", count: storm, status: 429, code: "SubscriptionRequestsThrottled", message: "throttled", retryAfterSeconds });
    // ARM's 429s, and while ARM's time runs every write refused before it is sent: podEvents fails
    // (Event Grid redelivers, here up to 5 times) and reconcile reports it.
    running.expectErrors(/^(podEvents gave up on lifecycle\/storm|reconcile): (not sent: ARM asked the connector to send no writes before |PUT \S+lifecycle-storm-\w+ failed: 429 SubscriptionRequestsThrottled: throttled$)/);
    const created = await core.createNamespacedPod({ namespace, body: linuxPod("storm", {}) });
    // Once the connector has heard the first 429, more doorbells ring: none of them may send a PUT early.
    const putsSince = () => running.emulator.control.answers().filter((a) => a.operation === "containerGroups.createOrUpdate" && a.at >= start);
    await waitFor("the first 429", holds(() => putsSince().some((a) => a.status === 429)), { timeoutMs: 30_000, intervalMs: 20 });
    await new Promise((r) => setTimeout(r, 100));
    const doorbell = { namespace, name: "storm", uid: created.metadata!.uid! };
    for (let i = 0; i < 5; i++) await running.relay.publish(i % 2 === 0 ? doorbell : { namespace, name: "storm" });
    await until("storm Running", async () => ((await read("storm")).status?.phase === "Running" ? true : undefined));
    await running.relay.drain();

    const puts = putsSince();
    assert.deepEqual(puts.slice(0, storm + 1).map((a) => a.status), [...Array<number>(storm).fill(429), 201], "the storm was met, then the create went through");
    // A PUT sent after the connector heard a 429 (its answer plus a moment on the wire) must wait for the
    // time that 429 gave; one already in flight when ARM answered could not know.
    for (const refused of puts.filter((a) => a.status === 429)) {
      for (const later of puts.filter((a) => a.at > refused.answeredAt + 50)) {
        const allowedAt = refused.at + refused.retryAfterSeconds! * 1000;
        assert.ok(later.at >= allowedAt, `a PUT came ${allowedAt - later.at} ms before the time ARM gave`);
      }
    }
    assert.ok(puts.slice(storm + 1).every((a) => a.status === 200 || a.status === 201), "nothing else was refused");
    assert.deepEqual((await running.groupsByPod()).filter((g) => g.startsWith("storm:")), [`storm:${created.metadata!.uid}`]);
    assert.deepEqual(running.unexpectedErrors(), []);
  });

  it("Secrets reach ACI only as secure values: in env, a volume and a pull secret, and a malformed pull secret's refusal quotes none", budget(2), async () => {
    const { envSecret, pullPassword, fileSecret } = testSecretValues;
    const dockerConfig = (auths: unknown) => Buffer.from(JSON.stringify({ auths })).toString("base64");
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: "app-secrets" }, stringData: { password: envSecret, "cert.pem": fileSecret } } });
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: "pull" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfig({ "myregistry.azurecr.io": { username: "robot", password: pullPassword } }) } } });
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: "pull-broken" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfig({ "myregistry.azurecr.io": { password: pullPassword } }) } } });
    noteSecretsUsed("pod-lifecycle: env secretKeyRef, secret volume, pull secret, malformed pull secret");
    const pod = await runningPod(
      linuxPod("with-secrets", { image: "myregistry.azurecr.io/app:1", env: [{ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "app-secrets", key: "password" } } }], volumeMounts: [{ name: "certs", mountPath: "/certs" }] }, {
        volumes: [{ name: "certs", secret: { secretName: "app-secrets" } }],
        imagePullSecrets: [{ name: "pull" }],
      }),
    );
    const group = await running.deps.groups.get(groupNameOf(pod));
    const env = (group?.properties?.containers as { properties: { environmentVariables?: { name: string; value?: string }[] } }[])[0]!.properties.environmentVariables ?? [];
    assert.deepEqual(env.find((e) => e.name === "PASSWORD"), { name: "PASSWORD" }, "sent as a secureValue, which ARM never returns");
    for (const value of [envSecret, pullPassword, fileSecret]) assert.ok(!JSON.stringify(group).includes(value));

    await core.createNamespacedPod({ namespace, body: linuxPod("broken-pull", { image: "myregistry.azurecr.io/app:1" }, { imagePullSecrets: [{ name: "pull-broken" }] }) });
    const refused = await until("refused", async () => {
      const s = (await read("broken-pull")).status;
      return s?.reason === "UnsupportedPodSpec" ? s : undefined;
    });
    assert.match(refused.message ?? "", /spec\.imagePullSecrets\[0\]/);
    assert.ok(!(refused.message ?? "").includes(pullPassword));
  });

  it("a Secret applied after its pod: the pod waits as CreateContainerConfigError with MandatorySecretNotFound, then runs", budget(3), async () => {
    await core.createNamespacedPod({ namespace, body: linuxPod("early", { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "late", key: "token" } } }] }, { restartPolicy: "Never" }) });
    const waiting = await until("CreateContainerConfigError", async () => {
      const s = (await read("early")).status;
      return s?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError" ? s : undefined;
    });
    assert.equal(waiting.phase, "Pending");
    assert.equal(waiting.containerStatuses![0]!.state!.waiting!.message, 'secret "late" not found');
    const warned = await until("MandatorySecretNotFound", async () => (await eventsFor("early")).find((e) => e.reason === "MandatorySecretNotFound"));
    assert.equal(warned.message, 'secret "late" not found');
    assert.equal(warned.type, "Warning");

    await core.createNamespacedSecret({ namespace, body: { metadata: { name: "late" }, stringData: { token: "t" } } });
    await until("Running once the Secret exists", async () => ((await read("early")).status?.phase === "Running" ? true : undefined));
  });

  it("an image pull Secret that does not exist: the pod runs a public image anyway, with the kubelet's Warning", budget(2), async () => {
    await core.createNamespacedPod({ namespace, body: linuxPod("stale-pull-secret", {}, { imagePullSecrets: [{ name: "never-created" }] }) });
    await until("Running", async () => ((await read("stale-pull-secret")).status?.phase === "Running" ? true : undefined));
    const warned = await until("FailedToRetrieveImagePullSecret", async () => (await eventsFor("stale-pull-secret")).find((e) => e.reason === "FailedToRetrieveImagePullSecret"));
    assert.equal(warned.type, "Warning");
    assert.equal(warned.message, "Unable to retrieve some image pull secrets (never-created); attempting to pull the image may not succeed.");
  });

  it("a group deleted behind the connector's back: the running pod becomes Failed with a reason", budget(2), async () => {
    const pod = await runningPod(linuxPod("vanishing", {}));
    await running.deps.groups.delete(groupNameOf(pod));
    const status = await until("Failed", async () => {
      const s = (await read("vanishing")).status;
      return s?.phase === "Failed" ? s : undefined;
    });
    assert.equal(status.reason, "ContainerGroupNotFound");
  });
});

describe("with the webhook down, reconcile alone converges", () => {
  const namespace = "no-webhook";
  let running: RunningConnector;
  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "solo", webhook: false, armEvents: false, periodMs: 2000 });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  it("after a crash between the PUT and the status write, converges to one group and a Running pod", budget(2), async () => {
    running.setReconcile(false);
    const body = linuxPod("crashed", {});
    body.spec!.nodeName = running.connector.nodeNames[0]!;
    let pod: V1Pod;
    try {
      pod = await core.createNamespacedPod({ namespace, body });
      // What a podEvents invocation did before it died: the PUT, nothing else (no status, no Event).
      // The controller-manager publishes this ConfigMap a moment after the namespace exists.
      const rootCa = await waitFor("kube-root-ca.crt", () => core.readNamespacedConfigMap({ namespace, name: "kube-root-ca.crt" }), { timeoutMs: waitMs });
      const references = { secrets: new Map(), configMaps: new Map([["kube-root-ca.crt", rootCa]]) };
      const translation = podToContainerGroup({ pod, references, node: { name: body.spec!.nodeName, os: "Linux" }, settings: running.deps.translation });
      await running.deps.groups.createOrUpdate(translation.name, translation.body);
    } finally {
      running.setReconcile(true);
    }
    await waitFor("Running", async () => ((await core.readNamespacedPod({ namespace, name: "crashed" })).status?.phase === "Running" ? true : undefined), { timeoutMs: waitMs, intervalMs: 500 });
    assert.deepEqual((await running.groupsByPod()).filter((g) => g.startsWith("crashed:")), [`crashed:${pod.metadata!.uid}`]);
  });

  it("creates, reports and deletes through reconcile only, also through 5xx from ARM", budget(2), async () => {
    running.expectErrors(/^reconcile: listing container groups failed: 503 ServiceUnavailable: try later$/);
    running.emulator.control.injectFault({ operation: "containerGroups.listByResourceGroup", count: 3, status: 503, code: "ServiceUnavailable", message: "try later" });
    const body = linuxPod("quiet", {});
    body.spec!.nodeSelector = { "kubernetes.io/os": "linux", type: "virtual-kubelet", "kubernetes.io/hostname": running.connector.nodeNames[0]! };
    const created = await core.createNamespacedPod({ namespace, body });
    await waitFor("Running", async () => ((await core.readNamespacedPod({ namespace, name: "quiet" })).status?.phase === "Running" ? true : undefined), { timeoutMs: waitMs, intervalMs: 500 });
    assert.deepEqual((await running.groupsByPod()).filter((g) => g.startsWith("quiet:")), [`quiet:${created.metadata!.uid}`]);
    await core.deleteNamespacedPod({ namespace, name: "quiet" });
    await waitFor("pod and group gone", async () => {
      const quiet = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.metadata?.name === "quiet");
      return quiet.length === 0 && (await running.groupsByPod()).every((g) => !g.startsWith("quiet:")) ? true : undefined;
    }, { timeoutMs: waitMs, intervalMs: 500 });
  });

  it("publishes on each virtual node how often a running pod's status is re-read", budget(1), async () => {
    // A few pods and a budget of 25 reads a 2 s tick: every running pod is read every tick.
    for (const name of running.connector.nodeNames) {
      const value = await waitFor(`${statusRefreshAnnotation} on ${name}`, async () => (await core.readNode({ name })).metadata?.annotations?.[statusRefreshAnnotation], { timeoutMs: waitMs, intervalMs: 500 });
      assert.equal(value, "2");
    }
  });

  it("lists each virtual node's pods from the API server's watch cache (by its spec.nodeName index), not from etcd", budget(1), async () => {
    // kube-apiserver counts the lists its watch cache served, by the index it used (storage/cacher
    // metrics). Since Kubernetes 1.31 (ConsistentListFromCache) a list without a resourceVersion is served
    // there too, as long as it selects by an indexed field: listing all pods and filtering here would not be.
    const served = () => apiServerCounter(cluster, "apiserver_cache_list_total", { resource: "pods", index: "f:spec.nodeName" });
    const before = await served();
    await running.reconcileOnce();
    assert.ok((await served()) - before >= running.connector.nodeNames.length);
  });
});
