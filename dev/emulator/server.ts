// An emulator of Azure Resource Manager for Microsoft.ContainerInstance (api-version 2023-05-01), over
// HTTPS with a test CA, for the real @azure/arm-containerinstance client. See docs/emulator.md.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { CertificateAuthority } from "../pki.js";
import {
  containerInstanceView,
  containerSpecs,
  currentRun,
  evictSpotGroup,
  exitContainer,
  groupState,
  initContainersOutcome,
  newStoredGroup,
  provisioningState,
  runtimeOf,
  type ExitKind,
  type LifecycleTiming,
  type StoredGroup,
  UnknownTargetError,
} from "./container-group-state.js";
import { checkCapabilities, documentedCapabilities, type CapabilityRow } from "./capabilities.js";
import { createExecSessions } from "./exec-sessions.js";
import { createFaultBook, type FaultSpec } from "./faults.js";
import { metricsBatch, type Usage, type UsageChange } from "./metrics.js";
import { containerGroupEvent, createResourceEventTopic, type ResourceCloudEvent, type ResourceEventType } from "./resource-events.js";
import { createThrottle, requestKindOf, type BucketSpec, type RequestKind, type Throttle } from "./throttling.js";
import { identityView, privateRegistryRefuses, validateIdentity, type PrivateRegistry } from "./identities.js";
import { ArmError, sendError, sendJson } from "./responses.js";
import { provider, routeOf, type Route } from "./routes.js";
import { maxRequestBytes, requestTooLarge, validateGroupBody, validateGroupName } from "./validation.js";

export const supportedApiVersions = ["2023-05-01"] as const;
/**
 * The api-version of the Azure-AsyncOperation URLs ACI hands out, whatever the PUT's: 2018-06-01 in every
 * recording of the live service (azure-cli's test_container_create, 2019, 2021 and 2023 at 2023-05-01;
 * Az.ContainerInstance's New-AzContainerGroup, 2021 and 2024).
 */
export const operationApiVersion = "2018-06-01";
/** ARM's principal ("actor") named in throttling messages; the emulator does not tell principals apart. */
const emulatorActor = "00000000-0000-0000-0000-000000000000";
/** Microsoft.Resources' provider operations: the api-versions current SDKs and the Azure CLI send. */
export const resourcesApiVersions = ["2021-04-01", "2022-09-01", "2024-03-01", "2024-11-01", "2025-04-01"] as const;

export interface AciEmulatorOptions {
  readonly ca: CertificateAuthority;
  readonly port?: number;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** Multiplies every simulated duration (default 1: Pending 0.3 s, Creating 1 s). */
  readonly timeScale?: number;
  /** Groups per list page (ARM pages at 100; smaller in tests to exercise nextLink). */
  readonly pageSize?: number;
  /** ACI's quotas (defaults: 100 groups, 100 standard cores, 100 creates per 5 min, 300 per hour). */
  readonly quota?: Partial<AciQuota>;
  /** ARM's throttling: off unless given (true for ARM's limits, or buckets of your own for tests). */
  readonly throttling?: boolean | Partial<Record<RequestKind, BucketSpec>>;
  /**
   * The emulator's clock (ms since the epoch) for the lifecycle, quotas and throttling, so a test decides
   * when a group leaves Pending or a bucket refills; the wall clock if omitted. Faults keep wall-clock time.
   */
  readonly clock?: () => number;
  /**
   * Whether Microsoft.ContainerInstance starts Registered in the subscription (default true). When not,
   * its operations answer 409 MissingSubscriptionRegistration until it is registered.
   */
  readonly providerRegistered?: boolean;
  /**
   * What a region can run (capabilities.ts), by lowercase region name, for regions that differ from the
   * figures Microsoft documents for every region (`documentedCapabilities`): e.g. a smaller region, whose
   * refusal a test wants to see.
   */
  readonly capabilities?: Readonly<Record<string, readonly CapabilityRow[]>>;
  /**
   * Private registries by host (identities.ts): an image of one is pulled only with a credential it
   * accepts, otherwise the group fails with InaccessibleImage. Every other registry is public.
   */
  readonly privateRegistries?: Readonly<Record<string, PrivateRegistry>>;
}

export interface AciQuota {
  readonly containerGroups: number;
  readonly standardCores: number;
  readonly createsPer5Min: number;
  readonly createsPerHour: number;
}

const defaultQuota: AciQuota = { containerGroups: 100, standardCores: 100, createsPer5Min: 100, createsPerHour: 300 };

export interface AciEmulatorControl {
  /** Requests served, by operation name (e.g. "containerGroups.get"), faults included. */
  counters(): Record<string, number>;
  resetCounters(): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  exitContainer(group: string, container: string, exit: ExitKind): void;
  /** ACI takes a running Spot group's capacity back, and restarts the group (evictSpotGroup). */
  evictGroup(group: string): void;
  appendLogs(group: string, container: string, lines: readonly string[]): void;
  /**
   * From now on Azure Monitor reports this usage for the container (per-minute averages, metrics.ts);
   * before any is set, a running container reports 0.
   */
  setUsage(group: string, container: string, usage: Usage): void;
  groupNames(): string[];
  /** The last requests served (up to 100,000), oldest first: what a test of back-off reads. */
  answers(): readonly Answer[];
  /** Every group created and deleted so far, with its tags and when (what a fault test counts). */
  history(): { readonly created: readonly GroupEvent[]; readonly deleted: readonly GroupEvent[] };
  /** Every group with what finds it from outside: tags, creation time, container names. */
  groups(): GroupSummary[];
  /**
   * The resource group's ARM events (its Event Grid system topic), as CloudEvents: every write and
   * delete of a container group (resource-events.ts). Returns the unsubscribe.
   */
  subscribeResourceEvents(listener: (event: ResourceCloudEvent) => void): () => void;
  /**
   * Each group's state as a GET would show it now (Pending, Running, Succeeded, Failed, Stopped), by name,
   * without a request: for an observer (a benchmark) that must not add to ARM's traffic or counters.
   */
  groupStates(): Record<string, string>;
}

export interface Answer {
  readonly operation: string;
  /** When the request arrived, and when its answer was sent (ms since the epoch). */
  readonly at: number;
  readonly answeredAt: number;
  readonly status: number;
  /** The Retry-After the answer carried, in seconds. */
  readonly retryAfterSeconds?: number;
}

export interface GroupEvent {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly at: number;
}

export interface GroupSummary {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** When the emulator created the group (ISO 8601): a recreated pod's group is the newer one. */
  readonly createdAt: string;
  readonly containers: readonly string[];
  /** Its init containers, in the order they run. */
  readonly initContainers: readonly string[];
}

export interface AciEmulator {
  readonly endpoint: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly caCertPem: string;
  readonly control: AciEmulatorControl;
  stop(): Promise<void>;
}

export async function startAciEmulatorServer(options: AciEmulatorOptions): Promise<AciEmulator> {
  const subscriptionId = options.subscriptionId ?? "00000000-0000-0000-0000-00000000ac1e";
  const resourceGroup = options.resourceGroup ?? "aci-connector-local";
  const scale = options.timeScale ?? 1;
  const clock = options.clock ?? Date.now;
  const timing: LifecycleTiming = { pendingMs: 300 * scale, creatingMs: 1000 * scale };
  const pageSize = options.pageSize ?? 100;
  const groups = new Map<string, StoredGroup>(); // key: resourceGroup/name, lowercased
  // "create" follows the group's provisioning; "instant" (start, restart) has already finished.
  const operations = new Map<string, { group: string; location: string; startTime: string; kind: "create" | "instant" }>();
  const counters: Record<string, number> = {};
  const answers: Answer[] = [];
  const maxAnswers = 100_000;
  const faults = createFaultBook();
  const quota: AciQuota = { ...defaultQuota, ...options.quota };
  const capabilitiesIn = (location: string) => options.capabilities?.[location.toLowerCase()] ?? documentedCapabilities;
  const createTimes: number[] = [];
  const deleteTimes: number[] = [];
  const history = { created: [] as GroupEvent[], deleted: [] as GroupEvent[] };
  /** Usage changes by group key and container, oldest first (setUsage). */
  const usage = new Map<string, UsageChange[]>();
  const topic = createResourceEventTopic();
  const resourceEvent = (g: StoredGroup, type: ResourceEventType) =>
    containerGroupEvent({ subscriptionId, resourceGroup: g.resourceGroup, endpoint }, g.name, type, supportedApiVersions[0]);
  const throttle: Throttle | undefined =
    options.throttling === undefined || options.throttling === false
      ? undefined
      : createThrottle({ ...(options.throttling !== true && { buckets: options.throttling }), now: clock });
  let endpoint = "";
  // Microsoft.ContainerInstance's registration: registering takes a moment, as in Azure.
  const registrationMs = 1500 * scale;
  let registeredAt: number | undefined = options.providerRegistered === false ? undefined : 0;
  const registrationState = () => (registeredAt === undefined ? "NotRegistered" : clock() >= registeredAt ? "Registered" : "Registering");

  const key = (rg: string, name: string) => `${rg}/${name}`.toLowerCase();
  const groupId = (g: StoredGroup) => `/subscriptions/${subscriptionId}/resourceGroups/${g.resourceGroup}/providers/${provider}/containerGroups/${g.name}`;
  const operationUrl = (location: string, id: string) =>
    `${endpoint}/subscriptions/${subscriptionId}/providers/${provider}/locations/${location}/operations/${id}?api-version=${operationApiVersion}`;

  /**
   * The group as ARM returns it, field for field as azure-cli's test_container_create recorded it at
   * 2023-05-01: secrets omitted; empty lists where nothing was given; the provisioning timeout.
   * `answer`: "put" is the PUT's answer (the group's instanceView, no IP yet); "get" a GET or DELETE of the
   * group (every instanceView); "list" a list item (no instanceView at all).
   */
  const view = (g: StoredGroup, answer: "put" | "get" | "list") => {
    const now = clock();
    const state = provisioningState(g, now, timing);
    const p = g.properties;
    // A group in a subnet has a private IP from it whether or not the PUT asked for one: azure-aci, which
    // AKS virtual nodes run, sends no ipAddress in subnet mode (pkg/provider/aci.go, CreatePod: a public
    // ipAddress only "if len(ports) > 0 && SubnetName == \"\""), yet AKS's virtual nodes docs say their
    // pods get addresses from the delegated subnet (learn.microsoft.com/azure/aks/virtual-nodes, "Network
    // requirements"). No recording shows such an answer.
    const inSubnet = Array.isArray(p.subnetIds) && p.subnetIds.length > 0;
    const ipAddress = (p.ipAddress as Record<string, unknown> | undefined) ?? (inSubnet ? { type: "Private", ports: [] } : undefined);
    const withoutSecrets = (env: unknown) => ((env ?? []) as Record<string, unknown>[]).map(({ secureValue: _s, ...rest }) => rest);
    type Container = { name: string; properties: Record<string, unknown> };
    const containers = ((p.containers ?? []) as Container[]).map((c) => ({
      name: c.name,
      properties: {
        ...c.properties,
        ports: c.properties.ports ?? [],
        environmentVariables: withoutSecrets(c.properties.environmentVariables),
        ...(answer === "get" && { instanceView: containerInstanceView(g, c.name, String(c.properties.image), now, timing) }),
      },
    }));
    // No recording shows an init container's answer: its secrets are taken out, and a GET adds the
    // instanceView the REST spec gives it (InitContainerPropertiesDefinition, the same as a container's).
    const initContainers = ((p.initContainers ?? []) as Container[]).map((c) => ({
      name: c.name,
      properties: {
        ...c.properties,
        ...(c.properties.environmentVariables !== undefined && { environmentVariables: withoutSecrets(c.properties.environmentVariables) }),
        ...(answer === "get" && { instanceView: containerInstanceView(g, c.name, String(c.properties.image), now, timing) }),
      },
    }));
    return {
      id: groupId(g),
      location: g.location,
      name: g.name,
      tags: g.tags,
      ...(g.identity !== undefined && { identity: identityView(groupId(g), g.identity) }),
      properties: {
        sku: p.sku ?? "Standard",
        provisioningState: state,
        provisioningTimeoutInSeconds: 1800,
        isCustomProvisioningTimeout: false,
        containers,
        initContainers,
        ...(p.imageRegistryCredentials !== undefined && {
          imageRegistryCredentials: (p.imageRegistryCredentials as Record<string, unknown>[]).map(({ password: _p, ...rest }) => rest),
        }),
        restartPolicy: p.restartPolicy ?? "Always",
        ...(ipAddress !== undefined && {
          ipAddress: {
            ...ipAddress,
            // Assigned when the group is placed: the 2021 and 2023 recordings' PUT answers have none yet.
            ...(answer !== "put" && { ip: ipAddress.type === "Private" ? `10.0.${g.ip.split(".").slice(2).join(".")}` : g.ip }),
            ...(typeof ipAddress.dnsNameLabel === "string" && { fqdn: `${ipAddress.dnsNameLabel}.${g.location}.azurecontainer.io` }),
          },
        }),
        osType: p.osType,
        ...(p.volumes !== undefined && {
          volumes: (p.volumes as Record<string, unknown>[]).map((v) => ({
            ...v,
            ...(v.secret !== undefined && { secret: {} }),
            ...(typeof v.azureFile === "object" && v.azureFile !== null && { azureFile: { ...v.azureFile, storageAccountKey: undefined } }),
          })),
        }),
        ...(p.subnetIds !== undefined && { subnetIds: p.subnetIds }),
        ...(p.priority !== undefined && { priority: p.priority }),
        ...(p.confidentialComputeProperties !== undefined && { confidentialComputeProperties: p.confidentialComputeProperties }),
        ...(answer !== "list" && { instanceView: { events: answer === "get" ? g.groupEvents : [], state: groupState(g, now, timing) } }),
      },
      type: `${provider}/containerGroups`,
    };
  };

  /** The provider as Microsoft.Resources describes it (trimmed to what clients read). */
  const providerView = () => ({
    id: `/subscriptions/${subscriptionId}/providers/${provider}`,
    namespace: provider,
    registrationState: registrationState(),
    registrationPolicy: "RegistrationRequired",
    resourceTypes: [{ resourceType: "containerGroups", locations: [], apiVersions: [...supportedApiVersions] }],
  });
  const knownProvider = (namespace: string) => {
    if (namespace.toLowerCase() !== provider.toLowerCase()) {
      throw new ArmError(404, "InvalidResourceNamespace", `The resource namespace '${namespace}' is invalid.`);
    }
  };

  const handlers: Record<string, (route: Route, req: IncomingMessage, body: unknown, url: URL) => { status: number; body?: unknown; headers?: Record<string, string> }> = {
    "providers.get": ({ params }) => {
      knownProvider(params.namespace!);
      return { status: 200, body: providerView() };
    },
    "providers.register": ({ params }) => {
      knownProvider(params.namespace!);
      registeredAt ??= clock() + registrationMs;
      return { status: 200, body: providerView() };
    },
    "location.listUsage": ({ params }) => {
      const used = usageIn(params.location!.toLowerCase());
      // Ids spelled as Az.ContainerInstance's recording of 2024 shows them (".../usages/standardCores").
      const usage = (value: string, localizedValue: string, currentValue: number, limit: number) => ({
        id: `/subscriptions/${subscriptionId}/providers/${provider}/locations/${params.location}/usages/${value.endsWith("Cores") ? value[0]!.toLowerCase() + value.slice(1) : value}`,
        unit: "Count",
        currentValue,
        limit,
        name: { value, localizedValue },
      });
      return {
        status: 200,
        body: {
          value: [
            usage("ContainerGroups", "Container Groups", used.groups, quota.containerGroups),
            usage("StandardCores", "Standard Cores", used.cores, quota.standardCores),
            usage("StandardSpotCores", "Standard Spot Cores", 0, 100),
            usage("DedicatedContainerGroups", "Dedicated Container Groups", 0, 0),
          ],
        },
      };
    },
    "location.listCapabilities": ({ params }) => ({
      status: 200,
      body: { value: capabilitiesIn(params.location!).map((row) => ({ ...row, location: params.location })) },
    }),
    "location.listCachedImages": () => ({
      status: 200,
      body: {
        value: [
          { osType: "Windows", image: "mcr.microsoft.com/windows/servercore:ltsc2022" },
          { osType: "Windows", image: "mcr.microsoft.com/windows/nanoserver:ltsc2022" },
          { osType: "Linux", image: "mcr.microsoft.com/azuredocs/aci-helloworld:latest" },
        ],
      },
    }),
    "operations.get": ({ params }) => {
      const op = operations.get(params.operationId!);
      if (op === undefined) throw new ArmError(404, "OperationNotFound", `The operation '${params.operationId}' could not be found.`);
      const g = groups.get(op.group);
      const state = g === undefined || op.kind === "instant" ? "Succeeded" : provisioningState(g, clock(), timing);
      // The provisioning state itself: the 2023 recording's first poll answers "Pending", not "InProgress".
      const status = state;
      return {
        status: 200,
        body: {
          // The real service names the container group here, not the operation (azure-cli recordings).
          id: g === undefined ? `/subscriptions/${subscriptionId}/providers/${provider}/locations/${op.location}/operations/${params.operationId}` : groupId(g),
          status,
          startTime: op.startTime,
          ...(status === "Failed" && g?.failure !== undefined && { error: { code: g.failure.code, message: g.failure.message } }),
          properties: { events: [] },
        },
      };
    },
    "containerGroups.list": (_r, _req, _b, url) => page([...groups.values()], url),
    "containerGroups.listByResourceGroup": ({ params }, _req, _b, url) =>
      page([...groups.values()].filter((g) => g.resourceGroup.toLowerCase() === params.resourceGroup!.toLowerCase()), url),
    "containerGroups.createOrUpdate": ({ params }, _req, body) => {
      validateGroupName(params.name!);
      const valid = validateGroupBody(params.name!, body);
      const identity = validateIdentity(params.name!, (body as { identity?: unknown }).identity, valid.properties.imageRegistryCredentials);
      const k = key(params.resourceGroup!, params.name!);
      const existing = groups.get(k);
      if (existing !== undefined && existing.properties.osType !== valid.properties.osType) {
        throw new ArmError(409, "ContainerGroupUpdateNotAllowed", "The OS type of an existing container group cannot be changed.");
      }
      checkCapabilities(valid.location, capabilitiesIn(valid.location), valid.properties);
      const rateHeaders = existing === undefined ? checkCreateQuota(valid.location, valid.properties) : {};
      // An update of a group keeps its runtime; the connector never updates one, it only repeats a create.
      const pullRefused = (image: string) => privateRegistryRefuses(image, valid.properties.imageRegistryCredentials, options.privateRegistries ?? {});
      const group = existing ?? newStoredGroup({ name: params.name!, resourceGroup: params.resourceGroup!, ...valid, ...(identity !== undefined && { identity }), now: clock(), pullRefused });
      if (existing !== undefined) {
        existing.tags = valid.tags;
        existing.properties = valid.properties;
        if (identity === undefined) delete existing.identity;
        else existing.identity = identity;
      }
      groups.set(k, group);
      if (existing === undefined) history.created.push({ name: group.name, tags: { ...group.tags }, at: clock() });
      // The write completes when provisioning ends (at once for a group already provisioned); a group
      // deleted or replaced before then raises nothing. One with init containers still to run ends later:
      // its event is raised when the last of them exits (exitContainer below).
      topic.publishAfter(group.createdAt + timing.pendingMs + timing.creatingMs - clock(), () => {
        if (groups.get(k) !== group) return undefined;
        const init = initContainersOutcome(group);
        if (init === "running") return undefined;
        return resourceEvent(group, group.failure === undefined && init === "completed" ? "Microsoft.Resources.ResourceWriteSuccess" : "Microsoft.Resources.ResourceWriteFailure");
      });
      const operationId = randomUUID();
      operations.set(operationId, { group: k, location: group.location, startTime: new Date(clock()).toISOString(), kind: "create" });
      return {
        status: existing === undefined ? 201 : 200,
        body: view(group, "put"),
        headers: { ...rateHeaders, "azure-asyncoperation": operationUrl(group.location, operationId) },
      };
    },
    "containerGroups.get": ({ params }) => ({ status: 200, body: view(found(params), "get") }),
    "containerGroups.delete": ({ params }) => {
      const k = key(params.resourceGroup!, params.name!);
      const g = groups.get(k);
      if (g === undefined) return { status: 204 };
      groups.delete(k);
      history.deleted.push({ name: g.name, tags: { ...g.tags }, at: clock() });
      topic.publish(resourceEvent(g, "Microsoft.Resources.ResourceDeleteSuccess"));
      // The group as a GET would have shown it, instanceViews included, and the deletions left in the
      // windows, counted apart from creations (the 2023 recording's DELETE).
      return { status: 200, body: view(g, "get"), headers: countDown(deleteTimes) };
    },
    "containerGroups.update": ({ params }, _req, body) => {
      const g = found(params);
      const tags = (body as { tags?: Record<string, string> } | undefined)?.tags;
      if (tags !== undefined) g.tags = tags;
      topic.publish(resourceEvent(g, "Microsoft.Resources.ResourceWriteSuccess"));
      return { status: 200, body: view(g, "list") };
    },
    "containerGroups.stop": ({ params }) => {
      found(params).stopped = true;
      return { status: 204 };
    },
    "containerGroups.start": ({ params }) => {
      const g = found(params);
      g.stopped = false;
      return { status: 202, headers: { "azure-asyncoperation": instantOperation(params, g) } };
    },
    "containerGroups.restart": ({ params }) => {
      const g = found(params);
      for (const runtime of g.containers.values()) {
        runtime.restartCount += 1;
        runtime.terminated = undefined;
        runtime.startedAt = clock();
      }
      g.stopped = false;
      return { status: 204, headers: { "azure-asyncoperation": instantOperation(params, g) } };
    },
    "containers.executeCommand": ({ params }, _req, body) => {
      const g = found(params);
      const container = params.container!;
      if (!g.containers.has(container)) throw new ArmError(404, "ContainerNotFound", `The container '${container}' could not be found in container group '${g.name}'.`);
      const command = (body as { command?: unknown } | undefined)?.command;
      if (typeof command !== "string") throw new ArmError(400, "InvalidRequestContent", "The request content was invalid: 'command' is required.");
      // No recording of ACI refusing an exec into a container that is not running was found: the code
      // and wording are the emulator's own (docs/emulator.md).
      const image = containerSpecs(g.properties).find((c) => c.name === container)?.image ?? "";
      const state = containerInstanceView(g, container, image, clock(), timing).currentState.state;
      if (state !== "Running") {
        throw new ArmError(409, "ContainerNotRunning", `The container '${container}' in container group '${g.name}' is not running (its state is '${state}'); a command can only be executed in a running container.`);
      }
      return { status: 200, body: execSessions.open({ group: g.name, properties: g.properties, container, command }, new URL(endpoint).host) };
    },
    "containers.listLogs": ({ params }, _req, _body, url) => {
      const g = found(params);
      const runtime = runtimeOf(g, params.container!);
      if (runtime === undefined) throw new ArmError(404, "ContainerNotFound", `The container '${params.container}' could not be found in container group '${g.name}'.`);
      const tail = Number(url.searchParams.get("tail") ?? "0");
      const lines = tail > 0 ? runtime.logs.slice(-tail) : runtime.logs;
      const timestamps = url.searchParams.get("timestamps") === "true";
      return { status: 200, body: { content: lines.map((l) => (timestamps ? l : l.replace(/^\S+ /, ""))).map((l) => `${l}\n`).join("") } };
    },
  };

  function instantOperation(params: Record<string, string>, g: StoredGroup): string {
    const id = randomUUID();
    operations.set(id, { group: key(params.resourceGroup!, params.name!), location: g.location, startTime: new Date(clock()).toISOString(), kind: "instant" });
    return operationUrl(g.location, id);
  }

  function found(params: Record<string, string>): StoredGroup {
    const g = groups.get(key(params.resourceGroup!, params.name!));
    if (g === undefined) {
      throw new ArmError(404, "ResourceNotFound", `The Resource '${provider}/containerGroups/${params.name}' under resource group '${params.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    }
    return g;
  }

  /** ARM's list paging: `value` and an absolute `nextLink`; list items carry no instanceView. */
  function page(all: StoredGroup[], url: URL) {
    const sorted = all.sort((a, b) => a.name.localeCompare(b.name));
    const skip = Number(url.searchParams.get("$skipToken") ?? "0");
    const slice = sorted.slice(skip, skip + pageSize);
    const next = skip + pageSize < sorted.length ? new URL(url.toString()) : undefined;
    next?.searchParams.set("$skipToken", String(skip + pageSize));
    return { status: 200, body: { value: slice.map((g) => view(g, "list")), ...(next !== undefined && { nextLink: `${endpoint}${next.pathname}${next.search}` }) } };
  }

  function requestedCpu(properties: Record<string, unknown>): number {
    const containers = (properties.containers ?? []) as { properties?: { resources?: { requests?: { cpu?: number } } } }[];
    return containers.reduce((sum, c) => sum + (c.properties?.resources?.requests?.cpu ?? 0), 0);
  }

  /** Groups and standard cores in use in a region, as usages report and quotas count them. */
  function usageIn(location: string): { groups: number; cores: number } {
    const inLocation = [...groups.values()].filter((g) => g.location === location);
    return { groups: inLocation.length, cores: inLocation.reduce((sum, g) => sum + requestedCpu(g.properties), 0) };
  }

  /**
   * ACI's quotas on a new group: groups and standard cores in the region (ContainerGroupQuotaReached, with
   * the wording users have reported), and creations per 5 minutes and per hour (counted down in headers).
   */
  function checkCreateQuota(location: string, properties: Record<string, unknown>): Record<string, string> {
    const used = usageIn(location);
    const exceeded = (name: string, limit: number, usage: number, requested: number) =>
      new ArmError(409, "ContainerGroupQuotaReached", `Resource type '${provider}/containerGroups' container group quota '${name}' exceeded in region '${location}'. Limit: '${limit}', Usage: '${usage}' Requested: '${requested}'.`);
    if (used.groups + 1 > quota.containerGroups) throw exceeded("ContainerGroups", quota.containerGroups, used.groups, 1);
    const requested = requestedCpu(properties);
    if (used.cores + requested > quota.standardCores) throw exceeded("StandardCores", quota.standardCores, used.cores, requested);
    const now = clock();
    const window = (ms: number) => createTimes.filter((t) => now - t < ms * scale).length;
    if (window(5 * 60_000) >= quota.createsPer5Min || window(60 * 60_000) >= quota.createsPerHour) {
      throw new ArmError(429, "TooManyRequests", `The number of container group creations in region '${location}' exceeded the limit of ${quota.createsPer5Min} per 5 minutes and ${quota.createsPerHour} per hour.`, { "retry-after": "60" });
    }
    return countDown(createTimes);
  }

  /** Counts one more creation or deletion, and says how many are left in the 5-minute and hour windows. */
  function countDown(times: number[]): Record<string, string> {
    const now = clock();
    const window = (ms: number) => times.filter((t) => now - t < ms * scale).length;
    const in5Min = window(5 * 60_000);
    const inHour = window(60 * 60_000);
    times.push(now);
    return {
      "x-ms-ratelimit-remaining-subscription-resource-requests-pt5m": String(quota.createsPer5Min - in5Min - 1),
      "x-ms-ratelimit-remaining-subscription-resource-requests-pt1h": String(quota.createsPerHour - inHour - 1),
    };
  }

  const execSessions = createExecSessions(clock);
  const serving = await options.ca.issueServing({ commonName: "management.azure.com (aci-connector emulator)", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      // Past ARM's limit the rest is counted, not kept: the answer is 413 whatever it holds.
      if (size <= maxRequestBytes) chunks.push(c);
    });
    req.on("end", () => void serve(req, res, size > maxRequestBytes ? undefined : Buffer.concat(chunks).toString("utf8")));
  });
  // The exec WebSockets (wss) share the ARM listener, as the URIs handed out name its host.
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => execSessions.handleUpgrade(req, socket, head));

  /** `text` is undefined for a body over ARM's size limit. */
  async function serve(req: IncomingMessage, res: ServerResponse, text: string | undefined): Promise<void> {
    const url = new URL(req.url ?? "/", endpoint);
    const route = routeOf(req.method ?? "GET", url.pathname);
    const operation = route?.operation ?? "unknown";
    counters[operation] = (counters[operation] ?? 0) + 1;
    const at = Date.now();
    res.once("finish", () => {
      const retryAfter = res.getHeader("retry-after");
      answers.push({ operation, at, answeredAt: Date.now(), status: res.statusCode, ...(retryAfter !== undefined && { retryAfterSeconds: Number(retryAfter) }) });
      if (answers.length > 2 * maxAnswers) answers.splice(0, maxAnswers);
    });
    let rateHeaders: Record<string, string> = {};
    try {
      if (!/^Bearer \S+/.test(req.headers.authorization ?? "")) {
        throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", { "www-authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common"' });
      }
      if (text === undefined) throw requestTooLarge();
      if (route === undefined) throw new ArmError(404, "InvalidResourceType", `The resource type could not be found in the namespace '${provider}' for api version '${url.searchParams.get("api-version")}'.`);
      const apiVersion = url.searchParams.get("api-version");
      if (operation === "metrics.getBatch") {
        // Azure Monitor's data plane: none of ARM's api-versions, provider registration or throttling.
      } else if (route.resources) {
        if (apiVersion === null || !(resourcesApiVersions as readonly string[]).includes(apiVersion)) {
          throw new ArmError(400, "InvalidApiVersionParameter", `The api-version '${apiVersion ?? ""}' is invalid. The supported versions are '${resourcesApiVersions.join(",")}'.`);
        }
      } else {
        const versions: readonly string[] = operation === "operations.get" ? [operationApiVersion, ...supportedApiVersions] : supportedApiVersions;
        if (apiVersion === null || !versions.includes(apiVersion)) {
          throw new ArmError(400, "NoRegisteredProviderFound", `No registered resource provider found for location 'westeurope' and API version '${apiVersion ?? ""}' for type 'containerGroups'. The supported api-versions are '${supportedApiVersions.join(", ")}'.`);
        }
        if (registrationState() !== "Registered") {
          throw new ArmError(409, "MissingSubscriptionRegistration", `The subscription is not registered to use namespace '${provider}'. See https://aka.ms/rps-not-found for how to register subscriptions.`);
        }
      }
      const limit = operation === "metrics.getBatch" ? undefined : throttle?.take(requestKindOf(req.method ?? "GET"));
      if (limit !== undefined && !limit.allowed) {
        // ARM's wording since its token buckets (velero-io/velero#9171, 2025).
        const kind = requestKindOf(req.method ?? "GET").slice(0, -1);
        throw new ArmError(
          429,
          "SubscriptionRequestsThrottled",
          `Number of '${kind}' requests for subscription '${subscriptionId}' actor '${emulatorActor}' exceeded. Please try again after '${limit.headers["retry-after"]}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
          limit.headers,
        );
      }
      rateHeaders = limit?.headers ?? {};
      const fault = faults.take(operation);
      if (fault?.drop === true) {
        req.socket.destroy();
        return;
      }
      if (fault?.delayMs !== undefined) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.status !== undefined) {
        throw new ArmError(fault.status, fault.code ?? "InternalServerError", fault.message ?? "An injected fault.", fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) });
      }
      let body: unknown;
      if (text !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
        }
      }
      const answer = operation === "metrics.getBatch" ? metricsBatch(url, body, metricsTarget) : handlers[operation]!(route, req, body, url);
      sendJson(res, answer.status, answer.body, { ...rateHeaders, ...answer.headers });
    } catch (error) {
      // A request ARM charged keeps its count on an error answer too (an RP's 404 is still a read).
      if (error instanceof ArmError) sendError(res, new ArmError(error.status, error.code, error.message, { ...rateHeaders, ...error.headers }));
      else sendError(res, new ArmError(500, "InternalServerError", (error as Error).message, rateHeaders));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const metricsTarget = {
    groupOf: (resourceId: string) => {
      const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerInstance\/containerGroups\/([^/]+)$/i.exec(resourceId);
      return m === null || m[1]!.toLowerCase() !== subscriptionId.toLowerCase() ? undefined : groups.get(key(m[2]!, m[3]!));
    },
    runOf: (g: StoredGroup, container: string) => currentRun(g, container, clock(), timing),
    usageOf: (g: StoredGroup, container: string) => usage.get(`${key(g.resourceGroup, g.name)}/${container}`) ?? [],
    now: clock,
  };

  const groupByName = (name: string) => {
    const g = [...groups.values()].find((x) => x.name === name);
    if (g === undefined) throw new UnknownTargetError(`no container group named ${name}`);
    return g;
  };

  return {
    endpoint,
    subscriptionId,
    resourceGroup,
    caCertPem: options.ca.certPem,
    control: {
      counters: () => ({ ...counters }),
      resetCounters: () => {
        for (const k of Object.keys(counters)) delete counters[k];
      },
      injectFault: (fault) => faults.add(fault),
      clearFaults: () => faults.clear(),
      exitContainer: (group, container, exit) => {
        const g = groupByName(group);
        const init = initContainersOutcome(g);
        exitContainer(g, container, exit, clock(), timing);
        // The last init container's exit ends the create's provisioning: that is when its write completes.
        const after = initContainersOutcome(g);
        if (after !== init) topic.publish(resourceEvent(g, after === "completed" ? "Microsoft.Resources.ResourceWriteSuccess" : "Microsoft.Resources.ResourceWriteFailure"));
      },
      // Not an ARM write: no resource event, as for a container's exit.
      evictGroup: (group) => evictSpotGroup(groupByName(group), clock(), timing),
      appendLogs: (group, container, lines) => {
        const runtime = runtimeOf(groupByName(group), container);
        if (runtime === undefined) throw new UnknownTargetError(`container group ${group} has no container ${container}`);
        runtime.logs.push(...lines.map((l) => `${new Date(clock()).toISOString()} ${l}`));
      },
      setUsage: (group, container, u) => {
        const g = groupByName(group);
        if (!g.containers.has(container)) throw new UnknownTargetError(`container group ${group} has no container ${container}`);
        const k = `${key(g.resourceGroup, g.name)}/${container}`;
        usage.set(k, [...(usage.get(k) ?? []), { at: clock(), cpuMillicores: u.cpuMillicores, memoryBytes: u.memoryBytes }]);
      },
      groupNames: () => [...groups.values()].map((g) => g.name).sort(),
      answers: () => answers.slice(-maxAnswers),
      history: () => ({ created: [...history.created], deleted: [...history.deleted] }),
      groups: () =>
        [...groups.values()]
          .map((g) => ({ name: g.name, tags: { ...g.tags }, createdAt: new Date(g.createdAt).toISOString(), containers: [...g.containers.keys()], initContainers: [...g.initContainers.keys()] }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      subscribeResourceEvents: (listener) => topic.subscribe(listener),
      groupStates: () => Object.fromEntries([...groups.values()].map((g) => [g.name, groupState(g, clock(), timing)])),
    },
    stop: () =>
      new Promise<void>((resolve) => {
        topic.stop();
        execSessions.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
