// The worker's telemetry through one doorbell's pod sync, one reconcile tick and ARM's answers, exported
// by OpenTelemetry's in-memory exporters through the same start-up as in Azure (the webhook token scrub
// included): the metric names are instruments.ts's, each with its attributes; each pod sync is one span
// with the pod's namespace, name and UID; and no secret (the webhook token, a Secret's value, a registry
// password) is in anything exported. The controllers run over the fake ports (test/unit/controller/).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse, type SendRequest } from "@azure/core-rest-pipeline";
import { AggregationTemporality, InMemoryMetricExporter, type MetricData } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { armRequestMetricsPolicy } from "../../../shared/aci/arm-request-metrics.js";
import { handlePodChanged } from "../../../shared/controller/pod-events.js";
import { groupNameOf, syncPod } from "../../../shared/controller/pod-sync.js";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { instruments } from "../../../shared/telemetry/instruments.js";
import { podSyncOutcomeAttribute, podSyncSpanName } from "../../../shared/telemetry/opentelemetry.js";
import { startTelemetry } from "../../../shared/telemetry/start.js";
import { boundPod, fakeWorld, groupFor, linuxNode, tickOptions } from "../controller/fake-ports.js";

const webhookToken = "Xq7vR2mN9pL4kT8wZ1cB6dF3hJ5sG0aYeUiOoPqWrTs";
const secretValue = "correct-horse-battery-staple";
const registryPassword = "r3g1stry-p4ssw0rd-do-not-leak";
const uid = "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f40";
const doneUid = "1d2e3f40-0000-4000-8000-000000000001";
const newUid = "1d2e3f40-0000-4000-8000-000000000002";
const b64 = (s: string) => Buffer.from(s).toString("base64");

function telemetryUnderTest() {
  const spans = new InMemorySpanExporter();
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const running = startTelemetry(
    { spans: [spans], metrics: [{ exporter: metrics, intervalMs: 3_600_000 }] },
    { webhookPathPrefix: "/api/pod-webhook/", webhookPathToken: webhookToken, spansAtOnce: true },
  );
  const exported = async () => {
    await running.flush();
    const latest = metrics.getMetrics().at(-1);
    const byName = new Map<string, MetricData>((latest?.scopeMetrics ?? []).flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
    return { spans: spans.getFinishedSpans(), metrics: byName, everything: JSON.stringify({ spans: spans.getFinishedSpans().map(spanText), metrics: metrics.getMetrics() }) };
  };
  return { running, exported };
}

/** What an exporter would send of a span: its name, attributes, events and status. */
const spanText = (span: InMemorySpanExporter extends { getFinishedSpans(): (infer S)[] } ? S : never) => ({
  name: span.name,
  attributes: span.attributes,
  events: span.events,
  status: span.status,
});

/** A pod using a Secret's value and a registry's password, as the API server would return it. */
function podWithSecrets(world: ReturnType<typeof fakeWorld>) {
  world.secrets.set("default/db", { metadata: { namespace: "default", name: "db" }, data: { password: b64(secretValue) } });
  world.secrets.set("default/regcred", {
    metadata: { namespace: "default", name: "regcred" },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": b64(JSON.stringify({ auths: { "contoso.azurecr.io": { username: "puller", password: registryPassword } } })) },
  });
  const pod = boundPod("web", uid);
  pod.spec!.imagePullSecrets = [{ name: "regcred" }];
  pod.spec!.containers[0] = { ...pod.spec!.containers[0]!, image: "contoso.azurecr.io/web:1", env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] };
  world.pods.set("default/web", pod);
  return pod;
}

const answering = (status: number): SendRequest => (request) => Promise.resolve({ request, status, headers: createHttpHeaders(), bodyAsText: "{}" } satisfies PipelineResponse);
const armUrl = "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g?api-version=2023-05-01";

describe("the connector's telemetry, exported", () => {
  it("a doorbell's pod sync: one span naming the pod, and the doorbell-to-PUT latency", async () => {
    const world = fakeWorld();
    const { running, exported } = telemetryUnderTest();
    const deps = { ...world.deps, telemetry: running.telemetry };
    podWithSecrets(world);
    const rungAt = new Date(world.now.ms);
    world.now.ms += 1_500;

    assert.equal(await handlePodChanged(deps, { namespace: "default", name: "web", uid, node: linuxNode }, undefined, rungAt), "created");

    const { spans, metrics, everything } = await exported();
    assert.deepEqual(spans.map((s) => [s.name, s.attributes]), [
      [podSyncSpanName, { "k8s.namespace.name": "default", "k8s.pod.name": "web", "k8s.pod.uid": uid, "k8s.node.name": linuxNode, [podSyncOutcomeAttribute]: "created" }],
    ]);
    const doorbell = metrics.get(instruments.doorbellToPut.name)!;
    assert.equal(doorbell.descriptor.unit, "s");
    assert.deepEqual(doorbell.dataPoints.map((p) => [p.attributes, (p.value as { count: number; sum: number }).count, (p.value as { sum: number }).sum]), [[{}, 1, 1.5]]);
    // The group really was made with both secrets (as secureValue and a registry credential)...
    assert.match(JSON.stringify(world.groups.get(groupNameOf(world.pods.get("default/web")!))), new RegExp(registryPassword));
    // ...and nothing exported carries them.
    for (const secret of [webhookToken, secretValue, b64(secretValue), registryPassword]) assert.ok(!everything.includes(secret), `exported telemetry carries ${secret}`);
    await running.shutdown();
  });

  it("a reconcile tick: its duration by outcome, pods by phase, ACI Running to pod Running, one span per pod synced", async () => {
    const world = fakeWorld();
    const { running, exported } = telemetryUnderTest();
    const deps = { ...world.deps, telemetry: running.telemetry };
    const pod = podWithSecrets(world);
    await handlePodChanged(deps, { namespace: "default", name: "web", uid, node: linuxNode });
    world.pods.set("default/done", boundPod("done", doneUid, { phase: "Succeeded" }));
    // Just bound, no status written yet: Pending, as the API server defaults a pod's phase.
    world.pods.set("default/new", { ...boundPod("new", newUid), status: undefined });
    // ACI reports the group's container running since 10:00:05; the tick sees it at 10:00:17.
    const name = groupNameOf(pod);
    const group = world.groups.get(name)!;
    const containers = (group.properties as { containers: { name: string; properties: object }[] }).containers;
    world.groups.set(name, {
      ...group,
      properties: { ...group.properties, provisioningState: "Succeeded", containers: containers.map((c) => ({ ...c, properties: { ...c.properties, instanceView: { currentState: { state: "Running", startTime: "2026-11-25T10:00:05Z" } } } })) },
    });
    world.now.ms = Date.parse("2026-11-25T10:00:17Z");

    const report = await reconcile(deps, tickOptions(world));
    assert.deepEqual(report.outcomes, { "status-updated": 1, unchanged: 1, created: 1 });
    assert.equal(world.pods.get("default/web")!.status!.phase, "Running");

    const { spans, metrics, everything } = await exported();
    const tick = metrics.get(instruments.reconcileDuration.name)!;
    assert.deepEqual(tick.dataPoints.map((p) => [p.attributes, (p.value as { count: number }).count]), [[{ outcome: "ok" }, 1]]);
    const phases: Record<string, unknown> = Object.fromEntries(metrics.get(instruments.pods.name)!.dataPoints.map((p): [string, unknown] => [String(p.attributes["k8s.pod.phase"]), p.value]));
    assert.deepEqual(phases, { Pending: 2, Running: 0, Succeeded: 1, Failed: 0, Unknown: 0 });
    const seen = metrics.get(instruments.aciRunningToPodRunning.name)!;
    assert.deepEqual(seen.dataPoints.map((p) => [(p.value as { count: number }).count, (p.value as { sum: number }).sum]), [[1, 12]]);
    // The doorbell's sync and the tick's, for each pod: each its own span.
    const outcomesOf = (podUid: string) => spans.filter((s) => s.attributes["k8s.pod.uid"] === podUid).map((s) => s.attributes[podSyncOutcomeAttribute]);
    assert.deepEqual(outcomesOf(uid), ["created", "status-updated"]);
    assert.deepEqual(outcomesOf(doneUid), ["unchanged"]);
    assert.deepEqual(outcomesOf(newUid), ["created"]);
    assert.ok(spans.every((s) => s.name === podSyncSpanName));
    for (const secret of [webhookToken, secretValue, b64(secretValue), registryPassword]) assert.ok(!everything.includes(secret), `exported telemetry carries ${secret}`);
    await running.shutdown();
  });

  // How stale the connector's view of a start is: measured once, when the pod's status first says
  // Running, from the start of its last container to start (a pod runs once all its containers do).
  describe("ACI Running to pod Running", () => {
    const twoContainerPod = (world: ReturnType<typeof fakeWorld>) => {
      const pod = boundPod("web", uid);
      pod.spec!.containers = [{ name: "app", image: "mcr.microsoft.com/oss/app:1.0" }, { name: "sidecar", image: "mcr.microsoft.com/oss/sidecar:1.0" }];
      world.pods.set("default/web", pod);
      return groupFor(world, pod, "Creating");
    };
    /** The group as a GET returns it: provisioned as `state`, each container's instance view as given. */
    const aciReports = (world: ReturnType<typeof fakeWorld>, name: string, state: string, views: Record<string, object>) => {
      const group = world.groups.get(name)!;
      const containers = (group.properties as { containers: { name: string; properties: object }[] }).containers;
      world.groups.set(name, { ...group, properties: { ...group.properties, provisioningState: state, containers: containers.map((c) => ({ ...c, properties: { ...c.properties, instanceView: views[c.name] } })) } });
    };
    const runningSince = (startTime: string | undefined, restartCount = 0) => ({ restartCount, currentState: { state: "Running", ...(startTime !== undefined && { startTime }) } });
    const waiting = { restartCount: 0, currentState: { state: "Waiting", detailStatus: "ContainerCreating" } };
    const sync = (world: ReturnType<typeof fakeWorld>, deps: typeof world.deps) => syncPod(deps, structuredClone(world.pods.get("default/web")!), undefined);
    const seen = async (exported: () => Promise<{ metrics: Map<string, MetricData> }>) =>
      ((await exported()).metrics.get(instruments.aciRunningToPodRunning.name)?.dataPoints ?? []).map((p) => [(p.value as { count: number }).count, (p.value as { sum: number }).sum]);

    it("is recorded once, from the latest container start, when the pod turns Running; not while it stays Running", async () => {
      const world = fakeWorld();
      const { running, exported } = telemetryUnderTest();
      const deps = { ...world.deps, telemetry: running.telemetry };
      const name = twoContainerPod(world);

      // Still creating: the Pending status is written, nothing has started.
      aciReports(world, name, "Creating", { app: waiting, sidecar: waiting });
      assert.equal(await sync(world, deps), "status-updated");
      assert.equal(world.pods.get("default/web")!.status!.phase, "Pending");
      assert.deepEqual(await seen(exported), []);

      // The app started at 10:00:05, the sidecar at 10:00:09: the pod runs from 10:00:09, seen at 10:00:17.
      aciReports(world, name, "Succeeded", { app: runningSince("2026-11-25T10:00:05Z"), sidecar: runningSince("2026-11-25T10:00:09Z") });
      world.now.ms = Date.parse("2026-11-25T10:00:17Z");
      assert.equal(await sync(world, deps), "status-updated");
      assert.equal(world.pods.get("default/web")!.status!.phase, "Running");
      assert.deepEqual(await seen(exported), [[1, 8]]);

      // The sidecar restarts: a new status is written, but the pod was Running already.
      aciReports(world, name, "Succeeded", { app: runningSince("2026-11-25T10:00:05Z"), sidecar: runningSince("2026-11-25T10:00:40Z", 1) });
      world.now.ms = Date.parse("2026-11-25T10:00:47Z");
      assert.equal(await sync(world, deps), "status-updated");
      assert.equal(world.pods.get("default/web")!.status!.phase, "Running");
      assert.deepEqual(await seen(exported), [[1, 8]]);
      await running.shutdown();
    });

    it("is not recorded when ACI gives no container's start time: nothing to measure from", async () => {
      const world = fakeWorld();
      const { running, exported } = telemetryUnderTest();
      const deps = { ...world.deps, telemetry: running.telemetry };
      const name = twoContainerPod(world);
      aciReports(world, name, "Succeeded", { app: runningSince(undefined), sidecar: runningSince(undefined) });
      assert.equal(await sync(world, deps), "status-updated");
      assert.equal(world.pods.get("default/web")!.status!.phase, "Running");
      assert.deepEqual(await seen(exported), []);
      await running.shutdown();
    });
  });

  it("a tick that cannot list the pods is timed as failed", async () => {
    const world = fakeWorld();
    const { running, exported } = telemetryUnderTest();
    const failing = { ...world.deps, telemetry: running.telemetry, podsAs: () => ({ ...world.deps.podsAs(linuxNode), listPodsOnNode: () => Promise.reject(new Error("connection refused")) }) };
    await assert.rejects(reconcile(failing, tickOptions(world)), /cannot list the pods/);
    const { metrics } = await exported();
    assert.deepEqual(metrics.get(instruments.reconcileDuration.name)!.dataPoints.map((p) => p.attributes), [{ outcome: "failed" }]);
    await running.shutdown();
  });

  it("a tick that went on after an error is timed as errors", async () => {
    const world = fakeWorld();
    const { running, exported } = telemetryUnderTest();
    const deps = { ...world.deps, telemetry: running.telemetry };
    world.pods.set("default/web", boundPod("web", uid, { phase: "Pending" }));
    world.hooks.onPut = () => {
      throw new Error("connection reset");
    };
    const report = await reconcile(deps, tickOptions(world));
    assert.equal(report.errors.length, 1);
    const { metrics } = await exported();
    assert.deepEqual(metrics.get(instruments.reconcileDuration.name)!.dataPoints.map((p) => p.attributes), [{ outcome: "errors" }]);
    await running.shutdown();
  });

  it("ARM requests by kind and status, 429s included, and one without an answer", async () => {
    const { running, exported } = telemetryUnderTest();
    const policy = armRequestMetricsPolicy(() => running.telemetry);
    for (const [method, status] of [["GET", 200], ["GET", 200], ["GET", 429], ["PUT", 201], ["DELETE", 429]] as const) await policy.sendRequest(createPipelineRequest({ url: armUrl, method }), answering(status));
    await assert.rejects(policy.sendRequest(createPipelineRequest({ url: armUrl, method: "GET" }), () => Promise.reject(new Error("socket hang up"))));

    const { metrics } = await exported();
    const requests = metrics.get(instruments.armRequests.name)!;
    assert.equal(requests.descriptor.unit, instruments.armRequests.unit);
    const counted = Object.fromEntries(requests.dataPoints.map((p) => [`${String(p.attributes.kind)} ${String(p.attributes["http.response.status_code"] ?? "no answer")}`, p.value]));
    assert.deepEqual(counted, { "reads 200": 2, "reads 429": 1, "reads no answer": 1, "writes 201": 1, "deletes 429": 1 });
    await running.shutdown();
  });

  it("every instrument exported is one of instruments.ts, with only its attributes", async () => {
    const world = fakeWorld();
    const { running, exported } = telemetryUnderTest();
    const deps = { ...world.deps, telemetry: running.telemetry };
    podWithSecrets(world);
    await handlePodChanged(deps, { namespace: "default", name: "web", uid, node: linuxNode }, undefined, new Date(world.now.ms));
    await reconcile(deps, tickOptions(world));
    await armRequestMetricsPolicy(() => running.telemetry).sendRequest(createPipelineRequest({ url: armUrl, method: "GET" }), answering(200));

    const { metrics } = await exported();
    const catalogue = new Map(Object.values(instruments).map((i) => [i.name, i]));
    for (const [name, metric] of metrics) {
      const spec = catalogue.get(name as never);
      assert.ok(spec !== undefined, `${name} is not in instruments.ts`);
      assert.equal(metric.descriptor.unit, spec.unit);
      for (const point of metric.dataPoints) for (const key of Object.keys(point.attributes)) assert.ok((spec.attributes as readonly string[]).includes(key), `${name} has attribute ${key}`);
    }
    assert.deepEqual([...metrics.keys()].sort(), [instruments.armRequests.name, instruments.doorbellToPut.name, instruments.pods.name, instruments.reconcileDuration.name].sort());
    await running.shutdown();
  });
});
