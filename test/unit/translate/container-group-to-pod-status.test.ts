// Container group -> pod status, one row per state a group can be in (as the emulator and the real
// service's recordings show them).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod, V1PodStatus } from "@kubernetes/client-node";
import type { ArmContainerInstanceView } from "../../../shared/translate/arm-types.js";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";

const now = new Date("2026-11-24T12:00:00Z");
const pod: V1Pod = {
  metadata: { name: "web", namespace: "shop", uid: "u" },
  spec: { containers: [{ name: "app", image: "nginx:1.27", readinessProbe: { httpGet: { path: "/", port: 80 } } }], restartPolicy: "Always" },
};

function group(provisioningState: string, groupState: string | undefined, view: ArmContainerInstanceView | undefined, ip?: string): ObservedContainerGroup {
  return {
    name: "shop-web-0123456789abcdef",
    location: "westeurope",
    tags: {},
    properties: {
      osType: "Linux",
      restartPolicy: "Always",
      provisioningState,
      containers: [{ name: "app", properties: { image: "nginx:1.27", resources: { requests: { cpu: 1, memoryInGB: 1.5 } }, ...(view !== undefined && { instanceView: view }) } }],
      ...(ip !== undefined && { ipAddress: { type: "Public", ports: [{ port: 80, protocol: "TCP" }], ip } }),
      ...(groupState !== undefined && { instanceView: { state: groupState, events: [] } }),
    },
  };
}

const started = "2026-11-24T11:59:00Z";

describe("container group -> pod status", () => {
  const cases: { description: string; group: ObservedContainerGroup; phase: string; state: unknown; ready: boolean; restartCount?: number; lastState?: unknown; reason?: string; message?: string }[] = [
    {
      description: "Pending provisioning: Pending, ContainerCreating (azure-aci reports nothing here)",
      group: group("Pending", "Pending", undefined),
      phase: "Pending",
      state: { waiting: { reason: "ContainerCreating" } },
      ready: false,
    },
    {
      description: "Creating while the image is pulled: still ContainerCreating",
      group: group("Creating", "Pending", { restartCount: 0, currentState: { state: "Waiting", detailStatus: "" }, events: [{ name: "Pulling", message: 'pulling image "nginx:1.27"', type: "Normal" }] }),
      phase: "Pending",
      state: { waiting: { reason: "ContainerCreating" } },
      ready: false,
    },
    {
      description: "Running: Running, started, ready",
      group: group("Succeeded", "Running", { restartCount: 0, currentState: { state: "Running", startTime: started, detailStatus: "" }, events: [] }, "20.1.2.3"),
      phase: "Running",
      state: { running: { startedAt: new Date(started) } },
      ready: true,
    },
    {
      description: "Running but its readiness probe fails: not ready",
      group: group("Succeeded", "Running", { restartCount: 0, currentState: { state: "Running", startTime: started }, events: [{ name: "Unhealthy", message: "Readiness probe failed: HTTP 503", type: "Warning", lastTimestamp: "2026-11-24T11:59:30Z" }] }),
      phase: "Running",
      state: { running: { startedAt: new Date(started) } },
      ready: false,
    },
    {
      description: "an exit 0 (Never): Succeeded with exit code 0, Completed, and the times",
      group: group("Succeeded", "Succeeded", { restartCount: 0, currentState: { state: "Terminated", exitCode: 0, detailStatus: "Completed", startTime: started, finishTime: "2026-11-24T11:59:40Z" } }),
      phase: "Succeeded",
      state: { terminated: { exitCode: 0, reason: "Completed", startedAt: new Date(started), finishedAt: new Date("2026-11-24T11:59:40Z") } },
      ready: false,
    },
    {
      description: "an exit 3 (Never): Failed with exit code 3, Error",
      group: group("Succeeded", "Failed", { restartCount: 0, currentState: { state: "Terminated", exitCode: 3, detailStatus: "Error", startTime: started, finishTime: "2026-11-24T11:59:40Z" } }),
      phase: "Failed",
      state: { terminated: { exitCode: 3, reason: "Error", startedAt: new Date(started), finishedAt: new Date("2026-11-24T11:59:40Z") } },
      ready: false,
    },
    {
      description: "restarted after an OOM kill: restartCount and lastState OOMKilled",
      group: group("Succeeded", "Running", {
        restartCount: 2,
        currentState: { state: "Running", startTime: started },
        previousState: { state: "Terminated", exitCode: 137, detailStatus: "OOMKilled", startTime: "2026-11-24T11:58:00Z", finishTime: "2026-11-24T11:58:59Z" },
      }),
      phase: "Running",
      state: { running: { startedAt: new Date(started) } },
      ready: true,
      restartCount: 2,
      lastState: { terminated: { exitCode: 137, reason: "OOMKilled", startedAt: new Date("2026-11-24T11:58:00Z"), finishedAt: new Date("2026-11-24T11:58:59Z") } },
    },
    {
      description: "an image that cannot be pulled: Failed, ErrImagePull with ACI's message",
      group: group("Failed", undefined, {
        restartCount: 0,
        currentState: { state: "Waiting", detailStatus: "ErrImagePull" },
        events: [{ name: "Failed", message: 'Failed to pull image "registry.invalid/app:1"', type: "Warning" }],
      }),
      phase: "Failed",
      state: { waiting: { reason: "ErrImagePull", message: 'Failed to pull image "registry.invalid/app:1"' } },
      ready: false,
      reason: "ProviderFailed",
      message: 'Failed to pull image "registry.invalid/app:1"',
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const status = containerGroupToPodStatus(c.group, pod, now);
      assert.equal(status.phase, c.phase);
      const container = status.containerStatuses![0]!;
      assert.deepEqual(container.state, c.state);
      assert.equal(container.ready, c.ready);
      assert.equal(container.restartCount, c.restartCount ?? 0);
      assert.deepEqual(container.lastState, c.lastState);
      assert.equal(container.containerID, "aci://shop-web-0123456789abcdef/app");
      assert.equal(container.image, "nginx:1.27");
      assert.equal(status.reason, c.reason);
      assert.equal(status.message, c.message);
      const ready = status.conditions!.find((x) => x.type === "Ready")!;
      assert.equal(ready.status, c.ready && c.phase === "Running" ? "True" : "False");
      assert.deepEqual(status.conditions!.map((x) => x.type), ["PodScheduled", "Initialized", "ContainersReady", "Ready"]);
    });
  }

  it("gives the pod the group's IP and keeps its start time and unchanged condition times", () => {
    const running = group("Succeeded", "Running", { restartCount: 0, currentState: { state: "Running", startTime: started } }, "20.1.2.3");
    const first = containerGroupToPodStatus(running, pod, now);
    assert.equal(first.podIP, "20.1.2.3");
    assert.deepEqual(first.podIPs, [{ ip: "20.1.2.3" }]);
    const later = containerGroupToPodStatus(running, { ...pod, status: first }, new Date("2026-11-24T12:05:00Z"));
    assert.deepEqual(later.startTime, now);
    assert.deepEqual(later.conditions!.find((x) => x.type === "Ready")!.lastTransitionTime, now);
  });
});

describe("container group -> pod status, whatever ARM answers", () => {
  const running = (view: unknown, ip: unknown) => ({ name: "g", properties: { provisioningState: "Succeeded", instanceView: { state: "Running" }, containers: [{ name: "app", properties: { instanceView: view } }], ipAddress: { ip } } });
  const cases: { description: string; answer: unknown; phase: string; state: unknown; restartCount?: number; podIP?: string; message?: string }[] = [
    { description: "no body at all: still being created", answer: null, phase: "Pending", state: { waiting: { reason: "ContainerCreating" } } },
    { description: "containers that are not a list, and a provisioningState that is a number", answer: { properties: { provisioningState: 3, containers: { app: {} } } }, phase: "Pending", state: { waiting: { reason: "ContainerCreating" } } },
    {
      description: "a start time that does not parse, a negative restart count, and an IP that is no IP",
      answer: running({ restartCount: -1, currentState: { state: "Running", startTime: "yesterday" } }, "999.1.1.1"),
      phase: "Running",
      state: { running: {} },
    },
    {
      description: "an exit code that is text and a finish time that is a number",
      answer: running({ restartCount: 1, currentState: { state: "Terminated", exitCode: "3", finishTime: 1732449600, detailStatus: 7 } }, "20.1.2.3"),
      phase: "Running",
      state: { terminated: { exitCode: 0, reason: "Completed" } },
      restartCount: 1,
      podIP: "20.1.2.3",
    },
    {
      description: "a failed provisioning whose events are null or have a message that is not text",
      answer: { name: "g", properties: { provisioningState: "Failed", containers: [{ name: "app", properties: { instanceView: { events: [null, { type: "Warning", message: 42 }] } } }], instanceView: { events: "none" } } },
      phase: "Failed",
      state: { waiting: { reason: "ContainerCreating" } },
      message: "the container group failed to provision",
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const status = containerGroupToPodStatus(c.answer as ObservedContainerGroup, pod, now);
      assert.equal(status.phase, c.phase);
      assert.deepEqual(status.containerStatuses![0]!.state, c.state);
      assert.equal(status.containerStatuses![0]!.restartCount, c.restartCount ?? 0);
      assert.equal(status.podIP, c.podIP);
      assert.equal(status.message, c.message);
    });
  }
});

/** A group with several containers and init containers, each with the instanceView given (none if undefined). */
function groupWith(provisioningState: string, groupState: string | undefined, views: { containers: Record<string, ArmContainerInstanceView | undefined>; initContainers?: Record<string, ArmContainerInstanceView | undefined> }): ObservedContainerGroup {
  const entries = (views: Record<string, ArmContainerInstanceView | undefined>) => Object.entries(views).map(([name, view]) => ({ name, view }));
  return {
    name: "shop-web-0123456789abcdef",
    location: "westeurope",
    tags: {},
    properties: {
      osType: "Linux",
      restartPolicy: "Never",
      provisioningState,
      containers: entries(views.containers).map(({ name, view }) => ({ name, properties: { image: "img", resources: { requests: { cpu: 1, memoryInGB: 1.5 } }, ...(view !== undefined && { instanceView: view }) } })),
      ...(views.initContainers !== undefined && { initContainers: entries(views.initContainers).map(({ name, view }) => ({ name, properties: { image: "img", ...(view !== undefined && { instanceView: view }) } })) }),
      ...(groupState !== undefined && { instanceView: { state: groupState, events: [] } }),
    },
  };
}

const running = (startTime = started): ArmContainerInstanceView => ({ restartCount: 0, currentState: { state: "Running", startTime } });
const exited = (exitCode: number): ArmContainerInstanceView => ({ restartCount: 0, currentState: { state: "Terminated", exitCode, detailStatus: exitCode === 0 ? "Completed" : "Error", startTime: "2026-11-24T11:58:00Z", finishTime: "2026-11-24T11:58:30Z" } });
const conditionOf = (status: V1PodStatus, type: string) => status.conditions!.find((c) => c.type === type)!;

// Kubernetes' rules for init containers (kubernetes.io/docs/concepts/workloads/pods/init-containers/ and
// pod-lifecycle/): they run one by one before the pod's containers; until all have exited 0 the pod is
// Pending, its Initialized condition False (reason ContainersNotInitialized) and its containers wait with
// reason PodInitializing; an init container that exited 0 is ready; a failed one with restartPolicy Never
// fails the pod.
describe("container group -> pod status: init containers and the Initialized condition", () => {
  const withInit: V1Pod = {
    metadata: { name: "web", namespace: "shop", uid: "u" },
    spec: { initContainers: [{ name: "migrate", image: "migrate:1" }], containers: [{ name: "app", image: "app:1" }], restartPolicy: "Never" },
  };

  it("an init container still running: Pending, not Initialized, the container waits for it", () => {
    // The group itself already runs (its first container does): that is not the pod's containers running.
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Running", { initContainers: { migrate: running() }, containers: { app: { restartCount: 0, currentState: { state: "Waiting" } } } }), withInit, now);
    assert.equal(status.phase, "Pending");
    assert.deepEqual(conditionOf(status, "Initialized"), { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [migrate]", lastTransitionTime: now });
    assert.equal(conditionOf(status, "Ready").status, "False");
    assert.deepEqual(status.initContainerStatuses!.map((s) => [s.name, s.state, s.ready, s.started]), [["migrate", { running: { startedAt: new Date(started) } }, false, true]]);
    assert.deepEqual(status.containerStatuses!.map((s) => [s.name, s.state, s.ready]), [["app", { waiting: { reason: "PodInitializing" } }, false]]);
  });

  it("every init container exited 0 and the container runs: Running, Initialized, the init container ready", () => {
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Running", { initContainers: { migrate: exited(0) }, containers: { app: running() } }), withInit, now);
    assert.equal(status.phase, "Running");
    assert.deepEqual(conditionOf(status, "Initialized"), { type: "Initialized", status: "True", lastTransitionTime: now });
    assert.equal(conditionOf(status, "Ready").status, "True");
    const init = status.initContainerStatuses![0]!;
    assert.deepEqual([init.ready, init.started, init.state?.terminated?.exitCode, init.state?.terminated?.reason], [true, false, 0, "Completed"]);
  });

  it("an init container that failed (restartPolicy Never): Failed, never Initialized, the container never started", () => {
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Failed", { initContainers: { migrate: exited(1) }, containers: { app: undefined } }), withInit, now);
    assert.equal(status.phase, "Failed");
    assert.equal(conditionOf(status, "Initialized").status, "False");
    const init = status.initContainerStatuses![0]!;
    assert.deepEqual([init.ready, init.state?.terminated?.exitCode, init.state?.terminated?.reason], [false, 1, "Error"]);
    assert.deepEqual(status.containerStatuses![0]!.state, { waiting: { reason: "PodInitializing" } });
  });

  it("a container that runs shows the init containers done, even when ARM gives no init instanceView", () => {
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Running", { initContainers: { migrate: undefined }, containers: { app: running() } }), withInit, now);
    assert.equal(status.phase, "Running");
    assert.equal(conditionOf(status, "Initialized").status, "True");
  });

  it("one init container done and the next still running: not Initialized yet", () => {
    const two: V1Pod = { ...withInit, spec: { ...withInit.spec!, initContainers: [{ name: "migrate", image: "migrate:1" }, { name: "seed", image: "seed:1" }] } };
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Running", { initContainers: { migrate: exited(0), seed: running() }, containers: { app: undefined } }), two, now);
    assert.equal(status.phase, "Pending");
    assert.equal(conditionOf(status, "Initialized").status, "False");
    assert.deepEqual(status.initContainerStatuses!.map((s) => [s.name, s.ready]), [["migrate", true], ["seed", false]]);
  });

  it("a pod without init containers is Initialized and lists no init container statuses", () => {
    const status = containerGroupToPodStatus(groupWith("Creating", "Pending", { containers: { app: undefined } }), { ...withInit, spec: { containers: [{ name: "app", image: "app:1" }] } }, now);
    assert.equal(conditionOf(status, "Initialized").status, "True");
    assert.equal(status.initContainerStatuses, undefined);
  });
});

// Kubernetes' pod phase and conditions (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/): one
// containerStatus per container of the pod, in the pod's order; Running once the containers are created
// and one of them runs; ContainersReady only when every container is ready, and Ready only then.
describe("container group -> pod status: several containers", () => {
  const twoContainers: V1Pod = {
    metadata: { name: "web", namespace: "shop", uid: "u" },
    spec: { containers: [{ name: "app", image: "app:1" }, { name: "sidecar", image: "proxy:2" }], restartPolicy: "Never" },
  };

  it("one status per pod container, in the pod's order and with its image, whatever order ARM lists them in", () => {
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Running", { containers: { sidecar: running(), app: running() } }), twoContainers, now);
    assert.deepEqual(status.containerStatuses!.map((s) => [s.name, s.image, s.containerID]), [["app", "app:1", "aci://shop-web-0123456789abcdef/app"], ["sidecar", "proxy:2", "aci://shop-web-0123456789abcdef/sidecar"]]);
    assert.equal(conditionOf(status, "ContainersReady").status, "True");
    assert.equal(conditionOf(status, "Ready").status, "True");
  });

  it("one container exited and the other runs: Running, neither ContainersReady nor Ready", () => {
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Running", { containers: { app: running(), sidecar: exited(0) } }), twoContainers, now);
    assert.equal(status.phase, "Running");
    assert.deepEqual(status.containerStatuses!.map((s) => s.ready), [true, false]);
    assert.deepEqual(conditionOf(status, "ContainersReady"), { type: "ContainersReady", status: "False", reason: "ContainersNotReady", lastTransitionTime: now });
    assert.deepEqual(conditionOf(status, "Ready"), { type: "Ready", status: "False", reason: "ContainersNotReady", lastTransitionTime: now });
  });

  it("a container ARM does not list (yet) waits as one not created (a kubelet's ContainerCreating), and keeps the pod from being ready", () => {
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Running", { containers: { app: running() } }), twoContainers, now);
    assert.deepEqual(status.containerStatuses![1], {
      name: "sidecar",
      image: "proxy:2",
      imageID: "proxy:2",
      containerID: "aci://shop-web-0123456789abcdef/sidecar",
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: "ContainerCreating" } },
    });
    assert.equal(conditionOf(status, "Ready").status, "False");
  });

  it("all exited, one with 2: Failed, with each container's own exit code", () => {
    const status = containerGroupToPodStatus(groupWith("Succeeded", "Failed", { containers: { app: exited(0), sidecar: exited(2) } }), twoContainers, now);
    assert.equal(status.phase, "Failed");
    assert.deepEqual(status.containerStatuses!.map((s) => [s.state?.terminated?.exitCode, s.state?.terminated?.reason]), [[0, "Completed"], [2, "Error"]]);
  });
});

// `az container stop` stops every container of a group (instanceView.state Stopped, as the emulator
// shows it). In Kubernetes' terms the containers were terminated by the system and will not restart:
// phase Failed, no container ready or started.
describe("container group -> pod status: a stopped group", () => {
  it("is Failed, its containers terminated with ACI's detail, none ready", () => {
    const stopped: ArmContainerInstanceView = { restartCount: 0, currentState: { state: "Terminated", exitCode: 0, detailStatus: "Stopped", startTime: started, finishTime: "2026-11-24T11:59:50Z" } };
    const status = containerGroupToPodStatus(group("Succeeded", "Stopped", stopped, "20.1.2.3"), pod, now);
    assert.equal(status.phase, "Failed");
    assert.deepEqual(status.containerStatuses![0]!.state, { terminated: { exitCode: 0, reason: "Completed", message: "Stopped", startedAt: new Date(started), finishedAt: new Date("2026-11-24T11:59:50Z") } });
    assert.deepEqual([status.containerStatuses![0]!.ready, status.containerStatuses![0]!.started], [false, false]);
    assert.equal(conditionOf(status, "Ready").status, "False");
    assert.equal(conditionOf(status, "ContainersReady").status, "False");
  });
});
