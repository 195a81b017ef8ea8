// A Spot group's eviction, read from its GET, and the pod's status then: as a kubelet's evicted pod
// (pkg/kubelet/eviction/eviction_manager.go: phase Failed, reason Evicted, the DisruptionTarget condition).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1PodStatus } from "@kubernetes/client-node";
import { evictedPodStatus, isEvicted, spotEvictionOf } from "../../../shared/translate/spot-eviction.js";

const evictedEvent = { count: 1, firstTimestamp: "2026-11-26T05:00:00Z", lastTimestamp: "2026-11-26T05:00:00Z", name: "Evicted", message: "The Spot container group was evicted.", type: "Warning" };
const group = (priority: unknown, events: unknown[], containerEvents: unknown[] = []) => ({
  name: "shop-web-0123456789abcdef",
  properties: {
    priority,
    provisioningState: "Succeeded",
    containers: [{ name: "app", properties: { instanceView: { restartCount: 1, currentState: { state: "Running", startTime: "2026-11-26T05:00:00Z" }, events: containerEvents } } }],
    instanceView: { state: "Running", events },
  },
});

describe("reading a Spot group's eviction from its GET", () => {
  const cases: [string, unknown, ReturnType<typeof spotEvictionOf>][] = [
    ["a Spot group with an eviction event", group("Spot", [evictedEvent]), { detail: "The Spot container group was evicted.", at: new Date("2026-11-26T05:00:00Z") }],
    ["the event on a container only", group("Spot", [], [{ name: "Killing", message: "Killing container: the Spot container group is evicted", type: "Warning" }]), { detail: "Killing container: the Spot container group is evicted" }],
    ["a Spot group without one", group("Spot", [{ name: "Started", message: "Started container", type: "Normal" }]), undefined],
    ["a Regular group never is (its moves are repairs)", group("Regular", [evictedEvent]), undefined],
    ["no priority: Regular", group(undefined, [evictedEvent]), undefined],
    ["an answer of the wrong shape", { properties: { priority: "Spot", instanceView: { events: "evicted" } } }, undefined],
    ["nothing", null, undefined],
  ];
  for (const [description, answer, expected] of cases) {
    it(description, () => assert.deepEqual(spotEvictionOf(answer), expected));
  }
});

describe("an evicted pod's status", () => {
  const now = new Date("2026-11-26T05:00:05Z");
  const running: V1PodStatus = {
    phase: "Running",
    podIP: "10.0.0.4",
    conditions: [
      { type: "PodScheduled", status: "True", lastTransitionTime: new Date("2026-11-26T04:00:00Z") },
      { type: "Ready", status: "True", lastTransitionTime: new Date("2026-11-26T04:00:10Z") },
      { type: "ContainersReady", status: "True", lastTransitionTime: new Date("2026-11-26T04:00:10Z") },
    ],
    containerStatuses: [
      { name: "app", image: "web:1", imageID: "web:1", ready: true, started: true, restartCount: 0, state: { running: { startedAt: new Date("2026-11-26T04:00:09Z") } } },
      { name: "job", image: "job:1", imageID: "job:1", ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
    ],
  };
  const status = evictedPodStatus(running, { detail: "The Spot container group was evicted.", at: new Date("2026-11-26T05:00:00Z") }, now);
  const message = "ACI evicted the pod's Spot container group (Azure needed the capacity back): The Spot container group was evicted.";

  it("is Failed with the kubelet's reason, and says why", () => {
    assert.equal(status.phase, "Failed");
    assert.equal(status.reason, "Evicted");
    assert.equal(status.message, message);
    assert.ok(isEvicted({ status }));
    assert.ok(!isEvicted({ status: running }));
  });

  it("carries the kubelet's DisruptionTarget condition, and is no longer ready", () => {
    assert.deepEqual(status.conditions?.find((c) => c.type === "DisruptionTarget"), { type: "DisruptionTarget", status: "True", lastTransitionTime: now, reason: "TerminationByKubelet", message });
    for (const type of ["Ready", "ContainersReady"]) {
      assert.deepEqual(status.conditions?.find((c) => c.type === type), { type, status: "False", lastTransitionTime: now, reason: "ContainersNotReady", message: "containers with unready status: [app job]" });
    }
  });

  it("shows a running container killed (137), and a finished one as it ended", () => {
    assert.deepEqual(status.containerStatuses?.map((c) => [c.name, c.ready, c.state]), [
      ["app", false, { terminated: { exitCode: 137, reason: "Error", message, startedAt: new Date("2026-11-26T04:00:09Z"), finishedAt: new Date("2026-11-26T05:00:00Z") } }],
      ["job", false, { terminated: { exitCode: 0, reason: "Completed" } }],
    ]);
  });
});
