// Each container's status as a kubelet would report it (kubernetes.io/docs/concepts/workloads/pods/
// pod-lifecycle/#container-states and #container-probes), from what ACI's instance view says of it:
//   - a container without a readiness probe is ready while it runs, whatever events ACI reports;
//   - with one, a failure of it ("Readiness probe failed", or ACI's Unhealthy event) makes it unready;
//   - a waiting container gives ACI's reason (CrashLoopBackOff...), a failed pull the latest pull error;
//   - lastState holds the last termination only;
//   - the pod runs as soon as one of its containers does; it is Initialized once any container has
//     started or ended, and a pod the API server holds in an odd shape gives a status, never an exception.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import type { ArmContainerInstanceView, ArmEvent } from "../../../shared/translate/arm-types.js";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";

const now = new Date("2026-11-24T12:00:00Z");
const started = "2026-11-24T11:59:00Z";
const podWith = (container: Record<string, unknown>, extra: Partial<NonNullable<V1Pod["spec"]>> = {}): V1Pod => ({
  metadata: { name: "web", namespace: "shop", uid: "u" },
  spec: { containers: [{ name: "app", image: "app:1", ...container }], ...extra },
});
function group(view: ArmContainerInstanceView | undefined, groupState?: string, initView?: ArmContainerInstanceView): ObservedContainerGroup {
  return {
    name: "g",
    location: "westeurope",
    tags: {},
    properties: {
      osType: "Linux",
      restartPolicy: "Never",
      provisioningState: "Succeeded",
      containers: [{ name: "app", properties: { image: "app:1", resources: { requests: { cpu: 1, memoryInGB: 1.5 } }, ...(view !== undefined && { instanceView: view }) } }],
      ...(initView !== undefined && { initContainers: [{ name: "migrate", properties: { image: "m:1", instanceView: initView } }] }),
      ...(groupState !== undefined && { instanceView: { state: groupState, events: [] } }),
    },
  };
}
const event = (name: string, message: string | undefined, type: string, at = "2026-11-24T11:59:30Z"): ArmEvent => ({ name, ...(message !== undefined && { message }), type, count: 1, firstTimestamp: at, lastTimestamp: at });
const running = (events: ArmEvent[] = []): ArmContainerInstanceView => ({ restartCount: 0, currentState: { state: "Running", startTime: started }, events });
const statusOf = (pod: V1Pod, g: ObservedContainerGroup) => containerGroupToPodStatus(g, pod, now);

describe("readiness", () => {
  const probe = { readinessProbe: { httpGet: { path: "/", port: 80 } } };
  const cases: [string, Record<string, unknown>, ArmEvent[], boolean][] = [
    ["no readiness probe, though ACI reports an Unhealthy event (a liveness probe's): ready", {}, [event("Unhealthy", "Liveness probe failed: HTTP 500", "Warning")], true],
    ["a readiness probe the API server wrote as null (none): ready", { readinessProbe: null }, [event("Unhealthy", "Readiness probe failed: HTTP 503", "Warning")], true],
    ["a readiness probe that ACI says failed, in its message only: not ready", probe, [event("Warning", "Readiness probe failed: HTTP 503", "Warning")], false],
    ["a readiness probe and an event named Unhealthy, whatever its message: not ready", probe, [event("Unhealthy", "probe errored", "Warning")], false],
    ["a readiness probe and only ordinary events: ready", probe, [event("Started", "Started container", "Normal")], true],
  ];
  for (const [description, container, events, ready] of cases) {
    it(description, () => assert.equal(statusOf(podWith(container), group(running(events), "Running")).containerStatuses![0]!.ready, ready));
  }
  it("a readiness failure while ACI gives no start time: not ready", () => {
    const view = { restartCount: 0, currentState: { state: "Running" }, events: [event("Unhealthy", "Readiness probe failed", "Warning")] };
    assert.equal(statusOf(podWith({ readinessProbe: { exec: { command: ["true"] } } }), group(view, "Running")).containerStatuses![0]!.ready, false);
  });
});

describe("waiting and terminated containers", () => {
  it("waiting with ACI's reason: that reason", () => {
    const status = statusOf(podWith({}), group({ restartCount: 3, currentState: { state: "Waiting", detailStatus: "CrashLoopBackOff" } }, "Running"));
    assert.deepEqual(status.containerStatuses![0]!.state, { waiting: { reason: "CrashLoopBackOff" } });
  });

  it("two pull failures: ErrImagePull with the latest", () => {
    const events = [event("Failed", 'Failed to pull image "app:1": timeout', "Warning", "2026-11-24T11:59:10Z"), event("Failed", 'Failed to pull image "app:1": unauthorized', "Warning", "2026-11-24T11:59:20Z")];
    const status = statusOf(podWith({}), group({ restartCount: 0, currentState: { state: "Waiting" }, events }, "Pending"));
    assert.deepEqual(status.containerStatuses![0]!.state, { waiting: { reason: "ErrImagePull", message: 'Failed to pull image "app:1": unauthorized' } });
  });

  it("a terminated container with an empty detail: no message", () => {
    const status = statusOf(podWith({}), group({ restartCount: 0, currentState: { state: "Terminated", exitCode: 0, detailStatus: "" } }, "Succeeded"));
    assert.deepEqual(status.containerStatuses![0]!.state, { terminated: { exitCode: 0, reason: "Completed" } });
  });

  it("lastState only for a previous termination: a previous state that is not one is left out", () => {
    const view = { restartCount: 1, currentState: { state: "Running", startTime: started }, previousState: { state: "Waiting", detailStatus: "ContainerCreating" } };
    assert.equal(statusOf(podWith({}), group(view, "Running")).containerStatuses![0]!.lastState, undefined);
  });
});

describe("phase and Initialized from the containers", () => {
  it("a container that runs though ACI gives no group state: Running", () => {
    assert.equal(statusOf(podWith({}), group(running())).phase, "Running");
  });

  it("a container that ended shows the init containers done, even without their instanceView", () => {
    const pod = podWith({}, { initContainers: [{ name: "migrate", image: "m:1" }], restartPolicy: "Never" });
    const status = statusOf(pod, group({ restartCount: 0, currentState: { state: "Terminated", exitCode: 0 } }, "Succeeded", { restartCount: 0 }));
    assert.equal(status.conditions!.find((c) => c.type === "Initialized")!.status, "True");
  });

  it("a pod held in an odd shape (a container that is no object, one without an image): a status for the others", () => {
    const pod = { metadata: { name: "web" }, spec: { containers: [null, { name: "app" }, { image: "x" }] } } as unknown as V1Pod;
    const status = statusOf(pod, group(running(), "Running"));
    assert.deepEqual(status.containerStatuses!.map((s) => [s.name, s.image]), [["app", ""]]);
  });
});
