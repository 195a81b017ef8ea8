// ACI's exec on the emulator: Containers_ExecuteCommand through the real @azure/arm-containerinstance
// client, then the returned wss URI through a real `ws` client, as azure-cli and azure-aci use the real
// service: the password first, then input in and output out, and the socket closed when the command ends.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { ContainerGroup } from "@azure/arm-containerinstance";
import { WebSocket } from "ws";
import { hostnameOf } from "../../dev/emulator/exec-sessions.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const poll = { updateIntervalInMs: 50 };
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

function appGroup(): ContainerGroup {
  return {
    location: "westeurope",
    osType: "Linux",
    restartPolicy: "Always",
    containers: [
      {
        name: "app",
        image: "mcr.microsoft.com/azuredocs/aci-helloworld",
        resources: { requests: { cpu: 0.5, memoryInGB: 0.5 } },
        environmentVariables: [
          { name: "GREETING", value: "hello" },
          { name: "API_KEY", secureValue: "k3y-from-a-secret" },
        ],
        volumeMounts: [{ name: "creds", mountPath: "/etc/creds", readOnly: true }],
      },
      { name: "sidecar", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: 0.5, memoryInGB: 0.5 } } },
    ],
    volumes: [{ name: "creds", secret: { token: b64("t0ken\n"), "user.txt": b64("admin") } }],
  };
}

interface Session {
  readonly output: string;
  readonly code: number;
  readonly reason: string;
}

/** Opens the URI (trusting the emulator's CA), sends `first` and then each of `lines` after the output so far ends with a prompt. */
function session(emulator: TestEmulator, exec: { webSocketUri?: string; password?: string }, first: string, lines: readonly string[] = []): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(exec.webSocketUri!, { ca: emulator.caCertPem, handshakeTimeout: 5_000 });
    let output = "";
    const queue = [...lines];
    ws.once("open", () => ws.send(first));
    ws.on("message", (data, isBinary) => {
      output += isBinary ? Buffer.from(data as Buffer).toString("utf8") : (data as Buffer).toString("utf8");
      if (output.endsWith("# ") && queue.length > 0) ws.send(Buffer.from(queue.shift()!), { binary: true });
    });
    ws.once("close", (code, reason) => resolve({ output, code, reason: reason.toString("utf8") }));
    ws.once("error", reject);
  });
}

describe("ACI emulator: exec", () => {
  let emulator: TestEmulator;
  const run = (command: string, container = "app") => emulator.client.containers.executeCommand(emulator.resourceGroup, "web", container, { command, terminalSize: { rows: 24, cols: 80 } });

  beforeEach(async () => {
    emulator = await startTestEmulator();
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "web", appGroup(), poll);
  });
  afterEach(() => emulator.stop());

  it("answers {webSocketUri, password} as the REST spec's example, a wss URI on the emulator's host", async () => {
    const exec = await run("echo hi");
    assert.deepEqual(Object.keys(exec).sort(), ["password", "webSocketUri"]);
    assert.equal(new URL(exec.webSocketUri!).host, new URL(emulator.endpoint).host);
    assert.equal(new URL(exec.webSocketUri!).protocol, "wss:");
    assert.ok(exec.password!.length >= 24);
  });

  it("runs the command once the password is the first message, then closes normally", async () => {
    const exec = await run("echo hi there");
    assert.deepEqual(await session(emulator, exec, exec.password!), { output: "hi there\n", code: 1000, reason: "" });
  });

  it("closes with 1008 and says why when the first message is not the password, and runs nothing", async () => {
    const exec = await run("echo should-not-run");
    const refused = await session(emulator, exec, "not-the-password");
    assert.deepEqual(refused, { output: "", code: 1008, reason: "the exec password is wrong" });
  });

  it("opens each URI once: a second connection is refused", async () => {
    const exec = await run("hostname");
    await session(emulator, exec, exec.password!);
    await assert.rejects(session(emulator, exec, exec.password!), /Unexpected server response: 404/);
  });

  it("shows the container's environment (secure values as the process sees them), its host name and its secret files", async () => {
    const env = await run("env");
    assert.equal((await session(emulator, env, env.password!)).output, "GREETING=hello\nAPI_KEY=k3y-from-a-secret\n");
    const host = await run("/bin/hostname");
    assert.equal((await session(emulator, host, host.password!)).output, `${hostnameOf("web")}\n`);
    assert.match(hostnameOf("web"), /^caas-[0-9a-f]{32}-\d{9}-[a-z0-9]{5}$/);
    const cat = await run("cat /etc/creds/token /etc/creds/user.txt");
    assert.equal((await session(emulator, cat, cat.password!)).output, "t0ken\nadmin");
    const missing = await run("cat /etc/creds/nope /etc/creds");
    assert.equal((await session(emulator, missing, missing.password!)).output, "cat: /etc/creds/nope: No such file or directory\ncat: /etc/creds: Is a directory\n");
    const sidecar = await run("env", "sidecar");
    assert.equal((await session(emulator, sidecar, sidecar.password!)).output, "");
  });

  it("sh reads lines (\\n or a raw terminal's \\r) and runs them until exit; an unknown command is not found, status 127", async () => {
    const exec = await run("sh");
    const shell = await session(emulator, exec, exec.password!, ["echo one\n", "nosuch thing\r", "echo $?\n", "exit 3\n", "echo never\n"]);
    assert.deepEqual(shell, { output: "# one\n# sh: nosuch: not found\n# 127\n# ", code: 1000, reason: "" });
    const lone = await run("nosuch");
    assert.equal((await session(emulator, lone, lone.password!)).output, "sh: nosuch: not found\n");
  });

  it("ends a shell at ^D, the end of input a terminal sends", async () => {
    const exec = await run("bash");
    assert.deepEqual(await session(emulator, exec, exec.password!, ["echo last\n", "\x04"]), { output: "# last\n# ", code: 1000, reason: "" });
  });

  it("refuses a container that does not exist (404 ContainerNotFound) and a group that does not (404 ResourceNotFound)", async () => {
    await assert.rejects(run("sh", "nope"), (e: { statusCode?: number; code?: string }) => e.statusCode === 404 && e.code === "ContainerNotFound");
    await assert.rejects(
      emulator.client.containers.executeCommand(emulator.resourceGroup, "absent", "app", { command: "sh" }),
      (e: { statusCode?: number; code?: string }) => e.statusCode === 404 && e.code === "ResourceNotFound",
    );
  });

  it("refuses a container that is not running with 409 ContainerNotRunning (no recording of ACI's answer found: the emulator's own code)", async () => {
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "once", { ...appGroup(), restartPolicy: "Never" }, poll);
    emulator.control.exitContainer("once", "app", { exitCode: 0 });
    await assert.rejects(
      emulator.client.containers.executeCommand(emulator.resourceGroup, "once", "app", { command: "sh" }),
      (e: { statusCode?: number; code?: string; message?: string }) => e.statusCode === 409 && e.code === "ContainerNotRunning" && /is not running \(its state is 'Terminated'\)/.test(e.message ?? ""),
    );
  });
});
