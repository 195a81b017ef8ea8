// Properties of containerGroupToPodStatus over any answer ARM could give to a GET of the group: states and
// events as ACI documents them, in any combination, and any field missing, null or of another type. The
// status must be one the API server accepts and that keeps Kubernetes' rules
// (kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/, init-containers/):
//
//   - phase is one of Pending, Running, Succeeded, Failed, Unknown;
//   - one containerStatus per container of the pod, by name and in order, one initContainerStatus per
//     init container (none listed for a pod without);
//   - each container in exactly one state (waiting, running or terminated); ready only when running (a
//     container) or exited 0 (an init container); started only when running; restartCount a non-negative
//     32-bit integer, an exit code a 32-bit integer;
//   - conditions PodScheduled, Initialized, ContainersReady and Ready, once each, True or False, each with
//     a valid time; ContainersReady exactly when every container is ready; Ready only then and while the pod
//     runs; Initialized exactly when every init container exited 0 or a container started, and never
//     Running before it;
//   - podIP an IP address, repeated as podIPs[0]; every time a valid one.
//
// A failure prints fast-check's seed and path; PROPERTY_SEED=<seed> PROPERTY_PATH=<path> replays it.
import assert from "node:assert/strict";
import { isIP } from "node:net";
import { describe, it } from "node:test";
import type { V1ContainerStatus, V1Pod, V1PodStatus } from "@kubernetes/client-node";
import fc from "fast-check";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";
import { propertyOptions } from "../../support/property-options.js";
import { observedGroups, observedPod } from "./realistic-pods.js";

const now = new Date("2026-11-24T12:00:00Z");
const phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

/** Mostly what ARM documents; now and then anything at all, as a broken or changed API could send. */
const or = <T>(documented: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: documented, weight: 9 }, { arbitrary: fc.anything(), weight: 1 });

const time = or(fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2026-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()));
const containerState = fc.record(
  {
    state: or(fc.constantFrom("Waiting", "Running", "Terminated")),
    startTime: time,
    finishTime: time,
    // Beyond 32 bits too: a container status holds an int32.
    exitCode: or(fc.oneof(fc.constantFrom(0, 1, 137, 143), fc.integer(), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53))),
    detailStatus: or(fc.constantFrom("", "Completed", "Error", "OOMKilled", "CrashLoopBackOff", "ErrImagePull", "Stopped")),
  },
  { requiredKeys: [] },
);
const event = fc.record(
  {
    name: or(fc.constantFrom("Pulling", "Pulled", "Created", "Started", "Failed", "Killing", "Unhealthy")),
    message: or(fc.constantFrom('pulling image "app:1"', 'Failed to pull image "app:1"', "Readiness probe failed: HTTP 503", "Started container")),
    type: or(fc.constantFrom("Normal", "Warning")),
    count: or(fc.nat()),
    firstTimestamp: time,
    lastTimestamp: time,
  },
  { requiredKeys: [] },
);
const instanceView = fc.record({ restartCount: or(fc.oneof(fc.nat(5), fc.constant(2 ** 31))), currentState: or(containerState), previousState: or(containerState), events: or(fc.array(or(event), { maxLength: 3 })) }, { requiredKeys: [] });
const container = (name: fc.Arbitrary<string>) => fc.record({ name: or(name), properties: or(fc.record({ image: fc.constant("app:1"), instanceView: or(instanceView) }, { requiredKeys: ["image"] })) }, { requiredKeys: [] });

const containerName = fc.constantFrom("app", "sidecar", "proxy");
const initName = fc.constantFrom("migrate", "seed");

/** A group as a GET returns it (its containers named as the pod's, mostly). */
const answer = fc.oneof(
  { weight: 19, arbitrary: fc.record(
    {
      name: or(fc.constant("shop-web-0123456789abcdef")),
      properties: or(
        fc.record(
          {
            provisioningState: or(fc.constantFrom("Pending", "Creating", "Accepted", "Repairing", "Updating", "Succeeded", "Failed", "Canceled", "Deleting")),
            containers: or(fc.array(or(container(containerName)), { maxLength: 4 })),
            initContainers: or(fc.array(or(container(initName)), { maxLength: 3 })),
            instanceView: or(fc.record({ state: or(fc.constantFrom("Pending", "Running", "Succeeded", "Failed", "Stopped")), events: or(fc.array(or(event), { maxLength: 2 })) }, { requiredKeys: [] })),
            ipAddress: or(fc.record({ ip: or(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant("999.1.1.1"))), type: fc.constant("Public") }, { requiredKeys: [] })),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ) },
  { weight: 1, arbitrary: fc.anything() },
);

/** The pod as the API server holds it: distinct container names, maybe init containers, readiness probes, and an earlier status. */
const pod: fc.Arbitrary<V1Pod> = fc.record({
  metadata: fc.constant({ name: "web", namespace: "shop", uid: "u" }),
  spec: fc.record(
    {
      containers: fc.uniqueArray(fc.record({ name: containerName, image: fc.constant("app:1"), readinessProbe: fc.constant({ httpGet: { path: "/", port: 80 } }) }, { requiredKeys: ["name", "image"] }), { minLength: 1, maxLength: 3, selector: (c) => c.name }),
      initContainers: fc.uniqueArray(fc.record({ name: initName, image: fc.constant("migrate:1") }), { maxLength: 2, selector: (c) => c.name }),
      restartPolicy: fc.constantFrom("Always", "OnFailure", "Never"),
    },
    { requiredKeys: ["containers"] },
  ),
  status: fc.record(
    {
      startTime: fc.constant(new Date("2026-11-24T11:00:00Z")),
      conditions: fc.array(fc.record({ type: fc.constantFrom("Ready", "Initialized", "ContainersReady", "PodScheduled"), status: fc.constantFrom("True", "False"), lastTransitionTime: fc.constant(new Date("2026-11-24T11:30:00Z")) })),
    },
    { requiredKeys: [] },
  ),
}, { requiredKeys: ["metadata", "spec"] });

const validTime = (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime());
const isInt32 = (value: unknown) => Number.isInteger(value) && Math.abs(value as number) < 2 ** 31;

function checkContainer(status: V1ContainerStatus, init: boolean): void {
  const states = Object.entries(status.state ?? {}).filter(([, v]) => v !== undefined);
  assert.equal(states.length, 1, `${status.name} is in ${states.length} states`);
  const { waiting, running, terminated } = status.state!;
  if (init) assert.equal(status.ready, terminated?.exitCode === 0, `init container ${status.name}: ready ${status.ready}`);
  else if (status.ready) assert.ok(running !== undefined, `${status.name} is ready but not running`);
  assert.equal(status.started, running !== undefined, `${status.name}: started ${status.started}`);
  assert.ok(isInt32(status.restartCount) && status.restartCount >= 0, `${status.name}: restartCount ${status.restartCount}`);
  if (terminated !== undefined) assert.ok(isInt32(terminated.exitCode), `${status.name}: exit code ${terminated.exitCode}`);
  if (waiting !== undefined) assert.equal(typeof waiting.reason, "string");
  for (const t of [running?.startedAt, terminated?.startedAt, terminated?.finishedAt]) if (t !== undefined) assert.ok(validTime(t), `${status.name}: an invalid time`);
  for (const s of [status.lastState?.terminated?.exitCode]) if (s !== undefined) assert.ok(isInt32(s));
}

function checkStatus(status: V1PodStatus, pod: V1Pod): void {
  assert.doesNotThrow(() => JSON.stringify(status));
  assert.ok(phases.includes(status.phase!), `phase ${status.phase}`);
  assert.deepEqual(status.containerStatuses?.map((s) => s.name), pod.spec!.containers.map((c) => c.name));
  const inits = pod.spec!.initContainers ?? [];
  assert.deepEqual(status.initContainerStatuses?.map((s) => s.name), inits.length > 0 ? inits.map((c) => c.name) : undefined);
  for (const s of status.containerStatuses) checkContainer(s, false);
  for (const s of status.initContainerStatuses ?? []) checkContainer(s, true);

  const conditions = status.conditions ?? [];
  assert.deepEqual(conditions.map((c) => c.type).sort(), ["ContainersReady", "Initialized", "PodScheduled", "Ready"]);
  for (const c of conditions) {
    assert.ok(c.status === "True" || c.status === "False", `${c.type} is ${c.status}`);
    assert.ok(validTime(c.lastTransitionTime), `${c.type} has an invalid time`);
  }
  const holds = (type: string) => conditions.find((c) => c.type === type)!.status === "True";
  assert.equal(holds("ContainersReady"), status.containerStatuses.every((s) => s.ready), "ContainersReady");
  if (holds("Ready")) assert.ok(holds("ContainersReady") && status.phase === "Running", `Ready while ${status.phase}`);
  const initsDone = (status.initContainerStatuses ?? []).every((s) => s.state?.terminated?.exitCode === 0);
  const started = status.containerStatuses.some((s) => s.state?.running !== undefined || s.state?.terminated !== undefined);
  if (holds("Initialized")) assert.ok(initsDone || started, "Initialized with an init container not done and no container started");
  else {
    assert.ok(!initsDone, "not Initialized though every init container exited 0");
    assert.notEqual(status.phase, "Running", "Running before it is Initialized");
  }

  if (status.podIP !== undefined) {
    assert.ok(isIP(status.podIP) !== 0, `podIP ${status.podIP}`);
    assert.deepEqual(status.podIPs, [{ ip: status.podIP }]);
  }
  assert.ok(validTime(status.startTime), "startTime");
}

describe("containerGroupToPodStatus, for any answer ARM gives", () => {
  it("gives a status the API server accepts and that keeps Kubernetes' rules, never an exception", () => {
    fc.assert(
      // The real service's recorded answers (realistic-pods.ts), with the pod they belong to, are drawn too.
      fc.property(fc.oneof(answer, fc.constantFrom(...observedGroups())), fc.oneof(pod, fc.constant(observedPod())), (group, p) => checkStatus(containerGroupToPodStatus(group as ObservedContainerGroup, p, now), p)),
      propertyOptions({ numRuns: 200 }),
    );
  });
});
