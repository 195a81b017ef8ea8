// azd's hooks (infra/hooks/*.sh), run by sh with a stand-in `az` first on PATH that records its
// arguments, lists the functions as a Function App does a while after a zip deployment, and answers
// the providers' registration states: preprovision registers what is not Registered; postdeploy waits
// for both functions, then subscribes them; every call names the subscription.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { projectRoot } from "../../support/paths.js";

const hookFile = (name: string) => join(projectRoot, "infra", "hooks", `${name}.sh`);
const env = {
  AZURE_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_LOCATION: "westeurope",
  AZURE_RESOURCE_GROUP: "rg-aci-connector",
  FUNCTION_APP_NAME: "func-abc",
  RELAY_TOPIC_NAME: "evgt-abc",
  ACI_RESOURCE_GROUP: "rg-aci",
  ACI_CONNECTOR_NAME: "vk",
  ACI_CONNECTOR_LIST_POLL_SECONDS: "0",
};

describe("azd's hooks", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "azd-hook-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /**
   * Runs a hook with an `az` whose function list grows with each call through `lists`, and whose
   * providers are in `states`; returns its calls.
   */
  async function runHook(hook: string, lists: string[], states: Record<string, string> = {}): Promise<{ calls: string[][]; code: number; stdout: string; stderr: string }> {
    const dir = await mkdtemp(join(root, "run-"));
    const log = join(dir, "calls");
    await writeFile(log, "");
    for (const [i, listed] of lists.entries()) await writeFile(join(dir, `list-${i}`), listed);
    for (const [namespace, state] of Object.entries(states)) await writeFile(join(dir, `state-${namespace}`), `${state}\n`);
    const fakeAz = `#!/bin/sh
printf '%s\\037' "$@" >> "${log}"; printf '\\n' >> "${log}"
if [ "$1 $2" = "functionapp function" ]; then
  n=$(grep -c '^functionapp' "${log}"); f="${dir}/list-$((n - 1))"
  [ -f "$f" ] || f="${dir}/list-${lists.length - 1}"
  cat "$f"
fi
if [ "$1 $2" = "provider show" ]; then cat "${dir}/state-$4"; fi
if [ "$1 $2" = "eventgrid system-topic" ]; then echo existing-topic; fi
if [ "$1 $2" = "group exists" ]; then cat "${dir}/state-group"; fi
if [ "$1 $2" = "container list" ]; then cat "${dir}/state-containers" 2>/dev/null || true; fi
if [ "$1 $2 $3 $4" = "eventgrid system-topic event-subscription list" ]; then echo aci-events-vk; fi
`;
    await writeFile(join(dir, "az"), fakeAz);
    await chmod(join(dir, "az"), 0o755);
    const run = promisify(execFile)("sh", [hookFile(hook)], { cwd: projectRoot, env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH}` } });
    const result = await run.then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    const calls = (await readFile(log, "utf8")).split("\n").filter((l) => l !== "").map((l) => l.split("\x1f").slice(0, -1));
    return { calls, code: result.code, stdout: result.stdout, stderr: result.stderr };
  }

  it("waits until the Function App lists podEvents and aciEvents, then subscribes them, naming the subscription every time", async () => {
    const { calls, code, stdout } = await runHook("postdeploy", ["", "func-abc/podEvents\n", "func-abc/podEvents\nfunc-abc/aciEvents\n"]);
    assert.equal(code, 0);
    assert.deepEqual(calls.map((c) => c.slice(0, 3).join(" ")), ["functionapp function list", "functionapp function list", "functionapp function list", "eventgrid system-topic list", "deployment group create"]);
    for (const call of calls) assert.equal(call[call.indexOf("--subscription") + 1], env.AZURE_SUBSCRIPTION_ID, `${call.join(" ")} without --subscription`);
    assert.ok(calls[4]!.includes("functionAppName=func-abc") && calls[4]!.includes("aciResourceGroupName=rg-aci"));
    assert.ok(calls[4]!.includes("existingSystemTopicName=existing-topic") && calls[4]!.includes("connectorName=vk"), "the ACI resource group's system topic is reused, the subscription named by connector");
    assert.equal(stdout.match(/^waiting for func-abc/gm)?.length, 2);
  });

  it("gives up after 30 looks with a message, and subscribes nothing", async () => {
    const { calls, code, stderr } = await runHook("postdeploy", ["func-abc/podEvents\n"]);
    assert.notEqual(code, 0);
    assert.equal(calls.length, 30);
    assert.ok(calls.every((c) => c[0] === "functionapp"));
    assert.match(stderr, /func-abc still does not list podEvents and aciEvents after 30 looks/);
  });

  it("preprovision registers Microsoft.ContainerInstance and Microsoft.App when they are not Registered, and only then", async () => {
    const { calls: all, code } = await runHook("preprovision", [], { "Microsoft.ContainerInstance": "NotRegistered", "Microsoft.App": "Registered", group: "true" });
    assert.equal(code, 0);
    const calls = all.filter((c) => c[0] === "provider");
    assert.deepEqual(calls.map((c) => `${c.slice(0, 2).join(" ")} ${c[c.indexOf("--namespace") + 1]}`), [
      "provider show Microsoft.ContainerInstance",
      "provider register Microsoft.ContainerInstance",
      "provider show Microsoft.App",
    ]);
    assert.ok(calls[1]!.includes("--wait"), "registration finishes before provisioning starts");
    for (const call of calls) assert.equal(call[call.indexOf("--subscription") + 1], env.AZURE_SUBSCRIPTION_ID, `${call.join(" ")} without --subscription`);
  });

  it("preprovision creates the ACI resource group only when it is missing (main.bicep references it, so azd down leaves it)", async () => {
    const registered = { "Microsoft.ContainerInstance": "Registered", "Microsoft.App": "Registered" };
    const existing = await runHook("preprovision", [], { ...registered, group: "true" });
    assert.equal(existing.code, 0);
    assert.deepEqual(existing.calls.filter((c) => c[0] === "group").map((c) => c[1]), ["exists"]);
    const missing = await runHook("preprovision", [], { ...registered, group: "false" });
    assert.equal(missing.code, 0);
    const create = missing.calls.find((c) => c[0] === "group" && c[1] === "create")!;
    assert.deepEqual(create.slice(0, 6), ["group", "create", "--name", env.ACI_RESOURCE_GROUP, "--location", env.AZURE_LOCATION]);
    assert.ok(create.includes("aci-connector=vk"));
    for (const call of missing.calls) assert.equal(call[call.indexOf("--subscription") + 1], env.AZURE_SUBSCRIPTION_ID, `${call.join(" ")} without --subscription`);
  });

  it("predown refuses while this connector's container groups run in the ACI resource group, saying what to do", async () => {
    const { calls, code, stderr } = await runHook("predown", [], { group: "true", containers: "vk-default-web-1a2b\nvk-default-job-3c4d" });
    assert.notEqual(code, 0);
    assert.equal(calls.find((c) => c[0] === "container")?.[calls.find((c) => c[0] === "container")!.indexOf("--query") + 1], "[?tags.AciConnector=='vk'].name");
    assert.match(stderr, /rg-aci holds 2 container group\(s\) of connector vk, which azd down would leave running and billed: run aci-connector remove --connector-name vk first/);
    assert.ok(!calls.some((c) => c.includes("delete")), "nothing deleted");
  });

  it("predown deletes this connector's subscription to the ACI resource group's events, and only that", async () => {
    const { calls, code } = await runHook("predown", [], { group: "true" });
    assert.equal(code, 0);
    const deletes = calls.filter((c) => c.includes("delete"));
    assert.equal(deletes.length, 1);
    assert.deepEqual(deletes[0]!.slice(0, 4), ["eventgrid", "system-topic", "event-subscription", "delete"]);
    for (const [flag, value] of [["--resource-group", "rg-aci"], ["--system-topic-name", "existing-topic"], ["--name", "aci-events-vk"]]) assert.equal(deletes[0]![deletes[0]!.indexOf(flag!) + 1], value);
    for (const call of calls) assert.equal(call[call.indexOf("--subscription") + 1], env.AZURE_SUBSCRIPTION_ID, `${call.join(" ")} without --subscription`);
    const gone = await runHook("predown", [], { group: "false" });
    assert.equal(gone.code, 0);
    assert.equal(gone.calls.length, 1, "no ACI resource group: nothing to look at");
  });
});
