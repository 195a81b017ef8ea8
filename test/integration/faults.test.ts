// The fault suite: what the connector does to healthy workloads when something goes wrong, on the real
// control plane with the node lifecycle controller's timings shortened (grace period 20 s, pods evicted
// 10 s after their node goes NotReady or Unknown; test/run.ts). A healthy sentinel node keeps the zone
// out of "disruption mode", in which the controller would stop evicting and hide a defect. One table row
// per fault; every row must end with nothing lost.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { CoordinationV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { startControlPlane } from "../../dev/control-plane/launch.js";
import { removeVirtualNode } from "../../shared/controller/node-registration.js";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { createNodeClient } from "../../shared/kube/node-client.js";
import { tagNames } from "../../shared/translate/naming.js";
import { podToContainerGroup } from "../../shared/translate/pod-to-container-group.js";
import { clusterOf, testCluster, type TestCluster } from "../support/cluster.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { until, waitFor } from "../support/wait.js";

const cluster = testCluster();
const grace = cluster.descriptor.nodeMonitorGracePeriodSeconds;
const toleration = cluster.descriptor.evictionTolerationSeconds;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  readonly fault: string;
  readonly evicted: number;
  readonly liveGroupsDeleted: number;
  readonly orphansLeft: number;
  readonly stuck: number;
  readonly groupsPerUid: number;
  /** Groups created for a pod that was already gone (a Job's container run again). */
  readonly groupsForGonePods: number;
  readonly writesPerPodHour: string;
  readonly leaseAgeMax: number;
}

/** Scenarios whose row is not recorded yet: a failed assertion must not hide what the fault cost. */
const unfinished = new Set<Scenario>();

/** What one fault's run did to the cluster and ACI: pods it made, when the test deleted them, and samples. */
class Scenario {
  readonly pods = new Map<string, { cluster: TestCluster; namespace: string; name: string }>(); // by UID
  readonly deletedAt = new Map<string, number>(); // by UID: when the test (the user) deleted the pod
  private readonly started = Date.now();
  private leaseAgeMax = 0;
  private readonly sampler: NodeJS.Timeout;
  readonly noExecuteTaints: string[] = [];

  constructor(
    readonly fault: string,
    private readonly emulator: TestEmulator,
    private readonly nodes: readonly { cluster: TestCluster; name: string }[],
  ) {
    // Every second: how old each node's Lease is, and whether a NoExecute taint appeared.
    this.sampler = setInterval(() => void this.sample(), 1000);
    unfinished.add(this);
  }

  private async sample(): Promise<void> {
    for (const { cluster: c, name } of this.nodes) {
      try {
        const lease = await c.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ name, namespace: "kube-node-lease" });
        const age = (Date.now() - new Date(lease.spec!.renewTime!).getTime()) / 1000;
        this.leaseAgeMax = Math.max(this.leaseAgeMax, age);
        const node = await c.admin.makeApiClient(CoreV1Api).readNode({ name });
        for (const t of node.spec?.taints ?? []) if (t.effect === "NoExecute" && !this.noExecuteTaints.includes(`${name} ${t.key}`)) this.noExecuteTaints.push(`${name} ${t.key}`);
      } catch {
        // A sample lost to a busy API server is not a finding.
      }
    }
  }

  async createPod(c: TestCluster, namespace: string, pod: V1Pod): Promise<V1Pod> {
    const created = await c.admin.makeApiClient(CoreV1Api).createNamespacedPod({ namespace, body: pod });
    this.pods.set(created.metadata!.uid!, { cluster: c, namespace, name: created.metadata!.name! });
    return created;
  }

  async deletePod(uid: string, gracePeriodSeconds?: number): Promise<void> {
    const p = this.pods.get(uid)!;
    this.deletedAt.set(uid, Date.now());
    await p.cluster.admin.makeApiClient(CoreV1Api).deleteNamespacedPod({ namespace: p.namespace, name: p.name, ...(gracePeriodSeconds !== undefined && { gracePeriodSeconds }) });
  }

  /** Deletes what is left as a user would, waits for it to go, and counts what the fault cost. */
  async finish(writesPerPodHour: string): Promise<Row> {
    clearInterval(this.sampler);
    unfinished.delete(this);
    // Evicted: pods gone although the test never deleted them, or marked for deletion by the taint manager.
    let evicted = 0;
    const namespaces = new Set([...this.pods.values()].map((p) => `${p.cluster.descriptor.server} ${p.namespace}`));
    for (const key of namespaces) {
      const [server, namespace] = key.split(" ") as [string, string];
      const c = [...this.pods.values()].find((p) => p.cluster.descriptor.server === server)!.cluster;
      const events = (await c.admin.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace })).items;
      evicted += events.filter((e) => e.reason === "TaintManagerEviction").length;
    }
    for (const [uid, p] of this.pods) {
      if (this.deletedAt.has(uid)) continue;
      const live = await p.cluster.admin.makeApiClient(CoreV1Api).readNamespacedPod({ namespace: p.namespace, name: p.name }).catch(() => undefined);
      if (live?.metadata?.uid !== uid || live.metadata.deletionTimestamp !== undefined) evicted++;
    }
    const history = this.emulator.control.history();
    const ours = (uid: string | undefined) => uid !== undefined && this.pods.has(uid);
    const liveGroupsDeleted = history.deleted.filter((d) => d.at >= this.started && ours(d.tags[tagNames.uid]) && (this.deletedAt.get(d.tags[tagNames.uid]!) ?? Infinity) > d.at).length;
    const created = history.created.filter((c) => c.at >= this.started && ours(c.tags[tagNames.uid]));
    const groupsForGonePods = created.filter((c) => (this.deletedAt.get(c.tags[tagNames.uid]!) ?? Infinity) <= c.at).length;
    const perUid = new Map<string, Set<string>>();
    for (const c of created) perUid.set(c.tags[tagNames.uid]!, (perUid.get(c.tags[tagNames.uid]!) ?? new Set()).add(c.name));
    const groupsPerUid = Math.max(0, ...[...perUid.values()].map((names) => names.size));

    // The user deletes what is left; a pod still there grace + 60 s later is stuck.
    for (const uid of this.pods.keys()) if (!this.deletedAt.has(uid)) await this.deletePod(uid, 5).catch(() => undefined);
    let stuck = 0;
    for (const [uid, p] of this.pods) {
      const deadline = this.deletedAt.get(uid)! + (5 + 60) * 1000;
      const gone = await waitFor(`${p.name} gone`, async () => {
        const still = await p.cluster.admin.makeApiClient(CoreV1Api).readNamespacedPod({ namespace: p.namespace, name: p.name }).catch(() => undefined);
        return still?.metadata?.uid !== uid ? true : undefined;
      }, { timeoutMs: Math.max(1000, deadline - Date.now()), intervalMs: 500 }).catch(() => false);
      if (!gone) stuck++;
    }
    // Orphans: groups of these pods still in ACI once the connector has had a few ticks to clean up.
    const left = () => this.emulator.control.groupNames().filter((n) => [...this.pods.keys()].some((uid) => created.some((c) => c.name === n && c.tags[tagNames.uid] === uid)));
    await waitFor("the connector to clean up", until(() => left().length === 0), { timeoutMs: 30_000, intervalMs: 500 }).catch(() => undefined);
    return { fault: this.fault, evicted, liveGroupsDeleted, orphansLeft: left().length, stuck, groupsPerUid, groupsForGonePods, writesPerPodHour, leaseAgeMax: Math.round(this.leaseAgeMax) };
  }
}

/** ARM writes counted by the emulator since `before`, per pod and hour of the window. */
function writesPerPodHour(emulator: TestEmulator, before: Record<string, number>, pods: number, windowMs: number, timeScale = 1): string {
  const after = emulator.control.counters();
  const writes = ["containerGroups.createOrUpdate", "containerGroups.delete", "containerGroups.start", "containerGroups.stop", "containerGroups.restart"].reduce((s, k) => s + (after[k] ?? 0) - (before[k] ?? 0), 0);
  const hours = (windowMs * timeScale) / 3_600_000;
  return (writes / pods / hours).toFixed(0);
}

function seedPod(name: string, node: string, options: { bind?: boolean; restartPolicy?: "Always" | "Never" } = {}): V1Pod {
  return {
    metadata: { name },
    spec: {
      ...(options.bind === true ? { nodeName: node } : { nodeSelector: { "kubernetes.io/hostname": node } }),
      restartPolicy: options.restartPolicy ?? "Always",
      containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }],
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists", effect: "NoSchedule" }],
    },
  };
}

async function phaseOf(c: TestCluster, namespace: string, name: string): Promise<string | undefined> {
  return (await c.admin.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name })).status?.phase;
}

const running = (c: TestCluster, namespace: string, ...names: string[]) =>
  waitFor(`${names.join(", ")} Running`, async () => ((await Promise.all(names.map((n) => phaseOf(c, namespace, n)))).every((p) => p === "Running") ? true : undefined), { timeoutMs: 120_000, intervalMs: 500 });

/** A healthy node beside the virtual ones, kept alive by the test as a kubelet would, as a real cluster has. */
async function startSentinel(c: TestCluster): Promise<{ stop(): Promise<void> }> {
  const nodes = createNodeClient(c.admin);
  const name = "fault-sentinel";
  const ready = () => ({ conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "sentinel", lastHeartbeatTime: new Date(), lastTransitionTime: new Date() }] });
  const node = await nodes.createNode({ metadata: { name }, spec: { taints: [{ key: "fault-sentinel", effect: "NoSchedule" }] }, status: ready() });
  const beat = () => nodes.renewLease({ nodeName: name, nodeUid: node.metadata!.uid!, durationSeconds: 40, renewTime: new Date() });
  await beat();
  let beats = 0;
  const timer = setInterval(() => void beat().then(() => (++beats % 6 === 0 ? nodes.patchNodeStatus(name, ready()) : undefined)).catch(() => undefined), 5000);
  return {
    async stop() {
      clearInterval(timer);
      await removeVirtualNode(nodes, name).catch(() => undefined);
    },
  };
}

describe("faults never cost a healthy workload", { timeout: 1_800_000 }, () => {
  const rows: Row[] = [];
  let main: RunningConnector;
  let sentinel: { stop(): Promise<void> };
  const core = cluster.admin.makeApiClient(CoreV1Api);
  const linuxOf = (r: RunningConnector) => r.connector.nodeNames[0]!;
  const namespace = async (c: TestCluster, name: string) => {
    await c.admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
    // The controller-manager publishes this a moment after the namespace; every pod mounts it.
    await waitFor("kube-root-ca.crt", () => c.admin.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: name, name: "kube-root-ca.crt" }));
    return name;
  };
  const mainNodes = () => main.connector.nodeNames.map((name) => ({ cluster, name }));
  /** Runs `body` with reconcile, the doorbells and/or the ARM events switched off, and switches them on again after. */
  const paused = async <T>(what: { reconcile?: boolean; doorbells?: boolean; armEvents?: boolean }, body: () => Promise<T>): Promise<T> => {
    const switches = { reconcile: (on: boolean) => main.setReconcile(on), doorbells: (on: boolean) => main.setDoorbells(on), armEvents: (on: boolean) => main.setArmEvents(on) };
    const off = (Object.keys(switches) as (keyof typeof switches)[]).filter((k) => what[k] === true);
    for (const k of off) switches[k](false);
    try {
      return await body();
    } finally {
      for (const k of off) switches[k](true);
    }
  };
  /**
   * Starts one reconcile tick whose container group list ARM answers 4 s late, and returns once that
   * list has been asked for: until the tick ends, reconcile works from the pod list it read before.
   */
  const reconcileWithHeldGroupList = async () => {
    const lists = () => main.emulator.control.counters()["containerGroups.listByResourceGroup"] ?? 0;
    const listed = lists();
    main.emulator.control.injectFault({ operation: "containerGroups.listByResourceGroup", count: 1, delayMs: 4000 });
    const tick = main.reconcileOnce();
    await waitFor("reconcile's group list", until(() => lists() > listed), { intervalMs: 50 });
    return { tick }; // wrapped: an async function would otherwise wait for the tick itself
  };

  afterEach(async () => {
    for (const s of unfinished) rows.push(await s.finish("-"));
  });

  before(async () => {
    sentinel = await startSentinel(cluster);
    main = await startRunningConnector(cluster, { connectorName: "faults", periodMs: 2000 });
  });

  after(async () => {
    const header = ["fault", "pods evicted", "live groups deleted", "orphans left", `stuck > grace+60 s`, "groups/UID max", "groups for gone pods", "ARM writes/pod/h", "Lease age max (s)"];
    const table = [header, ...rows.map((r) => [r.fault, r.evicted, r.liveGroupsDeleted, r.orphansLeft, r.stuck, r.groupsPerUid, r.groupsForGonePods, r.writesPerPodHour, r.leaseAgeMax].map(String))];
    const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    console.log(`fault suite (node grace ${grace} s, eviction toleration ${toleration} s; a sentinel node keeps the zone healthy):`);
    for (const row of table) console.log(`  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")}`);
    try {
      await main?.stop();
    } finally {
      await sentinel?.stop();
    }
  });

  /**
   * Runs one ARM outage of `seconds` while two pods run and a third is asked for in the middle. The
   * connector reports the outage's errors (`reported`): those, and no others, are expected.
   */
  async function armOutage(fault: string, ns: string, seconds: number, inject: (emulator: TestEmulator) => void, reported: RegExp): Promise<Row> {
    main.expectErrors(reported);
    await namespace(cluster, ns);
    const s = new Scenario(fault, main.emulator, mainNodes());
    await s.createPod(cluster, ns, seedPod("a", linuxOf(main)));
    await s.createPod(cluster, ns, seedPod("b", linuxOf(main)));
    await running(cluster, ns, "a", "b");
    const before = main.emulator.control.counters();
    const start = Date.now();
    inject(main.emulator);
    try {
      await sleep(seconds * 1000);
    } finally {
      main.emulator.control.clearFaults();
    }
    const writes = writesPerPodHour(main.emulator, before, 2, Date.now() - start);
    // Nothing was lost, and new pods run again.
    assert.equal(await phaseOf(cluster, ns, "a"), "Running");
    await s.createPod(cluster, ns, seedPod("c", linuxOf(main)));
    await running(cluster, ns, "a", "b", "c");
    assert.deepEqual(s.noExecuteTaints, [], "no NoExecute taint while the connector runs");
    return s.finish(writes);
  }

  it("ARM unreachable (503) for longer than the eviction time", async () => {
    const seconds = grace + toleration + 15;
    rows.push(await armOutage(`ARM 503 for ${seconds} s`, "fault-arm-down", seconds, (e) => e.control.injectFault({ status: 503, code: "ServiceUnavailable", message: "The service is temporarily unavailable." }), / 503 ServiceUnavailable: The service is temporarily unavailable\.$/));
  });

  it("ARM throttles: 429 with Retry-After 30 s", async () => {
    rows.push(await armOutage("ARM 429, Retry-After 30 s, for 40 s", "fault-arm-429", 40, (e) => e.control.injectFault({ status: 429, code: "SubscriptionRequestsThrottled", message: "Number of requests exceeded the limit.", retryAfterSeconds: 30 }), /( 429 SubscriptionRequestsThrottled: Number of requests exceeded the limit\.| not sent: ARM asked the connector to send no \w+ before \S+)$/));
  });

  it("the connector's identity refused (401, then 403)", async () => {
    const seconds = grace + toleration + 15;
    rows.push(
      await armOutage(`identity refused (401, 403) for ${seconds} s`, "fault-identity", seconds, (e) => {
        e.control.injectFault({ status: 401, code: "InvalidAuthenticationToken", message: "The access token is invalid.", count: 10 });
        e.control.injectFault({ status: 403, code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.ContainerInstance/containerGroups/read'." });
      }, / (401 InvalidAuthenticationToken: The access token is invalid\.|403 AuthorizationFailed: The client does not have authorization to perform action '\S+'\.)$/),
    );
  });

  it("new pods stay off the node while ACI is unavailable, and pods on it keep running", async () => {
    const ns = await namespace(cluster, "fault-placement");
    const s = new Scenario("new pods during an outage", main.emulator, mainNodes());
    await s.createPod(cluster, ns, seedPod("kept", linuxOf(main)));
    await running(cluster, ns, "kept");
    main.expectErrors(/ 503 ServiceUnavailable: down$/);
    main.emulator.control.injectFault({ status: 503, code: "ServiceUnavailable", message: "down" });
    try {
      await waitFor("the connector's NoSchedule taint", async () => ((await core.readNode({ name: linuxOf(main) })).spec?.taints?.some((t) => t.key === "aci-connector.io/aci-unavailable") ? true : undefined), { timeoutMs: 30_000 });
      await s.createPod(cluster, ns, seedPod("new", linuxOf(main)));
      const unschedulable = await waitFor("the new pod to be refused by the scheduler", async () => {
        const c = (await core.readNamespacedPod({ namespace: ns, name: "new" })).status?.conditions?.find((x) => x.type === "PodScheduled");
        return c?.status === "False" ? c : undefined;
      }, { timeoutMs: 30_000 });
      assert.match(unschedulable.message ?? "", /untolerated taint/);
      assert.equal(await phaseOf(cluster, ns, "kept"), "Running");
    } finally {
      main.emulator.control.clearFaults();
    }
    await running(cluster, ns, "kept", "new");
    rows.push(await s.finish("-"));
  });

  it("the webhook down: reconcile alone creates, reports and deletes", async () => {
    const ns = await namespace(cluster, "fault-no-webhook");
    const s = new Scenario("webhook down", main.emulator, mainNodes());
    await paused({ doorbells: true, armEvents: true }, async () => {
      const pod = await s.createPod(cluster, ns, seedPod("quiet", linuxOf(main)));
      await running(cluster, ns, "quiet");
      await s.deletePod(pod.metadata!.uid!);
      await waitFor("quiet gone", async () => ((await core.listNamespacedPod({ namespace: ns })).items.length === 0 ? true : undefined), { timeoutMs: 60_000 });
    });
    rows.push(await s.finish("-"));
  });

  it("doorbells duplicated, reordered and late", async () => {
    const ns = await namespace(cluster, "fault-doorbells");
    const s = new Scenario("doorbells duplicated, reordered, late", main.emulator, mainNodes());
    const first = await s.createPod(cluster, ns, seedPod("bell", linuxOf(main), { bind: true }));
    for (let i = 0; i < 6; i++) await main.relay.publish(i % 2 === 0 ? { namespace: ns, name: "bell", uid: first.metadata!.uid!, node: linuxOf(main) } : { namespace: ns, name: "bell" });
    await running(cluster, ns, "bell");
    // The pod is deleted and replaced by a namesake; the first pod's doorbell arrives late, after both.
    await paused({ reconcile: true, doorbells: true }, async () => {
      await s.deletePod(first.metadata!.uid!, 0);
      await waitFor("bell gone", async () => ((await core.listNamespacedPod({ namespace: ns })).items.length === 0 ? true : undefined), { timeoutMs: 30_000 });
      await s.createPod(cluster, ns, seedPod("bell", linuxOf(main), { bind: true }));
    });
    await main.relay.publish({ namespace: ns, name: "bell", uid: first.metadata!.uid!, node: linuxOf(main) });
    await main.relay.publish({ namespace: ns, name: "bell", uid: first.metadata!.uid!, node: linuxOf(main) });
    await running(cluster, ns, "bell");
    await main.relay.drain();
    rows.push(await s.finish("-"));
  });

  it("a pod bound while reconcile sweeps for orphans", async () => {
    const ns = await namespace(cluster, "fault-sweep");
    const s = new Scenario("pod bound during the orphan sweep", main.emulator, mainNodes());
    await paused({ reconcile: true }, async () => {
      await sleep(2500); // the background tick in flight ends
      // Reconcile holds a pod list from before the pod existed.
      const { tick } = await reconcileWithHeldGroupList();
      const pod = await s.createPod(cluster, ns, seedPod("late", linuxOf(main), { bind: true }));
      await waitFor("podEvents' PUT", until(() => main.emulator.control.groupNames().includes(groupNameOf(pod))), { intervalMs: 50 });
      const report = await tick;
      assert.deepEqual(report.orphansSpared, [groupNameOf(pod)]);
    });
    await running(cluster, ns, "late");
    await sleep(5000); // a few more ticks: the pod stays Running
    assert.equal(await phaseOf(cluster, ns, "late"), "Running");
    rows.push(await s.finish("-"));
  });

  it("a pod deleted while reconcile holds a stale list", async () => {
    const ns = await namespace(cluster, "fault-stale");
    const s = new Scenario("pod deleted during a stale list", main.emulator, mainNodes());
    await paused({ reconcile: true, doorbells: true }, async () => {
      await sleep(2500);
      // No service-account volume: nothing to read, so only the pod's fresh read stands between the
      // stale list and a PUT (with a reference, the Node authorizer would refuse its read first).
      const job = seedPod("job", linuxOf(main), { bind: true, restartPolicy: "Never" });
      job.spec!.automountServiceAccountToken = false;
      const pod = await s.createPod(cluster, ns, job);
      const { tick } = await reconcileWithHeldGroupList();
      // Its deletion is finished meanwhile (as podEvents would, the pod having no group yet).
      await s.deletePod(pod.metadata!.uid!, 0);
      await tick;
    });
    rows.push(await s.finish("-"));
  });

  it("a crash between the PUT and the status write", async () => {
    const ns = await namespace(cluster, "fault-crash");
    const s = new Scenario("crash between PUT and status write", main.emulator, mainNodes());
    await paused({ reconcile: true, doorbells: true }, async () => {
      const pod = await s.createPod(cluster, ns, seedPod("crashed", linuxOf(main), { bind: true }));
      const rootCa = await core.readNamespacedConfigMap({ namespace: ns, name: "kube-root-ca.crt" });
      const translation = podToContainerGroup({ pod, references: { secrets: new Map(), configMaps: new Map([["kube-root-ca.crt", rootCa]]) }, node: { name: linuxOf(main), os: "Linux" }, settings: main.deps.translation });
      await main.deps.groups.createOrUpdate(translation.name, translation.body);
    });
    await running(cluster, ns, "crashed");
    rows.push(await s.finish("-"));
  });

  describe("ARM refuses the PUT, with a clock 120 times as fast (an hour of back-off in 30 s)", () => {
    let fast: RunningConnector;
    const scale = 120;
    before(async () => {
      const start = Date.now();
      fast = await startRunningConnector(cluster, { connectorName: "refused", periodMs: 2000, webhook: false, clock: { now: () => new Date(start + (Date.now() - start) * scale) } });
    });
    after(async () => {
      await fast?.stop();
    });

    const refusals = [
      [400, "InvalidRequestContent", "The request content was invalid and could not be deserialized."],
      [403, "LinkedAuthorizationFailed", "The client has permission to perform action 'Microsoft.ContainerInstance/containerGroups/write' on scope '...', however it does not have permission to perform action 'Microsoft.Network/virtualNetworks/subnets/join/action' on the linked scope(s)."],
      [404, "ResourceGroupNotFound", "Resource group 'aci-connector-local' could not be found."],
      [413, "RequestContentTooLarge", "The request content size exceeds the maximum size of 4 MB."],
    ] as const;
    for (const [status, code, message] of refusals) {
      it(`${status} ${code}`, async () => {
        const ns = await namespace(cluster, `fault-put-${status}`);
        const s = new Scenario(`PUT refused: ${status} ${code}`, fast.emulator, fast.connector.nodeNames.map((name) => ({ cluster, name })));
        fast.emulator.control.injectFault({ operation: "containerGroups.createOrUpdate", status, code, message });
        const before = fast.emulator.control.counters();
        const start = Date.now();
        let writes: string;
        try {
          await s.createPod(cluster, ns, seedPod("refused", linuxOf(fast), { bind: true }));
          const told = await waitFor("the refusal on the pod", async () => {
            const status = (await core.readNamespacedPod({ namespace: ns, name: "refused" })).status;
            return status?.reason === "ProviderCreateFailed" ? status : undefined;
          });
          assert.match(told.message ?? "", new RegExp(`${status} ${code}`));
          await sleep(30_000 - (Date.now() - start));
          writes = writesPerPodHour(fast.emulator, before, 1, Date.now() - start, scale);
        } finally {
          fast.emulator.control.clearFaults();
        }
        await running(cluster, ns, "refused");
        rows.push(await s.finish(writes));
      });
    }
  });

  it("two connectors of the same name, for two clusters, in one resource group", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aci-second-cluster-"));
    const second = await startControlPlane({ binDir: cluster.descriptor.binDir, dir, nodeMonitorGracePeriodSeconds: grace, evictionTolerationSeconds: toleration, handleSignals: false });
    const other = clusterOf(second.descriptor);
    const emulator = await startTestEmulator();
    const here = await startRunningConnector(cluster, { connectorName: "twin", periodMs: 2000, webhook: false, emulator: { shared: emulator } });
    const there = await startRunningConnector(other, { connectorName: "twin", periodMs: 2000, webhook: false, emulator: { shared: emulator } });
    try {
      const s = new Scenario("same connector name, two clusters", emulator, [...here.connector.nodeNames.map((name) => ({ cluster, name })), ...there.connector.nodeNames.map((name) => ({ cluster: other, name }))]);
      const ns = "fault-twins";
      await namespace(cluster, ns);
      await namespace(other, ns);
      const mine = await s.createPod(cluster, ns, seedPod("web", linuxOf(here)));
      await s.createPod(other, ns, seedPod("web", linuxOf(there)));
      await running(cluster, ns, "web");
      await running(other, ns, "web");
      await sleep(10_000); // several reconcile ticks of each
      assert.equal(await phaseOf(cluster, ns, "web"), "Running");
      assert.equal(await phaseOf(other, ns, "web"), "Running");
      await s.deletePod(mine.metadata!.uid!);
      await waitFor("this cluster's group gone", until(() => !emulator.control.groupNames().includes(groupNameOf(mine))), { timeoutMs: 60_000 });
      assert.equal(await phaseOf(other, ns, "web"), "Running", "the other cluster's pod is untouched");
      assert.equal(emulator.control.groupNames().length, 1);
      rows.push(await s.finish("-"));
    } finally {
      await here.stop();
      await there.stop();
      await emulator.stop();
      await second.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("every fault ends with nothing lost", () => {
    assert.ok(rows.length >= 12, `${rows.length} rows`);
    for (const r of rows) {
      assert.deepEqual(
        { fault: r.fault, evicted: r.evicted, liveGroupsDeleted: r.liveGroupsDeleted, orphansLeft: r.orphansLeft, stuck: r.stuck, groupsForGonePods: r.groupsForGonePods },
        { fault: r.fault, evicted: 0, liveGroupsDeleted: 0, orphansLeft: 0, stuck: 0, groupsForGonePods: 0 },
      );
      assert.ok(r.groupsPerUid <= 1, `${r.fault}: ${r.groupsPerUid} groups for one pod UID`);
      assert.ok(r.leaseAgeMax <= 40, `${r.fault}: a Lease ${r.leaseAgeMax} s old`);
    }
  });
});
