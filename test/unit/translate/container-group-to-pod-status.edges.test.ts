// Container group -> pod status at the edges the mutation run showed unguarded: several containers in
// different states, a failed init container under each restart policy, conditions that keep their own
// times, and ACI events without the fields they usually carry. Expected values are the kubelet's
// (pkg/kubelet/kubelet_pods.go getPhase and convertToAPIContainerStatuses; pkg/kubelet/status/generate.go;
// API conventions for lastTransitionTime), not what the code returns.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod, V1PodCondition } from "@kubernetes/client-node";
import type { ArmContainerInstanceView, ArmEvent } from "../../../shared/translate/arm-types.js";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";
import { observedGroup } from "./observed-groups.js";

const now = new Date("2026-11-24T12:00:00Z");
const started = "2026-11-24T11:59:00Z";
const running: ArmContainerInstanceView = { restartCount: 0, currentState: { state: "Running", startTime: started }, events: [] };
const waiting: ArmContainerInstanceView = { restartCount: 0, currentState: { state: "Waiting" }, events: [] };

function podOf(containers: string[], options: { initContainers?: string[]; restartPolicy?: "Always" | "OnFailure" | "Never"; readiness?: boolean; conditions?: V1PodCondition[] } = {}): V1Pod {
  return {
    metadata: { name: "web", namespace: "shop", uid: "u" },
    spec: {
      containers: containers.map((name) => ({ name, image: `${name}:1`, ...(options.readiness === true && { readinessProbe: { httpGet: { path: "/", port: 80 } } }) })),
      ...(options.initContainers !== undefined && { initContainers: options.initContainers.map((name) => ({ name, image: `${name}:1` })) }),
      restartPolicy: options.restartPolicy ?? "Always",
    },
    ...(options.conditions !== undefined && { status: { conditions: options.conditions } }),
  };
}

function groupOf(provisioningState: string, groupState: string | undefined, containers: Record<string, ArmContainerInstanceView | undefined>, options: { inits?: Record<string, ArmContainerInstanceView | undefined>; groupEvents?: ArmEvent[] } = {}): ObservedContainerGroup {
  return observedGroup({ provisioningState, groupState, containers, ...(options.inits !== undefined && { initContainers: options.inits }), ...(options.groupEvents !== undefined && { groupEvents: options.groupEvents }) });
}

const conditionOf = (conditions: V1PodCondition[] | undefined, type: string) => conditions?.find((c) => c.type === type);

describe("container group -> pod status, at the edges", () => {
  it("a pod is Running once one of its containers runs, while the group's own state is not known yet", () => {
    const status = containerGroupToPodStatus(groupOf("Succeeded", undefined, { app: running, sidecar: waiting }), podOf(["app", "sidecar"]), now);
    assert.equal(status.phase, "Running");
  });

  it("a pod whose group's state is not known and whose containers all wait is still Pending", () => {
    const status = containerGroupToPodStatus(groupOf("Succeeded", undefined, { app: waiting }), podOf(["app"]), now);
    assert.equal(status.phase, "Pending");
  });

  it("is Initialized once any container has started, even when ARM lists an init container without its view", () => {
    const status = containerGroupToPodStatus(groupOf("Succeeded", "Running", { app: running, sidecar: waiting }, { inits: { migrate: undefined } }), podOf(["app", "sidecar"], { initContainers: ["migrate"] }), now);
    assert.equal(conditionOf(status.conditions, "Initialized")?.status, "True");
  });

  it("a failed init container fails the pod only under restartPolicy Never; otherwise it stays Pending (getPhase)", () => {
    const failedInit: ArmContainerInstanceView = { restartCount: 0, currentState: { state: "Terminated", exitCode: 1, startTime: started, finishTime: started }, events: [] };
    for (const [restartPolicy, phase] of [["Never", "Failed"], ["OnFailure", "Pending"], ["Always", "Pending"]] as const) {
      const status = containerGroupToPodStatus(groupOf("Succeeded", "Running", { app: undefined }, { inits: { migrate: failedInit } }), podOf(["app"], { initContainers: ["migrate"], restartPolicy }), now);
      assert.equal(status.phase, phase, restartPolicy);
    }
  });

  it("a Failed pod is not Ready, even while ARM still shows its container running", () => {
    const status = containerGroupToPodStatus(groupOf("Failed", "Running", { app: running }), podOf(["app"]), now);
    assert.equal(status.phase, "Failed");
    assert.equal(conditionOf(status.conditions, "ContainersReady")?.status, "True");
    assert.equal(conditionOf(status.conditions, "Ready")?.status, "False");
  });

  it("each condition keeps its own lastTransitionTime, and a malformed previous condition is skipped", () => {
    const t0 = new Date("2026-11-24T10:00:00Z");
    const t1 = new Date("2026-11-24T11:00:00Z");
    const previous = [null, { type: "PodScheduled", status: "True", lastTransitionTime: t0 }, { type: "ContainersReady", status: "True", lastTransitionTime: t1 }] as unknown as V1PodCondition[];
    const status = containerGroupToPodStatus(groupOf("Succeeded", "Running", { app: running }), podOf(["app"], { conditions: previous }), now);
    assert.deepEqual(conditionOf(status.conditions, "PodScheduled")?.lastTransitionTime, t0);
    assert.deepEqual(conditionOf(status.conditions, "ContainersReady")?.lastTransitionTime, t1);
    // Ready had no earlier condition: it changed now.
    assert.deepEqual(conditionOf(status.conditions, "Ready")?.lastTransitionTime, now);
  });

  it("an image pull warning without a message still says the image could not be pulled", () => {
    const view: ArmContainerInstanceView = { restartCount: 0, currentState: { state: "Waiting" }, events: [{ name: "Failed to pull image", type: "Warning" }] };
    const status = containerGroupToPodStatus(groupOf("Creating", "Pending", { app: view }), podOf(["app"]), now);
    assert.deepEqual(status.containerStatuses?.[0]?.state, { waiting: { reason: "ErrImagePull", message: "the image could not be pulled" } });
  });

  it("a failed provisioning says ACI's latest warning, not a later normal event", () => {
    const groupEvents: ArmEvent[] = [
      { name: "Failed", type: "Warning", message: "The subnet is full" },
      { name: "Pulled", type: "Normal", message: "Successfully pulled image" },
    ];
    const status = containerGroupToPodStatus(groupOf("Failed", "Failed", { app: undefined }, { groupEvents }), podOf(["app"]), now);
    assert.equal(status.message, "The subnet is full");
  });

  it("a readiness probe failure reported at the very moment the container started counts against it", () => {
    const view: ArmContainerInstanceView = { ...running, events: [{ name: "Unhealthy", type: "Warning", message: "Readiness probe failed: HTTP 503", lastTimestamp: started }] };
    const status = containerGroupToPodStatus(groupOf("Succeeded", "Running", { app: view }), podOf(["app"], { readiness: true }), now);
    assert.equal(status.containerStatuses?.[0]?.ready, false);
  });

  it("a waiting container that has restarted is in CrashLoopBackOff, even when ARM leaves out the run that ended", () => {
    const view: ArmContainerInstanceView = { restartCount: 2, currentState: { state: "Waiting" }, events: [] };
    const status = containerGroupToPodStatus(groupOf("Succeeded", "Running", { app: view }), podOf(["app"]), now);
    assert.deepEqual(status.containerStatuses?.[0]?.state, { waiting: { reason: "CrashLoopBackOff" } });
  });

  it("a waiting container that never restarted is not backing off", () => {
    const view: ArmContainerInstanceView = { restartCount: 0, currentState: { state: "Waiting" }, previousState: { state: "Terminated", exitCode: 1 }, events: [] };
    const status = containerGroupToPodStatus(groupOf("Succeeded", "Running", { app: view }), podOf(["app"]), now);
    assert.deepEqual(status.containerStatuses?.[0]?.state, { waiting: { reason: "Waiting" } });
  });
});
