// Init containers end to end, on the real control plane and the emulator: what `kubectl get pods`
// prints (the API server's own printer, printPod) while a pod's init container runs, once it has
// completed, and when it fails under restartPolicy Never, and the status fields it prints them from
// (the kubelet's: Initialized False "containers with incomplete status: [migrate]", the container
// waiting PodInitializing, the init container running, then terminated Completed or Error).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, type V1Pod, type V1PodStatus } from "@kubernetes/client-node";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "init-containers";
const waitMs = 30_000;

/** A pod scheduled onto the Linux virtual node, with one init container before its container. */
function podWithInit(name: string, restartPolicy: "Always" | "Never"): V1Pod {
  return {
    metadata: { name },
    spec: {
      initContainers: [{ name: "migrate", image: "busybox", command: ["/bin/sh", "-c", "./migrate"] }],
      containers: [{ name: "main", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }],
      restartPolicy,
      nodeSelector: { "kubernetes.io/os": "linux", type: "virtual-kubelet" },
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
    },
  };
}

describe("init containers, as kubectl shows them", () => {
  let running: RunningConnector;
  const read = (name: string) => core.readNamespacedPod({ namespace, name });
  const statusWhen = (what: string, name: string, holds: (s: V1PodStatus) => boolean) =>
    waitFor(`${name}: ${what}`, async () => {
      const pod = await read(name);
      return pod.status !== undefined && holds(pod.status) ? pod : undefined;
    }, { timeoutMs: waitMs, intervalMs: 250 });
  /** The STATUS column of `kubectl get pod`, as the API server's table printer computes it. */
  const kubectlStatus = async (name: string) => {
    const out = await cluster.kubectl(["get", "pod", name, "-n", namespace, "--no-headers"]);
    assert.equal(out.code, 0, out.stderr);
    // NAME READY STATUS RESTARTS AGE
    return out.stdout.trim().split(/\s+/)[2];
  };
  const initialized = (s: V1PodStatus) => s.conditions?.find((c) => c.type === "Initialized");

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "inits", periodMs: 1000 });
    await core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await running.stop();
  });

  it("an init container that runs: Init:0/1; once it exits 0: Running", { timeout: 2 * waitMs + 15_000 }, async () => {
    await core.createNamespacedPod({ namespace, body: podWithInit("migrated", "Always") });
    const initializing = await statusWhen("its init container running", "migrated", (s) => s.initContainerStatuses?.[0]?.state?.running !== undefined);
    const status = initializing.status!;
    assert.equal(status.phase, "Pending");
    assert.deepEqual(
      [initialized(status)?.status, initialized(status)?.reason, initialized(status)?.message],
      ["False", "ContainersNotInitialized", "containers with incomplete status: [migrate]"],
    );
    assert.equal(status.containerStatuses?.[0]?.state?.waiting?.reason, "PodInitializing");
    assert.equal(await kubectlStatus("migrated"), "Init:0/1");

    running.emulator.control.exitContainer(groupNameOf(initializing), "migrate", { exitCode: 0 });
    const ran = (await statusWhen("Running", "migrated", (s) => s.phase === "Running")).status!;
    assert.deepEqual([ran.initContainerStatuses?.[0]?.state?.terminated?.exitCode, ran.initContainerStatuses?.[0]?.state?.terminated?.reason], [0, "Completed"]);
    assert.equal(initialized(ran)?.status, "True");
    assert.notEqual(ran.containerStatuses?.[0]?.state?.running, undefined);
    assert.equal(await kubectlStatus("migrated"), "Running");
  });

  it("an init container that fails under restartPolicy Never: Failed, Init:Error", { timeout: 2 * waitMs + 15_000 }, async () => {
    await core.createNamespacedPod({ namespace, body: podWithInit("unmigrated", "Never") });
    const initializing = await statusWhen("its init container running", "unmigrated", (s) => s.initContainerStatuses?.[0]?.state?.running !== undefined);
    running.emulator.control.exitContainer(groupNameOf(initializing), "migrate", { exitCode: 1 });
    const failed = (await statusWhen("Failed", "unmigrated", (s) => s.phase === "Failed")).status!;
    assert.deepEqual([failed.initContainerStatuses?.[0]?.state?.terminated?.exitCode, failed.initContainerStatuses?.[0]?.state?.terminated?.reason], [1, "Error"]);
    assert.equal(failed.reason, undefined, "a kubelet gives the pod no reason of its own: its init container says why");
    assert.deepEqual([initialized(failed)?.status, initialized(failed)?.message], ["False", "containers with incomplete status: [migrate]"]);
    assert.equal(failed.containerStatuses?.[0]?.state?.waiting?.reason, "PodInitializing");
    assert.equal(await kubectlStatus("unmigrated"), "Init:Error");
    assert.deepEqual(running.unexpectedErrors(), []);
  });
});
