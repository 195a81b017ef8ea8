// `aci-connector emulator` as a user runs it: starts, writes emulator.json, serves ARM, stops on SIGTERM.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectRoot } from "../support/paths.js";
import { rawArm } from "../support/raw-arm.js";
import { waitFor } from "../support/wait.js";

describe("aci-connector emulator", () => {
  it("writes emulator.json, answers the ARM API with its CA, and exits cleanly on SIGTERM", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "emulator-command-"));
    const child = spawn(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "emulator", "--state-dir", stateDir], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const descriptorFile = join(stateDir, "emulator.json");
      await waitFor("emulator.json", () => Promise.resolve(existsSync(descriptorFile) || undefined), { timeoutMs: 20_000 });
      const descriptor = JSON.parse(readFileSync(descriptorFile, "utf8")) as { endpoint: string; caFile: string; subscriptionId: string; resourceGroup: string };
      assert.match(descriptor.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
      const caCertPem = readFileSync(descriptor.caFile, "utf8");
      const answer = await rawArm(
        { endpoint: descriptor.endpoint, caCertPem },
        "GET",
        `/subscriptions/${descriptor.subscriptionId}/resourceGroups/${descriptor.resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups?api-version=2023-05-01`,
      );
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json, { value: [] });
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
    assert.match(output, /ACI emulator listening on https:\/\/127\.0\.0\.1:\d+[\s\S]*stopped \(SIGTERM\)/);
  });

  it("refuses a second emulator in the same state directory at once, naming the first, and leaves the first one's files", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "emulator-command-"));
    const first = spawn(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "emulator", "--state-dir", stateDir], { stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => first.on("exit", (code) => resolve(code)));
    try {
      const descriptorFile = join(stateDir, "emulator.json");
      await waitFor("emulator.json", () => Promise.resolve(existsSync(descriptorFile) || undefined), { timeoutMs: 20_000 });
      const before = ["emulator.json", "ca.crt", "emulator-control.token"].map((f) => readFileSync(join(stateDir, f), "utf8"));
      const second = spawnSync(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "emulator", "--state-dir", stateDir], { encoding: "utf8", timeout: 20_000 });
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`^aci-connector emulator: aci-connector emulator \\(pid ${first.pid}, started [0-9T:.Z-]+\\) is running in ${stateDir}: stop it first`));
      assert.deepEqual(["emulator.json", "ca.crt", "emulator-control.token"].map((f) => readFileSync(join(stateDir, f), "utf8")), before);
    } finally {
      first.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
    assert.equal(existsSync(join(stateDir, "run.lock")), false, "the lock is released on exit");
  });
});
