// Which pod status is new enough to write. Every reconcile tick computes a status for each pod it reads:
// writing one that says nothing new would cost an API server write (and a watch event to every watcher)
// per pod per tick. The API server keeps times to the second (metav1.Time is RFC 3339 without fractions),
// so a time read back differs from a computed one in its milliseconds only and must not count.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1PodStatus } from "@kubernetes/client-node";
import { statusChanged } from "../../../shared/controller/pod-sync.js";

const t0 = new Date("2026-11-25T10:00:00Z");
const running: V1PodStatus = {
  phase: "Running",
  podIP: "10.0.0.4",
  conditions: [{ type: "Ready", status: "True", lastProbeTime: t0, lastTransitionTime: t0 }],
  containerStatuses: [{ name: "app", image: "nginx", imageID: "", ready: true, restartCount: 0, state: { running: { startedAt: t0 } } }],
  initContainerStatuses: [{ name: "init", image: "busybox", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: t0 } } }],
};
const app = running.containerStatuses![0]!;
const withApp = (change: Partial<typeof app>): V1PodStatus => ({ ...running, containerStatuses: [{ ...app, ...change }] });

describe("a pod status worth writing", () => {
  const cases: { description: string; before: V1PodStatus | undefined; after: V1PodStatus; changed: boolean }[] = [
    { description: "the same status", before: running, after: structuredClone(running), changed: false },
    { description: "a pod with no status yet", before: undefined, after: { phase: "Pending" }, changed: true },
    { description: "another phase", before: running, after: { ...running, phase: "Succeeded" }, changed: true },
    { description: "a reason given", before: running, after: { ...running, reason: "ProviderFailed" }, changed: true },
    { description: "a reason cleared", before: { ...running, reason: "ProviderCreateFailed" }, after: running, changed: true },
    { description: "another message", before: { ...running, message: "a" }, after: { ...running, message: "b" }, changed: true },
    { description: "another pod IP", before: running, after: { ...running, podIP: "10.0.0.5" }, changed: true },
    {
      description: "Ready turned False",
      before: running,
      after: { ...running, conditions: [{ type: "Ready", status: "False", lastProbeTime: t0, lastTransitionTime: t0 }] },
      changed: true,
    },
    {
      description: "only a condition's probe time moved",
      before: running,
      after: { ...running, conditions: [{ type: "Ready", status: "True", lastProbeTime: new Date(t0.getTime() + 15_000), lastTransitionTime: t0 }] },
      changed: false,
    },
    {
      description: "a start time that differs in its milliseconds only (as read back from the API server)",
      before: running,
      after: withApp({ state: { running: { startedAt: new Date(t0.getTime() + 456) } } }),
      changed: false,
    },
    { description: "a start time a second later", before: running, after: withApp({ state: { running: { startedAt: new Date(t0.getTime() + 1000) } } }), changed: true },
    {
      description: "Ready turned False, another condition listed first (PodScheduled, as the API server keeps them)",
      before: { ...running, conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: t0 }, { type: "Ready", status: "True", lastTransitionTime: t0 }] },
      after: { ...running, conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: t0 }, { type: "Ready", status: "False", lastTransitionTime: t0 }] },
      changed: true,
    },
    {
      description: "a message that ends in a time differing in its milliseconds (text, not a time)",
      before: { ...running, message: "next attempt after 2026-11-25T10:00:15.123Z" },
      after: { ...running, message: "next attempt after 2026-11-25T10:00:15.456Z" },
      changed: true,
    },
    {
      description: "a termination message that begins with a time differing in its milliseconds (a log line, not a time)",
      before: withApp({ state: { terminated: { exitCode: 1, message: "2026-11-25T10:00:15.123Z fatal: no config" } } }),
      after: withApp({ state: { terminated: { exitCode: 1, message: "2026-11-25T10:00:15.456Z fatal: no config" } } }),
      changed: true,
    },
    { description: "a container restarted", before: running, after: withApp({ restartCount: 1 }), changed: true },
    { description: "a container no longer ready", before: running, after: withApp({ ready: false }), changed: true },
    { description: "a container's last state", before: running, after: withApp({ lastState: { terminated: { exitCode: 137 } } }), changed: true },
    {
      description: "a container that never ended, its empty last state read back from the API server ({}) and none computed",
      before: withApp({ lastState: {} }),
      after: running,
      changed: false,
    },
    {
      description: "a container waiting instead of running",
      before: running,
      after: withApp({ state: { waiting: { reason: "ErrImagePull", message: "not found" } } }),
      changed: true,
    },
    {
      description: "an init container running again",
      before: running,
      after: { ...running, initContainerStatuses: [{ ...running.initContainerStatuses![0]!, state: { running: { startedAt: t0 } } }] },
      changed: true,
    },
  ];
  for (const c of cases) {
    it(`${c.changed ? "is" : "is not"} written for ${c.description}`, () => {
      assert.equal(statusChanged(c.before, c.after), c.changed);
    });
  }
});
