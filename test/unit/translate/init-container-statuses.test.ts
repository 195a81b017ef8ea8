// Init containers as a kubelet shows them, one row per moment of a pod's initialization as ACI reports
// it (the REST spec's InitContainerPropertiesDefinition.instanceView; learn.microsoft.com/azure/
// container-instances/container-state: the group Pending and the provisioning Creating while init
// containers run). Expected values are the kubelet's:
//   - pkg/kubelet/kubelet_pods.go (convertToAPIContainerStatuses): in a pod with init containers a
//     container not created yet waits with reason PodInitializing (ContainerCreating otherwise); one that
//     crashed and waits to start again, CrashLoopBackOff; getPhase: Pending until every init container has
//     exited 0, Failed when one failed and restartPolicy is Never;
//   - pkg/kubelet/status/generate.go (GeneratePodInitializedCondition): Initialized False, reason
//     ContainersNotInitialized, message "containers with incomplete status: [a b]";
//   - and the STATUS column kubectl prints from them (kubectl-status.ts): Init:0/1, PodInitializing,
//     Init:Error, Init:CrashLoopBackOff.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ContainerState, V1Pod } from "@kubernetes/client-node";
import type { ArmContainerInstanceView, ArmEvent } from "../../../shared/translate/arm-types.js";
import { containerGroupToPodStatus, type ObservedContainerGroup } from "../../../shared/translate/container-group-to-pod-status.js";
import { observedGroup } from "./observed-groups.js";
import { kubectlStatus } from "./kubectl-status.js";

const now = new Date("2026-11-24T12:00:00Z");
const t0 = "2026-11-24T11:58:00Z";
const t1 = "2026-11-24T11:59:00Z";

type RestartPolicy = "Always" | "OnFailure" | "Never";

function podWith(initNames: string[], restartPolicy: RestartPolicy): V1Pod {
  return {
    metadata: { name: "web", namespace: "shop", uid: "u" },
    spec: { initContainers: initNames.map((name) => ({ name, image: `${name}:1` })), containers: [{ name: "app", image: "app:1" }], restartPolicy },
  };
}

/** The group a GET returns: init containers and the container with the instanceViews given (none if undefined). */
function groupOf(provisioningState: string, groupState: string, inits: Record<string, ArmContainerInstanceView | undefined>, app: ArmContainerInstanceView | undefined, restartPolicy: RestartPolicy): ObservedContainerGroup {
  return observedGroup({ provisioningState, groupState, initContainers: inits, containers: { app }, restartPolicy });
}

const waiting = (restartCount = 0, previous?: ArmContainerInstanceView["previousState"]): ArmContainerInstanceView => ({ restartCount, currentState: { state: "Waiting", detailStatus: "" }, ...(previous && { previousState: previous }) });
const running = (restartCount = 0, previous?: ArmContainerInstanceView["previousState"]): ArmContainerInstanceView => ({ restartCount, currentState: { state: "Running", startTime: t1, detailStatus: "" }, ...(previous && { previousState: previous }) });
const exited = (exitCode: number, detailStatus = exitCode === 0 ? "Completed" : "Error"): ArmContainerInstanceView["currentState"] => ({ state: "Terminated", exitCode, detailStatus, startTime: t0, finishTime: t1 });
const ended = (exitCode: number, detailStatus?: string): ArmContainerInstanceView => ({ restartCount: 0, currentState: exited(exitCode, detailStatus) });
const pullFailed = (image: string): ArmEvent => ({ name: "Failed", message: `Failed to pull image "${image}": not found`, type: "Warning", count: 1, firstTimestamp: t1, lastTimestamp: t1 });

const runningState: V1ContainerState = { running: { startedAt: new Date(t1) } };
const initializing: V1ContainerState = { waiting: { reason: "PodInitializing" } };
const terminatedState = (exitCode: number, reason: string): V1ContainerState => ({ terminated: { exitCode, reason, startedAt: new Date(t0), finishedAt: new Date(t1) } });

interface Row {
  readonly description: string;
  readonly restartPolicy: RestartPolicy;
  readonly provisioningState: string;
  readonly groupState: string;
  readonly inits: Record<string, ArmContainerInstanceView | undefined>;
  readonly app?: ArmContainerInstanceView;
  readonly phase: string;
  /** Initialized: true, or the init containers the kubelet names as incomplete. */
  readonly initialized: true | string[];
  readonly initStates: V1ContainerState[];
  readonly appState: V1ContainerState;
  readonly kubectl: string;
  /** The pod's own reason and message (a failed provisioning's, in ACI's words). */
  readonly reason?: string;
  readonly message?: string;
}

const rows: Row[] = [
  {
    description: "the group just created, nothing reported yet: every container waits PodInitializing",
    restartPolicy: "Always",
    provisioningState: "Pending",
    groupState: "Pending",
    inits: { migrate: undefined },
    phase: "Pending",
    initialized: ["migrate"],
    initStates: [initializing],
    appState: initializing,
    kubectl: "Init:0/1",
  },
  {
    description: "the init container runs (provisioning Creating, group Pending): Pending, the container waits for it",
    restartPolicy: "Always",
    provisioningState: "Creating",
    groupState: "Pending",
    inits: { migrate: running() },
    app: waiting(),
    phase: "Pending",
    initialized: ["migrate"],
    initStates: [runningState],
    appState: initializing,
    kubectl: "Init:0/1",
  },
  {
    description: "the first of two runs, the second waits for it: both incomplete",
    restartPolicy: "Always",
    provisioningState: "Creating",
    groupState: "Pending",
    inits: { migrate: running(), seed: waiting() },
    app: waiting(),
    phase: "Pending",
    initialized: ["migrate", "seed"],
    initStates: [runningState, initializing],
    appState: initializing,
    kubectl: "Init:0/2",
  },
  {
    description: "the first of two completed, the second runs",
    restartPolicy: "Always",
    provisioningState: "Creating",
    groupState: "Pending",
    inits: { migrate: ended(0), seed: running() },
    app: waiting(),
    phase: "Pending",
    initialized: ["seed"],
    initStates: [terminatedState(0, "Completed"), runningState],
    appState: initializing,
    kubectl: "Init:1/2",
  },
  {
    description: "every init container completed, the container not created yet: Initialized, the kubelet's PodInitializing",
    restartPolicy: "Always",
    provisioningState: "Creating",
    groupState: "Pending",
    inits: { migrate: ended(0) },
    app: waiting(),
    phase: "Pending",
    initialized: true,
    initStates: [terminatedState(0, "Completed")],
    appState: initializing,
    kubectl: "PodInitializing",
  },
  {
    description: "every init container completed and the container runs: Running",
    restartPolicy: "Always",
    provisioningState: "Succeeded",
    groupState: "Running",
    inits: { migrate: ended(0) },
    app: running(),
    phase: "Running",
    initialized: true,
    initStates: [terminatedState(0, "Completed")],
    appState: runningState,
    kubectl: "Running",
  },
  {
    description: "the init container failed under Never (provisioning and group Failed): Failed with no reason of the pod's own, Init:Error",
    restartPolicy: "Never",
    provisioningState: "Failed",
    groupState: "Failed",
    inits: { migrate: ended(1) },
    phase: "Failed",
    initialized: ["migrate"],
    initStates: [terminatedState(1, "Error")],
    appState: initializing,
    kubectl: "Init:Error",
  },
  {
    description: "the init container failed under Never while ARM still says Creating: Failed, as the kubelet decides it",
    restartPolicy: "Never",
    provisioningState: "Creating",
    groupState: "Pending",
    inits: { migrate: ended(2) },
    app: waiting(),
    phase: "Failed",
    initialized: ["migrate"],
    initStates: [terminatedState(2, "Error")],
    appState: initializing,
    kubectl: "Init:Error",
  },
  {
    description: "the init container OOM-killed under Never: Init:OOMKilled",
    restartPolicy: "Never",
    provisioningState: "Failed",
    groupState: "Failed",
    inits: { migrate: ended(137, "OOMKilled") },
    phase: "Failed",
    initialized: ["migrate"],
    initStates: [terminatedState(137, "OOMKilled")],
    appState: initializing,
    kubectl: "Init:OOMKilled",
  },
  {
    description: "the init container failed and runs again (OnFailure): Pending, counted, its last state Error",
    restartPolicy: "OnFailure",
    provisioningState: "Creating",
    groupState: "Pending",
    inits: { migrate: running(1, exited(1)) },
    app: waiting(),
    phase: "Pending",
    initialized: ["migrate"],
    initStates: [runningState],
    appState: initializing,
    kubectl: "Init:0/1",
  },
  {
    description: "the init container failed and waits to run again (Always): CrashLoopBackOff",
    restartPolicy: "Always",
    provisioningState: "Creating",
    groupState: "Pending",
    inits: { migrate: waiting(2, exited(1)) },
    app: waiting(),
    phase: "Pending",
    initialized: ["migrate"],
    initStates: [{ waiting: { reason: "CrashLoopBackOff" } }],
    appState: initializing,
    kubectl: "Init:CrashLoopBackOff",
  },
  {
    description: "the init container's image cannot be pulled: ErrImagePull, and the group's failure in ACI's words",
    restartPolicy: "Always",
    provisioningState: "Failed",
    groupState: "Failed",
    inits: { migrate: { restartCount: 0, currentState: { state: "Waiting", detailStatus: "ErrImagePull" }, events: [pullFailed("migrate:1")] } },
    app: { restartCount: 0, currentState: { state: "Waiting", detailStatus: "ErrImagePull" } },
    phase: "Failed",
    reason: "ProviderFailed",
    message: 'Failed to pull image "migrate:1": not found',
    initialized: ["migrate"],
    initStates: [{ waiting: { reason: "ErrImagePull", message: 'Failed to pull image "migrate:1": not found' } }],
    appState: initializing,
    kubectl: "Init:ErrImagePull",
  },
];

describe("container group -> pod status: init containers as a kubelet shows them", () => {
  for (const row of rows) {
    it(`${row.description} (kubectl: ${row.kubectl})`, () => {
      const pod = podWith(Object.keys(row.inits), row.restartPolicy);
      const status = containerGroupToPodStatus(groupOf(row.provisioningState, row.groupState, row.inits, row.app, row.restartPolicy), pod, now);
      assert.equal(status.phase, row.phase);
      assert.equal(status.reason, row.reason);
      assert.equal(status.message, row.message);
      const initializedCondition = status.conditions!.find((c) => c.type === "Initialized")!;
      const expected =
        row.initialized === true
          ? { type: "Initialized", status: "True", lastTransitionTime: now }
          : { type: "Initialized", status: "False", reason: "ContainersNotInitialized", message: `containers with incomplete status: [${row.initialized.join(" ")}]`, lastTransitionTime: now };
      assert.deepEqual(initializedCondition, expected);
      assert.deepEqual(status.initContainerStatuses!.map((s) => s.state), row.initStates);
      assert.deepEqual(status.containerStatuses![0]!.state, row.appState);
      assert.equal(kubectlStatus(status, Object.keys(row.inits).length), row.kubectl);
    });
  }

  it("a restarted init container: its restart count and last termination, as kubectl's RESTARTS and describe show them", () => {
    const status = containerGroupToPodStatus(groupOf("Creating", "Pending", { migrate: running(3, exited(1)) }, waiting(), "Always"), podWith(["migrate"], "Always"), now);
    const init = status.initContainerStatuses![0]!;
    assert.deepEqual([init.restartCount, init.lastState, init.ready, init.started], [3, terminatedState(1, "Error"), false, true]);
  });

  it("a completed init container is ready and no longer started; one that runs is started, not ready", () => {
    const status = containerGroupToPodStatus(groupOf("Creating", "Pending", { migrate: ended(0), seed: running() }, waiting(), "Always"), podWith(["migrate", "seed"], "Always"), now);
    assert.deepEqual(status.initContainerStatuses!.map((s) => [s.name, s.ready, s.started]), [["migrate", true, false], ["seed", false, true]]);
  });
});
