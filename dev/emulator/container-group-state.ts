// The emulator's container groups and their simulated lifecycle. State advances lazily from timestamps
// (nothing runs in the background), so reads show Pending -> Creating -> Succeeded as the real service's
// do, and tests drive container exits and restarts through the control API.
//
// Init containers (Microsoft's "Run an init container for setup tasks in a container group",
// learn.microsoft.com/azure/container-instances/container-instances-init-container) run one at a time,
// in the order given, each until the control API makes it exit, before any container starts. While they
// run the group is provisioning (Creating; "the deployment time is increased" by them) and its state is
// Pending ("waiting to initialize (finish running init containers...)", learn.microsoft.com/azure/
// container-instances/container-state); the containers start when the last one has exited 0.
import type { StoredIdentity } from "./identities.js";
import { randomInt } from "node:crypto";

export interface ArmEvent {
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  name: string;
  message: string;
  type: "Normal" | "Warning";
}

export interface ContainerState {
  state: "Waiting" | "Running" | "Terminated";
  startTime?: string;
  finishTime?: string;
  exitCode?: number;
  detailStatus: string;
}

interface ContainerRuntime {
  restartCount: number;
  /** Set when a test made the container exit; undefined while it runs (or has not started). */
  terminated?: ContainerState;
  previousState?: ContainerState;
  /** When the current run started; before the group finished creating, the container has not started. */
  startedAt?: number;
  events: ArmEvent[];
  logs: string[];
}

export interface StoredGroup {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  tags: Record<string, string>;
  /** The request's properties, secrets included (never sent back). */
  properties: Record<string, unknown>;
  /** The managed identities the group carries (identities.ts). */
  identity?: StoredIdentity;
  createdAt: number;
  /** The provisioning failure, decided at PUT time (e.g. an image that cannot be pulled). */
  failure?: { code: string; message: string };
  ip: string;
  stopped: boolean;
  containers: Map<string, ContainerRuntime>;
  /** In the order ACI runs them (a Map keeps the order they were set in). */
  initContainers: Map<string, ContainerRuntime>;
  /** The group's own instanceView events (a Spot eviction's). */
  groupEvents: ArmEvent[];
}

export interface LifecycleTiming {
  /** How long a new group stays Pending, then Creating (ms, already scaled). */
  readonly pendingMs: number;
  readonly creatingMs: number;
}

/** Images on a registry host ending in `.invalid` cannot be pulled: the group fails with InaccessibleImage. */
export function inaccessibleImage(image: string): boolean {
  const first = image.split("/")[0] ?? "";
  return image.includes("/") && first.endsWith(".invalid");
}

/**
 * A new group. `pullRefused` says which images a private registry will not let it pull (identities.ts);
 * those fail as an image that does not exist.
 */
export function newStoredGroup(
  { pullRefused, ...init }: { name: string; resourceGroup: string; location: string; tags: Record<string, string>; properties: Record<string, unknown>; identity?: StoredIdentity; now: number; pullRefused?: (image: string) => boolean },
): StoredGroup {
  const runtimes = (specs: { name: string }[]) => new Map(specs.map((c): [string, ContainerRuntime] => [c.name, { restartCount: 0, events: [], logs: [] }]));
  const badImage = [...initContainerSpecs(init.properties), ...containerSpecs(init.properties)].find((c) => inaccessibleImage(c.image) || pullRefused?.(c.image) === true);
  return {
    ...init,
    createdAt: init.now,
    ...(badImage !== undefined && {
      failure: {
        code: "InaccessibleImage",
        message: `The image '${badImage.image}' in container group '${init.name}' is not accessible. Please check the image and registry credential.`,
      },
    }),
    ip: `20.${randomInt(1, 255)}.${randomInt(0, 255)}.${randomInt(1, 255)}`,
    stopped: false,
    containers: runtimes(containerSpecs(init.properties)),
    initContainers: runtimes(initContainerSpecs(init.properties)),
    groupEvents: [],
  };
}

type Spec = { name: string; image: string };
const specsOf = (list: unknown): Spec[] => ((list ?? []) as { name?: string; properties?: { image?: string } }[]).map((c) => ({ name: c.name ?? "", image: c.properties?.image ?? "" }));

export const containerSpecs = (properties: Record<string, unknown>): Spec[] => specsOf(properties.containers);
export const initContainerSpecs = (properties: Record<string, unknown>): Spec[] => specsOf(properties.initContainers);

/** A container or init container of the group, by name. */
export function runtimeOf(group: StoredGroup, name: string): ContainerRuntime | undefined {
  return group.containers.get(name) ?? group.initContainers.get(name);
}

/**
 * Succeeded once the group's containers run ("The container group succeeded in getting its containers
 * into the running state", the container-state page): after its init containers. An init container that
 * failed under Never leaves nothing to run: Failed at once (the docs do not say when; docs/emulator.md).
 */
export function provisioningState(group: StoredGroup, now: number, timing: LifecycleTiming): "Pending" | "Creating" | "Succeeded" | "Failed" {
  const age = now - group.createdAt;
  if (age < timing.pendingMs) return "Pending";
  if (age < timing.pendingMs + timing.creatingMs) return "Creating";
  if (group.failure !== undefined) return "Failed";
  return provisioningAfterInit[initContainersOutcome(group)];
}

export type InitOutcome = "completed" | "running" | "failed";
const provisioningAfterInit = { completed: "Succeeded", running: "Creating", failed: "Failed" } as const;

/** Whether every init container has exited 0 (so with none), one has still to, or one failed for good (under Never). */
export function initContainersOutcome(group: StoredGroup): InitOutcome {
  const codes = [...group.initContainers.values()].map((r) => r.terminated?.exitCode);
  if (codes.some((code) => code !== undefined && code !== 0)) return "failed";
  return codes.every((code) => code === 0) ? "completed" : "running";
}

/** When the images were pulled: the first init container starts then, or the containers when there is none. */
export function startOf(group: StoredGroup, timing: LifecycleTiming): number {
  return group.createdAt + timing.pendingMs + timing.creatingMs;
}

/**
 * When a container or init container first started; undefined while it waits for an init container (or
 * after one failed for good). Each init container starts when the one before it exited 0, the
 * containers when the last one did.
 */
export function firstStartOf(group: StoredGroup, name: string, timing: LifecycleTiming): number | undefined {
  let turn = startOf(group, timing);
  for (const [initName, runtime] of group.initContainers) {
    if (initName === name) return turn;
    const exit = runtime.terminated;
    if (exit?.exitCode !== 0) return undefined;
    turn = Date.parse(exit.finishTime!);
  }
  return turn;
}

const iso = (ms: number) => new Date(ms).toISOString();

function event(name: string, message: string, at: number, type: ArmEvent["type"] = "Normal"): ArmEvent {
  return { count: 1, firstTimestamp: iso(at), lastTimestamp: iso(at), name, message, type };
}

/** A container's or init container's instanceView (the REST spec gives both the same) as ACI reports it at `now`. */
export function containerInstanceView(group: StoredGroup, name: string, image: string, now: number, timing: LifecycleTiming) {
  const runtime = runtimeOf(group, name)!;
  const pullStart = group.createdAt + timing.pendingMs;
  const pulled = startOf(group, timing);
  const started = firstStartOf(group, name, timing);
  const events: ArmEvent[] = [];
  let currentState: ContainerState = { state: "Waiting", detailStatus: "" };
  if (now >= pullStart) events.push(event("Pulling", `pulling image "${image}"`, pullStart));
  if (group.failure !== undefined) {
    if (now >= pulled && inaccessibleImage(image)) {
      events.push(event("Failed", `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to resolve reference "${image}"`, pulled, "Warning"));
    }
    if (now >= pulled) currentState = { state: "Waiting", detailStatus: "ErrImagePull" };
  } else if (now >= pulled) {
    events.push(event("Pulled", `Successfully pulled image "${image}"`, pulled));
    // A container whose init containers have not all completed waits ("Waiting: ... init containers are
    // still running", the container-state page).
    if (started !== undefined) {
      events.push(event("Created", "Created container", started), event("Started", "Started container", started), ...runtime.events);
      const since = iso(runtime.startedAt ?? started);
      currentState = runtime.terminated ?? (group.stopped ? { state: "Terminated", detailStatus: "Stopped", startTime: since, finishTime: iso(now), exitCode: 0 } : { state: "Running", startTime: since, detailStatus: "" });
    }
  }
  return {
    restartCount: runtime.restartCount,
    currentState,
    ...(runtime.previousState !== undefined && { previousState: runtime.previousState }),
    events,
  };
}

/**
 * A container's current run: from its start to its exit (open while it runs); undefined when it has not
 * run (provisioning, failed, stopped). What Azure Monitor has minutes of.
 */
export function currentRun(group: StoredGroup, name: string, now: number, timing: LifecycleTiming): { from: number; to?: number } | undefined {
  const runtime = group.containers.get(name);
  const started = firstStartOf(group, name, timing);
  if (runtime === undefined || started === undefined || provisioningState(group, now, timing) !== "Succeeded" || group.stopped) return undefined;
  const from = runtime.startedAt ?? started;
  const finish = runtime.terminated?.finishTime;
  return { from, ...(finish !== undefined && { to: Date.parse(finish) }) };
}

/** The group's own instanceView.state: Pending (init containers included), Running, Succeeded, Failed or Stopped. */
export function groupState(group: StoredGroup, now: number, timing: LifecycleTiming): string {
  const state = provisioningState(group, now, timing);
  if (state === "Pending" || state === "Creating") return "Pending";
  if (state === "Failed") return "Failed";
  if (group.stopped) return "Stopped";
  const runtimes = [...group.containers.values()];
  if (runtimes.every((r) => r.terminated !== undefined)) {
    return runtimes.every((r) => r.terminated?.exitCode === 0) ? "Succeeded" : "Failed";
  }
  return "Running";
}

export type ExitKind = { exitCode: number; oomKilled?: boolean };

/** A control call named a group or container the emulator does not have. */
export class UnknownTargetError extends Error {
  override readonly name = "UnknownTargetError";
}

/** A control call needs a running container, and its group has not (or never) started, or it is not its turn. */
export class NotRunningError extends Error {
  override readonly name = "NotRunningError";
}

/**
 * Makes a running container or init container exit; the restart policy decides whether ACI starts it
 * again. An init container runs under OnFailure when the group's policy is Always or OnFailure, under
 * Never when it is Never (the table of Microsoft's init container page); one that exits 0 lets the next
 * start, the last one the containers.
 */
export function exitContainer(group: StoredGroup, name: string, exit: ExitKind, now: number, timing: LifecycleTiming): void {
  const isInit = group.initContainers.has(name);
  const runtime = runtimeOf(group, name);
  if (runtime === undefined) throw new UnknownTargetError(`container group ${group.name} has no container ${name}`);
  const state = provisioningState(group, now, timing);
  const started = firstStartOf(group, name, timing);
  if (isInit) {
    if (now < startOf(group, timing) || group.failure !== undefined) throw new NotRunningError(`container group ${group.name} is not running (provisioning state ${state})`);
    if (started === undefined || runtime.terminated !== undefined) throw new NotRunningError(`init container ${name} of container group ${group.name} is not running (${runtime.terminated === undefined ? "an init container before it has not completed" : "it has exited"})`);
  } else if (state !== "Succeeded") {
    throw new NotRunningError(`container group ${group.name} is not running (provisioning state ${state})`);
  }
  const terminated: ContainerState = {
    state: "Terminated",
    startTime: iso(runtime.startedAt ?? started!),
    finishTime: iso(now),
    exitCode: exit.exitCode,
    detailStatus: exit.oomKilled ? "OOMKilled" : exit.exitCode === 0 ? "Completed" : "Error",
  };
  runtime.events.push(event("Killing", exit.oomKilled ? "Container was OOM killed" : `Container exited with code ${exit.exitCode}`, now, exit.exitCode === 0 ? "Normal" : "Warning"));
  const groupPolicy = (group.properties.restartPolicy as string | undefined) ?? "Always";
  const policy = isInit && groupPolicy === "Always" ? "OnFailure" : groupPolicy;
  const restarts = policy === "Always" || (policy === "OnFailure" && exit.exitCode !== 0);
  if (restarts) {
    runtime.restartCount += 1;
    runtime.previousState = terminated;
    runtime.terminated = undefined;
    runtime.startedAt = now;
    runtime.events.push(event("Started", "Started container", now));
  } else {
    runtime.terminated = terminated;
  }
}

/** A control call that only a Spot container group can take. */
export class NotSpotError extends Error {
  override readonly name = "NotSpotError";
}

/**
 * ACI takes a running Spot group's capacity back. Microsoft documents only that "the container groups
 * hosting the customer workloads are automatically restarted without requiring any action from the
 * customer" (container-instances-spot-containers-overview); what a GET shows is the emulator's choice
 * (docs/emulator.md, "Spot eviction"): a Warning event "Evicted" on the group, and every running container
 * killed and started again at once (restartCount + 1, the killed run as previousState, no exit code).
 */
export function evictSpotGroup(group: StoredGroup, now: number, timing: LifecycleTiming): void {
  const priority = typeof group.properties.priority === "string" ? group.properties.priority : "Regular";
  if (priority !== "Spot") throw new NotSpotError(`container group ${group.name} is not a Spot container group (priority ${priority}): only Spot groups are evicted`);
  const state = provisioningState(group, now, timing);
  if (state !== "Succeeded" || group.stopped) throw new NotRunningError(`container group ${group.name} is not running (provisioning state ${state}${group.stopped ? ", stopped" : ""})`);
  group.groupEvents.push(event("Evicted", "The Spot container group was evicted: Azure needed the capacity back. It is restarted automatically.", now, "Warning"));
  for (const [name, runtime] of group.containers) {
    if (runtime.terminated !== undefined) continue;
    runtime.previousState = { state: "Terminated", startTime: iso(runtime.startedAt ?? firstStartOf(group, name, timing)!), finishTime: iso(now), detailStatus: "Evicted" };
    runtime.restartCount += 1;
    runtime.startedAt = now;
    runtime.events.push(event("Killing", "Killing container: the Spot container group is evicted", now, "Warning"), event("Started", "Started container", now));
  }
}
