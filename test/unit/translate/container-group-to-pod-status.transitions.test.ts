// Pod status details that follow from Kubernetes' and ARM's definitions, beyond the one-row-per-state table:
//   - ARM's provisioningState (Pending, Creating, Accepted, Repairing, Updating) says the group's containers
//     are still being (re)created: the pod is Pending, a container without a state ContainerCreating;
//   - a condition's lastTransitionTime is when its status last changed (kubernetes.io/docs/concepts/
//     workloads/pods/pod-lifecycle/#pod-conditions): kept while it holds, now when it flips;
//   - readiness is the current container's: a probe failure reported before its last start is history;
//   - an image that cannot be pulled shows as the kubelet's ErrImagePull with the registry's words, and a
//     failed provisioning as ACI's latest warning.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import type { ArmContainerInstanceView, ArmEvent } from "../../../shared/translate/arm-types.js";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";
import { observedGroup } from "./observed-groups.js";

const now = new Date("2026-11-24T12:00:00Z");
const earlier = new Date("2026-11-24T11:00:00Z");
const pod: V1Pod = {
  metadata: { name: "web", namespace: "shop", uid: "u" },
  spec: { containers: [{ name: "app", image: "app:1", readinessProbe: { httpGet: { path: "/", port: 80 } } }] },
};

function group(provisioningState: string, view?: ArmContainerInstanceView, groupState?: string, groupEvents: ArmEvent[] = []): ObservedContainerGroup {
  return observedGroup({ name: "g", provisioningState, containers: { app: view }, ...(groupState !== undefined && { groupState, groupEvents }) });
}
const warning = (message: string, at: string): ArmEvent => ({ name: "Failed", message, type: "Warning", count: 1, firstTimestamp: at, lastTimestamp: at });
const runningSince = (startTime: string, events: ArmEvent[] = []): ArmContainerInstanceView => ({ restartCount: 1, currentState: { state: "Running", startTime }, events });
const conditionOf = (pod: V1Pod, type: string) => pod.status!.conditions!.find((c) => c.type === type)!;

describe("pod status while ARM (re)creates the group", () => {
  for (const state of ["Pending", "Creating", "Accepted", "Repairing", "Updating"]) {
    it(`provisioningState ${state}: Pending, the container being created`, () => {
      const status = containerGroupToPodStatus(group(state), pod, now);
      assert.equal(status.phase, "Pending");
      assert.deepEqual(status.containerStatuses![0]!.state, { waiting: { reason: "ContainerCreating" } });
    });
    // The instance view may still show the containers as they were before the update or repair began.
    it(`provisioningState ${state}, though the last instance view shows the group running: Pending`, () => {
      assert.equal(containerGroupToPodStatus(group(state, runningSince("2026-11-24T11:59:00Z"), "Running"), pod, now).phase, "Pending");
    });
  }
  it("provisioningState Succeeded with a container that waits (no reason given): Waiting, not being created", () => {
    const status = containerGroupToPodStatus(group("Succeeded", { restartCount: 0, currentState: { state: "Waiting" } }, "Running"), pod, now);
    assert.deepEqual(status.containerStatuses![0]!.state, { waiting: { reason: "Waiting" } });
  });
});

describe("condition times", () => {
  it("a condition whose status flips gets now; one that holds keeps its time", () => {
    const before: V1Pod = {
      ...pod,
      status: {
        conditions: [
          { type: "Ready", status: "True", lastTransitionTime: earlier },
          { type: "PodScheduled", status: "True", lastTransitionTime: earlier },
        ],
      },
    };
    const after = { ...before, status: containerGroupToPodStatus(group("Succeeded", { restartCount: 0, currentState: { state: "Terminated", exitCode: 1 } }, "Running"), before, now) };
    assert.deepEqual(conditionOf(after, "Ready").lastTransitionTime, now);
    assert.deepEqual(conditionOf(after, "PodScheduled").lastTransitionTime, earlier);
  });

  it("an earlier time written as text (as the API server returns it) is kept as that time", () => {
    const before = { ...pod, status: { conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2026-11-24T11:00:00Z" as unknown as Date }] } };
    assert.deepEqual(conditionOf({ status: containerGroupToPodStatus(group("Creating"), before, now) }, "PodScheduled").lastTransitionTime, earlier);
  });
});

describe("readiness of the container as it runs now", () => {
  const cases: [string, ArmEvent[], boolean][] = [
    ["a probe failure after its last start: not ready", [{ ...warning("Readiness probe failed: HTTP 503", "2026-11-24T11:59:30Z"), name: "Unhealthy" }], false],
    ["a probe failure before its last start (the previous run's): ready", [{ ...warning("Readiness probe failed: HTTP 503", "2026-11-24T11:58:30Z"), name: "Unhealthy" }], true],
    ["a liveness failure (ACI kills and restarts the container) is no readiness failure", [{ ...warning("Liveness probe failed: HTTP 500", "2026-11-24T11:59:30Z"), name: "Killing" }], true],
  ];
  for (const [description, events, ready] of cases) {
    it(description, () => {
      const status = containerGroupToPodStatus(group("Succeeded", runningSince("2026-11-24T11:59:00Z", events), "Running"), pod, now);
      assert.equal(status.containerStatuses![0]!.ready, ready);
    });
  }
});

describe("why a container or the group failed, in ACI's words", () => {
  it("an image pull refused while the group is still being created: ErrImagePull with the registry's message", () => {
    const view = { restartCount: 0, currentState: { state: "Waiting" }, events: [{ name: "Pulling", message: 'pulling image "app:1"', type: "Normal" }, warning('Failed to pull image "app:1": unauthorized', "2026-11-24T11:59:10Z")] };
    assert.deepEqual(containerGroupToPodStatus(group("Creating", view), pod, now).containerStatuses![0]!.state, { waiting: { reason: "ErrImagePull", message: 'Failed to pull image "app:1": unauthorized' } });
  });

  it("a failed provisioning gives ACI's latest warning, the group's own included", () => {
    const view = { restartCount: 0, events: [warning("first warning", "2026-11-24T11:59:10Z")] };
    const status = containerGroupToPodStatus(group("Failed", view, "Pending", [warning("The container group provisioning failed: quota exceeded", "2026-11-24T11:59:20Z")]), pod, now);
    assert.deepEqual([status.phase, status.reason, status.message], ["Failed", "ProviderFailed", "The container group provisioning failed: quota exceeded"]);
  });

  it("a container killed for memory, and one ended with a detail of ACI's own: the kubelet's reasons, ACI's detail as the message", () => {
    const terminated = (exitCode: number, detailStatus: string) => containerGroupToPodStatus(group("Succeeded", { restartCount: 0, currentState: { state: "Terminated", exitCode, detailStatus } }, "Failed"), pod, now).containerStatuses![0]!.state!.terminated;
    assert.deepEqual(terminated(137, "OOMKilled"), { exitCode: 137, reason: "OOMKilled" });
    assert.deepEqual(terminated(143, "Killed by the platform"), { exitCode: 143, reason: "Error", message: "Killed by the platform" });
  });
});
