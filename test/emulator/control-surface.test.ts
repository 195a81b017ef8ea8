// The emulator's control surface over HTTPS, as another terminal uses it: a listener of its own behind a
// bearer token, whose faults, exits and logs the real SDK then sees on the ARM surface.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { ContainerGroup } from "@azure/arm-containerinstance";
import { controlPaths } from "../../dev/emulator/control-protocol.js";
import type { GroupSummary } from "../../dev/emulator/index.js";
import { podGroup, startControlledTestEmulator } from "../support/emulator.js";
import { rawArm } from "../support/raw-arm.js";

type Emulator = Awaited<ReturnType<typeof startControlledTestEmulator>>;

describe("ACI emulator: the control surface", () => {
  let emulator: Emulator;
  const control = (method: string, path: string, options: { body?: unknown; authorization?: string | null } = {}) =>
    rawArm({ endpoint: emulator.controlEndpoint, caCertPem: emulator.caCertPem }, method, path, { authorization: `Bearer ${emulator.controlToken}`, ...options });
  const usagesPath = () => `/subscriptions/${emulator.subscriptionId}/providers/Microsoft.ContainerInstance/locations/westeurope/usages?api-version=2023-05-01`;
  const listUsage = async () => {
    for await (const _ of emulator.client.location.listUsage("westeurope")) void _;
  };
  const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;
  const create = (name: string, group: ContainerGroup) => emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, name, group, { updateIntervalInMs: 50 });

  before(async () => {
    emulator = await startControlledTestEmulator();
  });
  after(() => emulator.stop());
  // A fault a failing test leaves behind would fail every test after it.
  afterEach(() => emulator.control.clearFaults());

  it("listens apart from the ARM surface, on loopback, with the same CA", () => {
    assert.match(emulator.controlEndpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(emulator.controlEndpoint, emulator.endpoint);
  });

  it("the ARM surface answers no control call, even with the control token", async () => {
    for (const [method, path] of [["POST", controlPaths.faults], ["DELETE", controlPaths.faults], ["GET", controlPaths.groups]] as const) {
      const answer = await rawArm(emulator, method, path, { body: { status: 503 }, authorization: `Bearer ${emulator.controlToken}` });
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal((answer.json as { error: { code: string } }).error.code, "InvalidResourceType");
    }
    await listUsage();
  });

  it("the control surface answers none of ARM's operations", async () => {
    emulator.control.resetCounters();
    const answer = await control("GET", usagesPath());
    assert.equal(answer.status, 404);
    assert.deepEqual(emulator.control.counters(), {}, "nothing reached the ARM surface");
  });

  it("refuses a missing token with 401 and a wrong one with 403, does nothing, and echoes no token", async () => {
    const fault = { status: 503 };
    const missing = await control("POST", controlPaths.faults, { body: fault, authorization: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.headers["www-authenticate"], "Bearer");
    // What an ARM client sends is not a control token.
    const wrong = await control("POST", controlPaths.faults, { body: fault, authorization: "Bearer test-token" });
    assert.equal(wrong.status, 403);
    const notBearer = await control("GET", controlPaths.groups, { authorization: emulator.controlToken });
    assert.equal(notBearer.status, 401);
    for (const answer of [missing, wrong, notBearer]) assert.doesNotMatch(JSON.stringify(answer), new RegExp(`${emulator.controlToken}|test-token`));
    await listUsage();
  });

  it("a fault of N seconds: the SDK gets its status and code on that operation only, until the time is up", async () => {
    const set = await control("POST", controlPaths.faults, { body: { status: 503, code: "ServiceUnavailable", message: "try later", operation: "location.listUsage", seconds: 1 } });
    assert.equal(set.status, 204);
    const started = Date.now();
    await assert.rejects(listUsage, (e: { statusCode?: number; code?: string; message?: string }) => e.statusCode === 503 && e.code === "ServiceUnavailable" && e.message === "try later");
    for await (const _ of emulator.client.containerGroups.list()) void _;
    await new Promise((r) => setTimeout(r, Math.max(0, 1100 - (Date.now() - started))));
    await listUsage();
  });

  it("a fault of N requests, then one until cleared", async () => {
    await control("POST", controlPaths.faults, { body: { status: 500, count: 1, operation: "location.listUsage" } });
    assert.equal((await rawArm(emulator, "GET", usagesPath())).status, 500);
    assert.equal((await rawArm(emulator, "GET", usagesPath())).status, 200);
    await control("POST", controlPaths.faults, { body: { status: 403, code: "AuthorizationFailed" } });
    await assert.rejects(listUsage, (e: unknown) => statusOf(e) === 403);
    assert.equal((await control("DELETE", controlPaths.faults)).status, 204);
    await listUsage();
  });

  it("takes only a fault request's own fields: no dropped connections from outside", async () => {
    await control("POST", controlPaths.faults, { body: { status: 500, count: 1, drop: true, delayMs: 60_000 } });
    const answer = await rawArm(emulator, "GET", usagesPath());
    assert.equal(answer.status, 500);
  });

  it("refuses a bad request with 400 naming the field, and acts on nothing", async () => {
    const answer = await control("POST", controlPaths.faults, { body: { status: 200, operation: "containerGroups.fetch" } });
    assert.equal(answer.status, 400);
    assert.match((answer.json as { error: { message: string } }).error.message, /^status must be an HTTP error status, 400-599; operation must be one of /);
    await listUsage();
  });

  it("lists groups with their tags, creation time, containers and init containers; exit makes the SDK see the container terminated", async () => {
    const jobGroup = podGroup({ name: "job", uid: "uid-job" }, { restartPolicy: "Never" });
    await create("default-job", jobGroup);
    const groups = (await control("GET", controlPaths.groups)).json as GroupSummary[];
    const job = groups.find((g) => g.name === "default-job");
    assert.deepEqual({ ...job, createdAt: undefined }, { name: "default-job", tags: jobGroup.tags, createdAt: undefined, containers: ["app"], initContainers: [] });
    assert.ok(Date.now() - Date.parse(job!.createdAt) < 60_000);

    assert.equal((await control("POST", controlPaths.exit("default-job", "app"), { body: { exitCode: 3 } })).status, 204);
    const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "default-job");
    assert.equal(group.instanceView?.state, "Failed");
    const state = group.containers[0]!.instanceView?.currentState;
    assert.deepEqual([state?.state, state?.exitCode, state?.detailStatus], ["Terminated", 3, "Error"]);
  });

  it("exit with oomKilled restarts an Always group's container, reporting OOMKilled", async () => {
    await create("default-web", podGroup({ name: "web", uid: "uid-web" }));
    await control("POST", controlPaths.exit("default-web", "app"), { body: { exitCode: 137, oomKilled: true } });
    const view = (await emulator.client.containerGroups.get(emulator.resourceGroup, "default-web")).containers[0]!.instanceView;
    assert.equal(view?.restartCount, 1);
    assert.deepEqual([view?.previousState?.exitCode, view?.previousState?.detailStatus, view?.currentState?.state], [137, "OOMKilled", "Running"]);
  });

  it("appended log lines are what the SDK's listLogs returns", async () => {
    await create("default-logs", podGroup({ name: "logs", uid: "uid-logs" }));
    assert.equal((await control("POST", controlPaths.logs("default-logs", "app"), { body: { lines: ["first", "second"] } })).status, 204);
    const logs = await emulator.client.containers.listLogs(emulator.resourceGroup, "default-logs", "app");
    assert.equal(logs.content, "first\nsecond\n");
  });

  it("answers 404 for a group or container it does not have, and 409 for a container not running yet", async () => {
    assert.equal((await control("POST", controlPaths.exit("no-such-group", "app"), { body: { exitCode: 1 } })).status, 404);
    assert.equal((await control("POST", controlPaths.logs("default-logs", "sidecar"), { body: { lines: ["x"] } })).status, 404);
    await emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, "default-new", podGroup({ name: "new", uid: "uid-new" }));
    const early = await control("POST", controlPaths.exit("default-new", "app"), { body: { exitCode: 1 } });
    assert.equal(early.status, 409);
    assert.match((early.json as { error: { message: string } }).error.message, /container group default-new is not running \(provisioning state (Pending|Creating)\)/);
  });

  it("sets a container's usage for Azure Monitor (POST .../usage), refusing bad amounts and unknown targets", async () => {
    await create("usage-target", podGroup({ name: "usage-target", uid: "u-1" }));
    assert.equal((await control("POST", controlPaths.usage("usage-target", "app"), { body: { cpuMillicores: 250, memoryBytes: 1e6 } })).status, 204);
    const bad = await control("POST", controlPaths.usage("usage-target", "app"), { body: { cpuMillicores: -1 } });
    assert.equal(bad.status, 400);
    assert.match((bad.json as { error: { message: string } }).error.message, /cpuMillicores must be .*; memoryBytes must be/);
    assert.equal((await control("POST", controlPaths.usage("usage-target", "nope"), { body: { cpuMillicores: 1, memoryBytes: 1 } })).status, 404);
    assert.equal((await control("POST", controlPaths.usage("no-such-group", "app"), { body: { cpuMillicores: 1, memoryBytes: 1 } })).status, 404);
  });
});
