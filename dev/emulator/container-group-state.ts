// The emulator's container groups and their simulated lifecycle. State advances lazily from timestamps
// (nothing runs in the background), so reads show Pending -> Creating -> Succeeded as the real service's
// do, and tests drive container exits and restarts through the control API.
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
  createdAt: number;
  /** The provisioning failure, decided at PUT time (e.g. an image that cannot be pulled). */
  failure?: { code: string; message: string };
  ip: string;
  stopped: boolean;
  containers: Map<string, ContainerRuntime>;
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

export function newStoredGroup(init: { name: string; resourceGroup: string; location: string; tags: Record<string, string>; properties: Record<string, unknown>; now: number }): StoredGroup {
  const containers = new Map<string, ContainerRuntime>();
  for (const c of containerSpecs(init.properties)) containers.set(c.name, { restartCount: 0, events: [], logs: [] });
  const badImage = containerSpecs(init.properties).find((c) => inaccessibleImage(c.image));
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
    containers,
  };
}

export function containerSpecs(properties: Record<string, unknown>): { name: string; image: string }[] {
  const containers = (properties.containers ?? []) as { name?: string; properties?: { image?: string } }[];
  return containers.map((c) => ({ name: c.name ?? "", image: c.properties?.image ?? "" }));
}

export function provisioningState(group: StoredGroup, now: number, timing: LifecycleTiming): "Pending" | "Creating" | "Succeeded" | "Failed" {
  const age = now - group.createdAt;
  if (age < timing.pendingMs) return "Pending";
  if (age < timing.pendingMs + timing.creatingMs) return "Creating";
  return group.failure === undefined ? "Succeeded" : "Failed";
}

/** When the containers (would have) started: the moment provisioning finished. */
export function startOf(group: StoredGroup, timing: LifecycleTiming): number {
  return group.createdAt + timing.pendingMs + timing.creatingMs;
}

const iso = (ms: number) => new Date(ms).toISOString();

function event(name: string, message: string, at: number, type: ArmEvent["type"] = "Normal"): ArmEvent {
  return { count: 1, firstTimestamp: iso(at), lastTimestamp: iso(at), name, message, type };
}

/** A container's instanceView as ACI reports it at `now`. */
export function containerInstanceView(group: StoredGroup, name: string, image: string, now: number, timing: LifecycleTiming) {
  const runtime = group.containers.get(name)!;
  const state = provisioningState(group, now, timing);
  const pullStart = group.createdAt + timing.pendingMs;
  const events: ArmEvent[] = [];
  let currentState: ContainerState;
  if (state === "Pending") {
    currentState = { state: "Waiting", detailStatus: "" };
  } else if (group.failure !== undefined) {
    events.push(event("Pulling", `pulling image "${image}"`, pullStart));
    if (state === "Failed" && inaccessibleImage(image)) {
      events.push(event("Failed", `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to resolve reference "${image}"`, startOf(group, timing), "Warning"));
    }
    currentState = { state: "Waiting", detailStatus: state === "Failed" ? "ErrImagePull" : "" };
  } else if (state === "Creating") {
    events.push(event("Pulling", `pulling image "${image}"`, pullStart));
    currentState = { state: "Waiting", detailStatus: "" };
  } else {
    const started = runtime.startedAt ?? startOf(group, timing);
    events.push(
      event("Pulling", `pulling image "${image}"`, pullStart),
      event("Pulled", `Successfully pulled image "${image}"`, startOf(group, timing)),
      event("Created", "Created container", startOf(group, timing)),
      event("Started", "Started container", startOf(group, timing)),
      ...runtime.events,
    );
    currentState = runtime.terminated ?? (group.stopped ? { state: "Terminated", detailStatus: "Stopped", startTime: iso(started), finishTime: iso(now), exitCode: 0 } : { state: "Running", startTime: iso(started), detailStatus: "" });
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
  if (runtime === undefined || provisioningState(group, now, timing) !== "Succeeded" || group.stopped) return undefined;
  const from = runtime.startedAt ?? startOf(group, timing);
  const finish = runtime.terminated?.finishTime;
  return { from, ...(finish !== undefined && { to: Date.parse(finish) }) };
}

/** The group's own instanceView.state: Pending, Running, Succeeded, Failed or Stopped. */
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

/** A control call needs a running container, and its group has not (or never) started. */
export class NotRunningError extends Error {
  override readonly name = "NotRunningError";
}

/** Makes a running container exit; restartPolicy decides whether ACI starts it again. */
export function exitContainer(group: StoredGroup, name: string, exit: ExitKind, now: number, timing: LifecycleTiming): void {
  const runtime = group.containers.get(name);
  if (runtime === undefined) throw new UnknownTargetError(`container group ${group.name} has no container ${name}`);
  const state = provisioningState(group, now, timing);
  if (state !== "Succeeded") throw new NotRunningError(`container group ${group.name} is not running (provisioning state ${state})`);
  const startTime = iso(runtime.startedAt ?? startOf(group, timing));
  const terminated: ContainerState = {
    state: "Terminated",
    startTime,
    finishTime: iso(now),
    exitCode: exit.exitCode,
    detailStatus: exit.oomKilled ? "OOMKilled" : exit.exitCode === 0 ? "Completed" : "Error",
  };
  runtime.events.push(event("Killing", exit.oomKilled ? "Container was OOM killed" : `Container exited with code ${exit.exitCode}`, now, exit.exitCode === 0 ? "Normal" : "Warning"));
  const policy = (group.properties.restartPolicy as string | undefined) ?? "Always";
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
