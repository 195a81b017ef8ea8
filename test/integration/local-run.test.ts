// `npm start` as a new user runs it: one command brings up the connector; with its kubeconfig the
// seed's commands show two nodes Ready and the Deployments' pods Running on them; Ctrl-C leaves nothing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { testCluster } from "../support/cluster.js";
import { projectRoot, seedDir } from "../support/paths.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();

describe("aci-connector local (npm start)", () => {
  it("runs the seed's walkthrough, and stops everything on Ctrl-C", { timeout: 240_000 }, async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "aci-connector-local-"));
    const child = spawn(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "local", "--state-dir", stateDir], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let apiServer = "";
    try {
      const localJson = join(stateDir, "local.json");
      await waitFor("local.json", () => Promise.resolve(existsSync(localJson) || undefined), { timeoutMs: 120_000, intervalMs: 500 });
      const local = JSON.parse(readFileSync(localJson, "utf8")) as { apiServer: string; kubeconfig: string; kubectl: string; nodes: string[] };
      apiServer = local.apiServer;
      assert.match(output, /export KUBECONFIG=/);
      const kubectl = (args: string[]) => cluster.kubectl(args, { kubeconfig: local.kubeconfig });

      const nodes = await waitFor("two nodes Ready", async () => {
        const out = await kubectl(["get", "nodes", "--no-headers"]);
        const rows = out.stdout.trim().split("\n").map((l) => l.split(/\s+/));
        return rows.length === 2 && rows.every((r) => r[1] === "Ready" && r[2] === "agent") ? rows : undefined;
      });
      assert.deepEqual(nodes.map((r) => r[0]).sort(), [...local.nodes].sort());

      const applied = await kubectl(["apply", "-f", join(seedDir, "virtual-kubelet-linux.yaml"), "-f", join(seedDir, "virtual-kubelet-windows.yaml")]);
      assert.equal(applied.code, 0, applied.stderr);
      const pods = await waitFor(
        "both pods Running 1/1 with an IP",
        async () => {
          const out = await kubectl(["get", "pods", "-o", "wide", "--no-headers"]);
          const rows = out.stdout.trim().split("\n").filter((l) => l !== "").map((l) => l.split(/\s+/));
          return rows.length === 2 && rows.every((r) => r[1] === "1/1" && r[2] === "Running" && /^\d+\.\d+\.\d+\.\d+$/.test(r[5] ?? "")) ? rows : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 1000 },
      );
      assert.deepEqual(pods.map((r) => r[6]).sort(), [...local.nodes].sort());
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0, output);
    assert.match(output, /\[local\] stopped/);
    // Nothing left: the API server's port is closed.
    const port = Number(new URL(apiServer).port);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => (socket.destroy(), resolve("connected")));
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    assert.equal(refused, "ECONNREFUSED");
  });
});
