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

  // Final only as the kubelet writes an eviction: phase Failed and reason Evicted together.
  const evictions: [string, V1PodStatus, boolean][] = [
    ["Failed, Evicted", { phase: "Failed", reason: "Evicted" }, true],
    ["Failed for another reason (activeDeadlineSeconds)", { phase: "Failed", reason: "DeadlineExceeded" }, false],
    ["reason Evicted without phase Failed", { phase: "Running", reason: "Evicted" }, false],
    ["no status yet", {}, false],
  ];
  for (const [description, podStatus, evicted] of evictions) {
    it(`an eviction already said: ${description}`, () => assert.equal(isEvicted({ status: podStatus }), evicted));
  }

  it("carries the kubelet's DisruptionTarget condition, and is no longer ready", () => {
    assert.deepEqual(status.conditions?.find((c) => c.type === "DisruptionTarget"), { type: "DisruptionTarget", status: "True", lastTransitionTime: now, reason: "TerminationByKubelet", message });
    for (const type of ["Ready", "ContainersReady"]) {
      assert.deepEqual(status.conditions?.find((c) => c.type === type), { type, status: "False", lastTransitionTime: now, reason: "ContainersNotReady", message: "containers with unready status: [app job]" });
    }
    // The pod was scheduled all the same: that condition stays as it was.
    assert.deepEqual(status.conditions?.find((c) => c.type === "PodScheduled"), running.conditions![0]);
  });

  it("keeps a condition already False as it was: its lastTransitionTime is when it last changed", () => {
    const notReadyYet = { type: "Ready", status: "False", lastTransitionTime: new Date("2026-11-26T04:30:00Z"), reason: "ContainersNotReady", message: "containers with unready status: [app]" };
    const conditions = [running.conditions![0]!, notReadyYet, { ...notReadyYet, type: "ContainersReady" }];
    const evicted = evictedPodStatus({ ...running, conditions }, { detail: "The Spot container group was evicted." }, now);
    assert.deepEqual(evicted.conditions?.slice(0, 3), conditions);
  });

  it("shows a running container killed (137), and a finished one as it ended; neither is ready or started", () => {
    assert.deepEqual(status.containerStatuses?.map((c) => [c.name, c.ready, c.started, c.state]), [
      ["app", false, false, { terminated: { exitCode: 137, reason: "Error", message, startedAt: new Date("2026-11-26T04:00:09Z"), finishedAt: new Date("2026-11-26T05:00:00Z") } }],
      ["job", false, false, { terminated: { exitCode: 0, reason: "Completed" } }],
    ]);
  });

  it("gives a container that never started no start time, and ends it when ACI said (else now)", () => {
    const waiting: V1PodStatus = { phase: "Pending", containerStatuses: [{ name: "app", image: "web:1", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] };
    const evicted = evictedPodStatus(waiting, { detail: "The Spot container group was evicted." }, now);
    assert.deepEqual(evicted.containerStatuses?.[0]?.state, { terminated: { exitCode: 137, reason: "Error", message, finishedAt: now } });
  });
});
