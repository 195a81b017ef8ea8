// In-memory ports for the controllers' decisions (pure units: the controllers are decisions over these
// ports; the real adapters are tested against the real API server and the emulator elsewhere). Every
// call is recorded, and hooks let a test change the world between two calls, as a race would.
import type { V1ConfigMap, V1Pod, V1PodStatus, V1Secret } from "@kubernetes/client-node";
import type { ContainerGroups, ContainerGroupsOptions, ContainerGroupSummary, WireContainerGroup } from "../../../shared/aci/container-groups.js";
import { armBudget } from "../../../shared/aci/arm-budget.js";
import type { CapabilitiesReading } from "../../../shared/aci/location-capabilities.js";
import type { PodSyncDependencies } from "../../../shared/controller/pod-sync.js";
import { createReadLedger, type ReadLedger } from "../../../shared/controller/read-ledger.js";
import { createGroupListMemory, type GroupListMemory } from "../../../shared/controller/group-list-memory.js";
import { readsPerTick, type ReconcileOptions } from "../../../shared/controller/reconcile.js";
import type { PodClient, PodEvent } from "../../../shared/kube/pod-client.js";
import type { LogFields, Logger } from "../../../shared/runtime/logger.js";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";

/** Every call yields once, as a call over the network would, so other work can interleave. */
const ioBoundary = () => new Promise<void>((resolve) => setImmediate(resolve));

export const linuxNode = "virtual-kubelet-unit-linux-westeurope";
export const clusterId = "5c0e7a4e-2c43-4c55-9b1d-6a3e8f1d2b90";

export interface FakeWorld {
  readonly deps: PodSyncDependencies;
  /** Pods by "namespace/name". */
  readonly pods: Map<string, V1Pod>;
  readonly groups: Map<string, WireContainerGroup>;
  /** Secrets and ConfigMaps by "namespace/name". */
  readonly secrets: Map<string, V1Secret>;
  readonly configMaps: Map<string, V1ConfigMap>;
  /** Every call, in order: "PUT x", "GET x", "DELETE x", "LIST groups", "LIST pods <node>", "FIND ns/name", "STATUS ns/name", "DELETE pod ns/name", "EVENT reason". */
  readonly calls: string[];
  /** Every Event recorded (not those whose write failed), as the API server would keep them. */
  readonly events: PodEvent[];
  /** The deadline each call in `calls` was given (same index). */
  readonly signals: (AbortSignal | undefined)[];
  /** What the controllers logged. */
  readonly logs: { level: "info" | "warn" | "error"; message: string; fields?: LogFields }[];
  readonly now: { ms: number };
  /** Reconcile's memory of when it read each group, kept between the world's ticks (tickOptions). */
  readonly ledger: ReadLedger;
  /** Reconcile's kept list of groups, as an instance keeps it between ticks. */
  readonly groupList: GroupListMemory;
  /** The pages ARM serves the group list in (what a list costs in reads; default 1). */
  readonly listPages: { count: number };
  /** What the region's capabilities read as (default: one row, 31 CPU and 240 GB for any group without a GPU). */
  readonly region: { reading: CapabilitiesReading };
  /** Runs inside the named call, before it answers; a hook that throws makes the call fail. */
  readonly hooks: {
    beforeGroupList?: () => void;
    onPut?: (name: string) => void;
    onGet?: (name: string, options?: ContainerGroupsOptions) => void;
    /** Returning "deleting": ARM accepted the delete and is still carrying it out (202). */
    onGroupDelete?: (name: string) => "deleting" | void;
    /** Inside a pod lookup, with the node asked and whether it may list the node's pods. */
    onFind?: (ref: { namespace: string; name: string }, onNode: string, listIfUnrelated: boolean | undefined) => void;
    onEvent?: (event: PodEvent) => void;
    /** Inside a pod status patch, before anything is written. */
    onStatus?: (ref: { namespace: string; name: string }) => void;
  };
}

export function fakeWorld(start = Date.parse("2026-11-25T10:00:00Z")): FakeWorld {
  const pods = new Map<string, V1Pod>();
  const groups = new Map<string, WireContainerGroup>();
  const calls: string[] = [];
  const events: PodEvent[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const logs: FakeWorld["logs"] = [];
  const secrets = new Map<string, V1Secret>();
  const configMaps = new Map<string, V1ConfigMap>();
  const now = { ms: start };
  const hooks: FakeWorld["hooks"] = {};
  const listPages = { count: 1 };
  const region: FakeWorld["region"] = {
    reading: { capabilities: { location: "westeurope", rows: [{ resourceType: "containerGroups", osType: "NotSpecified", ipAddressType: "Public", gpu: "None", capabilities: { maxCpu: 31, maxMemoryInGB: 240, maxGpuCount: 0 } }] } },
  };
  const key = (ns: string, name: string) => `${ns}/${name}`;

  /** Records a call and the deadline it was given. */
  const call = (what: string, options?: { abortSignal?: AbortSignal }) => {
    calls.push(what);
    signals.push(options?.abortSignal);
  };

  const podClient = (node: string): PodClient => ({
    async findPodOnNode(ref, onNode, options) {
      await ioBoundary();
      call(`FIND ${key(ref.namespace, ref.name)}`, options);
      hooks.onFind?.(ref, onNode, options?.listIfUnrelated);
      const pod = pods.get(key(ref.namespace, ref.name));
      return pod?.spec?.nodeName === onNode && onNode === node ? structuredClone(pod) : undefined;
    },
    async listPodsOnNode(onNode, options) {
      await ioBoundary();
      call(`LIST pods ${onNode}`, options);
      return [...pods.values()].filter((p) => p.spec?.nodeName === onNode).map((p) => structuredClone(p));
    },
    async getSecret(ref, options) {
      await ioBoundary();
      call(`SECRET ${key(ref.namespace, ref.name)}`, options);
      return structuredClone(secrets.get(key(ref.namespace, ref.name)));
    },
    async getConfigMap(ref, options) {
      await ioBoundary();
      call(`CONFIGMAP ${key(ref.namespace, ref.name)}`, options);
      return structuredClone(configMaps.get(key(ref.namespace, ref.name)));
    },
    async patchPodStatus(ref, status, options) {
      await ioBoundary();
      call(`STATUS ${key(ref.namespace, ref.name)}`, options);
      hooks.onStatus?.(ref);
      const pod = pods.get(key(ref.namespace, ref.name));
      // As the API server answers a patch whose UID precondition fails: nothing written.
      if (pod === undefined || pod.metadata?.uid !== ref.uid) return false;
      pod.status = mergeStatus(pod.status, status);
      return true;
    },
    async deletePodNow(ref, options) {
      await ioBoundary();
      call(`DELETE pod ${key(ref.namespace, ref.name)}`, options);
      // Only the pod with this UID (a precondition): a namesake created since is never touched.
      if (pods.get(key(ref.namespace, ref.name))?.metadata?.uid !== ref.uid) return false;
      return pods.delete(key(ref.namespace, ref.name));
    },
    async recordEvent(event, options) {
      await ioBoundary();
      call(`EVENT ${event.reason}`, options);
      hooks.onEvent?.(event);
      events.push(event);
    },
  });

  const containerGroups: ContainerGroups = {
    async createOrUpdate(name, body, options) {
      await ioBoundary();
      call(`PUT ${name}`, options);
      hooks.onPut?.(name);
      groups.set(name, { ...body, name, properties: { ...body.properties, provisioningState: "Pending" } });
    },
    async get(name, options) {
      await ioBoundary();
      call(`GET ${name}`, options);
      hooks.onGet?.(name, options);
      return groups.get(name);
    },
    async delete(name, options) {
      await ioBoundary();
      call(`DELETE ${name}`, options);
      if (hooks.onGroupDelete?.(name) === "deleting") return "deleting";
      return groups.delete(name) ? "deleted" : "absent";
    },
    async list(options) {
      await ioBoundary();
      call("LIST groups", options);
      hooks.beforeGroupList?.();
      const summaries = [...groups.entries()].map(([name, g]): ContainerGroupSummary => ({ name, tags: g.tags ?? {}, ...(g.properties?.provisioningState !== undefined && { provisioningState: g.properties.provisioningState }) }));
      return { groups: summaries, pages: listPages.count };
    },
    async logs(name) {
      await ioBoundary();
      calls.push(`LOGS ${name}`);
      return groups.has(name) ? "" : undefined;
    },
  };

  const log = (level: "info" | "warn" | "error") => (message: string, fields?: LogFields) => void logs.push({ level, message, ...(fields !== undefined && { fields }) });
  const logger: Logger = { info: log("info"), warn: log("warn"), error: log("error") };

  const clients = new Map<string, PodClient>();
  const deps: PodSyncDependencies = {
    podsAs: (node) => clients.get(node) ?? clients.set(node, podClient(node)).get(node)!,
    groups: containerGroups,
    capabilities: { read: () => Promise.resolve(region.reading) },
    clock: { now: () => new Date(now.ms) },
    log: logger,
    translation: { connectorName: "unit", clusterId, location: "westeurope" },
    nodes: new Map([[linuxNode, "Linux"]]),
  };
  return { deps, pods, groups, secrets, configMaps, calls, events, signals, logs, now, region, hooks, listPages, ledger: createReadLedger(), groupList: createGroupListMemory() };
}

/** A pod bound to the Linux node, as the API server would return it. */
export function boundPod(name: string, uid: string, status: V1PodStatus = { phase: "Pending" }): V1Pod {
  return {
    metadata: { namespace: "default", name, uid, creationTimestamp: new Date("2026-11-25T09:59:00Z") },
    spec: { nodeName: linuxNode, restartPolicy: "Always", containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld" }] },
    status,
  };
}

/** The group the connector would have made for this pod (its exact tags), provisioned as `state`. */
export function groupFor(world: FakeWorld, pod: V1Pod, state = "Succeeded"): string {
  const { name, body } = podToContainerGroup({ pod, references: { secrets: new Map(), configMaps: new Map() }, node: { name: linuxNode, os: "Linux" }, settings: world.deps.translation });
  world.groups.set(name, { ...body, name, properties: { ...body.properties, provisioningState: state } });
  return name;
}

/** The group of a running pod as ACI reports it: provisioned as `state`, the group itself Running. */
export function runningGroupFor(world: FakeWorld, pod: V1Pod, state: string): void {
  const name = groupFor(world, pod, state);
  const group = world.groups.get(name)!;
  world.groups.set(name, { ...group, properties: { ...group.properties, instanceView: { state: "Running" } } });
}

/** A world of `n` running pods (web0, web1, …) on settled, running groups. */
export function runningPods(n: number): FakeWorld {
  const world = fakeWorld();
  for (let i = 0; i < n; i++) {
    const pod = boundPod(`web${i}`, `00000000-0000-4000-8000-${String(10 + i).padStart(12, "0")}`, { phase: "Running" });
    world.pods.set(`default/web${i}`, pod);
    runningGroupFor(world, pod, "Succeeded");
  }
  return world;
}

/**
 * As the API server merges a strategic merge patch of pods/status: null deletes a field, and conditions
 * merge by type field by field (a field the patch does not mention is kept).
 */
function mergeStatus(before: V1PodStatus | undefined, patch: V1PodStatus): V1PodStatus {
  const merged = mergeFields(before, patch);
  if (Array.isArray(patch.conditions)) {
    const byType = new Map((before?.conditions ?? []).map((c) => [c.type, c]));
    for (const c of patch.conditions) byType.set(c.type, mergeFields(byType.get(c.type), c));
    merged.conditions = [...byType.values()];
  }
  return merged;
}

function mergeFields<T extends object>(before: T | undefined, patch: T): T {
  const merged: Record<string, unknown> = { ...before };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  return merged as T;
}

/**
 * Reconcile's options for one tick of the fake world, as the timer gives them: the default read share of
 * a 15 s period, reads counted from the world's ARM calls, the world's ledger kept between ticks.
 */
export function tickOptions(world: FakeWorld, overrides: Partial<ReconcileOptions> = {}): ReconcileOptions {
  return {
    readsPerTick: readsPerTick(armBudget.reads.defaultShare, 15),
    periodSeconds: 15,
    readsSent: () => world.calls.filter((c) => c.startsWith("GET ") || c === "LIST groups").length,
    ledger: world.ledger,
    groupList: world.groupList,
    ...overrides,
  };
}
