// `aci-connector emulator fault|exit|logs` as a user runs them from another terminal, against a running
// `aci-connector emulator`: each prints one line and its effect is what the real SDK then sees; bad
// arguments exit 2 with one line each, an emulator that is gone exits 1; the token never shows.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ContainerGroup, ContainerInstanceManagementClient } from "@azure/arm-containerinstance";
import type { EmulatorDescriptor } from "../../cli/emulator-state.js";
import { createAciClient } from "../../shared/aci/client.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { podGroup } from "../support/emulator.js";
import { projectRoot } from "../support/paths.js";
import { waitFor } from "../support/wait.js";

const cli = join(projectRoot, "bin", "aci-connector.js");

describe("aci-connector emulator fault, exit and logs", () => {
  let stateDir: string;
  let descriptor: EmulatorDescriptor;
  let client: ContainerInstanceManagementClient;
  let token: string;
  let emulatorProcess: ReturnType<typeof spawn>;
  let exited: Promise<number | null>;
  /** Everything any command printed, to check no token ever shows. */
  let printed = "";

  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [cli, "emulator", ...args], { encoding: "utf8", timeout: 30_000 });
    printed += result.stdout + result.stderr;
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const get = (name: string) => client.containerGroups.get(descriptor.resourceGroup, name);
  const create = (name: string, group: ContainerGroup) => client.containerGroups.beginCreateOrUpdateAndWait(descriptor.resourceGroup, name, group, { updateIntervalInMs: 50 });

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "emulator-control-"));
    emulatorProcess = spawn(process.execPath, [cli, "emulator", "--state-dir", stateDir], { stdio: ["ignore", "pipe", "pipe"] });
    emulatorProcess.stdout!.on("data", (c: Buffer) => (printed += c.toString()));
    emulatorProcess.stderr!.on("data", (c: Buffer) => (printed += c.toString()));
    exited = new Promise((resolve) => emulatorProcess.on("exit", (code) => resolve(code)));
    const descriptorFile = join(stateDir, "emulator.json");
    await waitFor("emulator.json", () => Promise.resolve(existsSync(descriptorFile) || undefined), { timeoutMs: 20_000 });
    descriptor = JSON.parse(readFileSync(descriptorFile, "utf8")) as EmulatorDescriptor;
    token = readFileSync(descriptor.controlTokenFile, "utf8").trim();
    client = createAciClient({
      settings: { subscriptionId: descriptor.subscriptionId, armEndpoint: descriptor.endpoint, armCaFile: descriptor.caFile },
      credential: emulatorCredential,
      retryOptions: { maxRetries: 1, retryDelayInMs: 50, maxRetryDelayInMs: 200 },
    });
  });
  after(async () => {
    emulatorProcess.kill("SIGTERM");
    await exited;
  });

  it("records the control surface apart from the ARM endpoint, its token in a file of mode 0600", () => {
    assert.match(descriptor.controlEndpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(descriptor.controlEndpoint, descriptor.endpoint);
    assert.equal(statSync(descriptor.controlTokenFile).mode & 0o777, 0o600);
    assert.ok(token.length >= 32);
    assert.doesNotMatch(readFileSync(join(stateDir, "emulator.json"), "utf8"), new RegExp(token));
  });

  it("fault --seconds: the SDK gets the status on that operation, until the time is up", async () => {
    await create("web-a", podGroup({ name: "plain", uid: "uid-plain" }));
    const set = run("fault", "--state-dir", stateDir, "--status", "503", "--operation", "containerGroups.get", "--seconds", "2");
    assert.deepEqual(set, { code: 0, stdout: "fault set: containerGroups.get requests answer 503 ServiceUnavailable, for 2 s\n", stderr: "" });
    await assert.rejects(get("web-a"), (e: { statusCode?: number; code?: string }) => e.statusCode === 503 && e.code === "ServiceUnavailable");
    await waitFor("the fault to end", () => get("web-a").then(() => true), { timeoutMs: 10_000 });
  });

  it("fault until cleared, then --clear", async () => {
    assert.equal(run("fault", "--state-dir", stateDir, "--status", "403", "--code", "AuthorizationFailed").code, 0);
    await assert.rejects(get("web-a"), (e: { statusCode?: number; code?: string }) => e.statusCode === 403 && e.code === "AuthorizationFailed");
    assert.deepEqual(run("fault", "--state-dir", stateDir, "--clear"), { code: 0, stdout: "faults cleared: every request is served again\n", stderr: "" });
    await get("web-a");
  });

  it("exit and logs act on the newest group of a recreated pod, as the SDK then reports", async () => {
    await create("default-web-old", podGroup({ name: "web", uid: "uid-1" }));
    await create("default-web-new", podGroup({ name: "web", uid: "uid-2" }));
    const exit = run("exit", "--state-dir", stateDir, "--pod", "default/web", "--code", "2");
    assert.deepEqual(exit, { code: 0, stdout: "container app of pod default/web (group default-web-new) exited with code 2\n", stderr: "" });
    const view = (await get("default-web-new")).containers[0]!.instanceView;
    assert.deepEqual([view?.restartCount, view?.previousState?.exitCode, view?.currentState?.state], [1, 2, "Running"]);
    assert.equal((await get("default-web-old")).containers[0]!.instanceView?.restartCount, 0);

    const logs = run("logs", "--state-dir", stateDir, "--pod", "default/web", "--append", "hello\nworld");
    assert.deepEqual(logs, { code: 0, stdout: "container app of pod default/web (group default-web-new): 2 log lines appended\n", stderr: "" });
    assert.equal((await client.containers.listLogs(descriptor.resourceGroup, "default-web-new", "app")).content, "hello\nworld\n");
  });

  it("--container picks one of several, and is required with a list of them otherwise", async () => {
    await create("default-sidecars", podGroup({ name: "sidecars", uid: "uid-3" }, { containers: ["app", "proxy"] }));
    const without = run("exit", "--state-dir", stateDir, "--pod", "default/sidecars", "--code", "1", "--oom");
    assert.deepEqual(without, { code: 2, stdout: "", stderr: "aci-connector emulator exit: pod default/sidecars has several containers (app, proxy): name one with --container\n" });
    const named = run("exit", "--state-dir", stateDir, "--pod", "default/sidecars", "--container", "proxy", "--code", "137", "--oom");
    assert.equal(named.stdout, "container proxy of pod default/sidecars (group default-sidecars) exited with code 137, OOM killed\n");
    const proxy = (await get("default-sidecars")).containers.find((c) => c.name === "proxy")!.instanceView;
    assert.equal(proxy?.previousState?.detailStatus, "OOMKilled");
  });

  it("evict: the pod's Spot group is evicted, as the SDK then reads it; a group that is not Spot is refused (exit 1)", async () => {
    await create("default-spotty", { ...podGroup({ name: "spotty", uid: "uid-spot" }, { containers: ["app", "proxy"] }), priority: "Spot" });
    const evicted = run("evict", "--state-dir", stateDir, "--pod", "default/spotty");
    assert.deepEqual(evicted, { code: 0, stdout: "Spot container group default-spotty of pod default/spotty evicted (ACI restarts it; the connector fails the pod as Evicted)\n", stderr: "" });
    assert.ok((await get("default-spotty")).instanceView?.events?.some((e) => e.name === "Evicted" && e.type === "Warning"));
    const regular = run("evict", "--state-dir", stateDir, "--pod", "default/plain");
    assert.equal(regular.code, 1);
    assert.match(regular.stderr, /^aci-connector emulator evict: the emulator refused: container group \S+ is not a Spot container group \(priority Regular\): only Spot groups are evicted\n$/);
    assert.equal(run("evict", "--state-dir", stateDir, "--pod", "default/nope").code, 2);
  });

  it("a bad argument or a pod the emulator does not have: exit 2, one line", () => {
    const bad = run("fault", "--state-dir", stateDir, "--status", "503", "--seconds", "5", "--count", "1");
    assert.deepEqual(bad, { code: 2, stdout: "", stderr: "aci-connector emulator fault: --count and --seconds cannot be combined: a fault lasts N requests or N seconds\n" });
    const missing = run("logs", "--state-dir", stateDir, "--pod", "default/nope", "--append", "x");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^aci-connector emulator logs: no container group of pod default\/nope [^\n]*\n$/);
  });

  it("--help documents every sub-command and operation", () => {
    const help = run("fault", "--help");
    assert.equal(help.code, 0);
    for (const text of ["fault --state-dir DIR --clear", "exit  --state-dir DIR --pod NAMESPACE/NAME", "--append TEXT", "containerGroups.createOrUpdate", "--seconds N", "--count N", "evict --state-dir DIR --pod NAMESPACE/NAME"]) assert.ok(help.stdout.includes(text), text);
  });

  it("no emulator recorded, or a token that is not the emulator's: exit 1, and no token shown", async () => {
    const empty = await mkdtemp(join(tmpdir(), "emulator-control-empty-"));
    const none = run("fault", "--state-dir", empty, "--clear");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no emulator recorded in .*: is npm start running\?/);
    writeFileSync(descriptor.controlTokenFile, "not-the-token\n");
    const refused = run("fault", "--state-dir", stateDir, "--clear");
    writeFileSync(descriptor.controlTokenFile, `${token}\n`);
    assert.deepEqual(refused, { code: 1, stdout: "", stderr: `aci-connector emulator fault: the emulator refused the control token in ${stateDir} (403): is that directory another run's?\n` });
    assert.doesNotMatch(printed, new RegExp(`${token}|not-the-token`));
  });

  it("once the emulator has stopped: exit 1, is npm start running?", async () => {
    emulatorProcess.kill("SIGTERM");
    assert.equal(await exited, 0);
    const gone = run("fault", "--state-dir", stateDir, "--status", "500");
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, `aci-connector emulator fault: cannot reach the emulator's control surface at ${descriptor.controlEndpoint} (ECONNREFUSED): is npm start running?\n`);
    assert.doesNotMatch(printed, new RegExp(token));
  });
});
