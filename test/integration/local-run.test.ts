// `npm start` as a new user runs it: one command brings up the connector; with its kubeconfig the
// seed's commands show two nodes Ready and the Deployments' pods Running on them. Then the seed's
// remove-connector and install-connector against it: `remove --os-type Windows` takes only the Windows
// node and its groups, `remove` the rest, either twice is harmless, and `install` brings it all back.
// Ctrl-C leaves nothing running.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import type { LocalState } from "../../cli/local-state.js";
import { createAciClient } from "../../shared/aci/client.js";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { tagNames } from "../../shared/translate/naming.js";
import { testCluster } from "../support/cluster.js";
import { projectRoot, seedDir } from "../support/paths.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const cli = join(projectRoot, "bin", "aci-connector.js");

/** Runs `aci-connector <args>` as a user would, in another terminal beside the local run. */
async function aciConnector(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("aci-connector local (npm start), install and remove", () => {
  it("runs the seed's walkthrough, removes and reinstalls the connector, and stops everything on Ctrl-C", { timeout: 480_000 }, async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "aci-connector-local-"));
    // With the metrics printed, as README's Operating it says (every 30 s, one line per series).
    const child = spawn(process.execPath, [cli, "local", "--state-dir", stateDir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ACI_CONNECTOR_TELEMETRY: "console" } });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let apiServer = "";
    try {
      const localJson = join(stateDir, "local.json");
      await waitFor("the connector installed and running", () => Promise.resolve((existsSync(localJson) && output.includes("aci-connector is running locally")) || undefined), { timeoutMs: 180_000, intervalMs: 500 });
      const local = JSON.parse(readFileSync(localJson, "utf8")) as LocalState;
      apiServer = local.apiServer;
      assert.match(output, /export KUBECONFIG=/);
      assert.match(output, /\[install\] Microsoft\.ContainerInstance is NotRegistered .*: registering it/);
      // The functions register with the local host as with the Functions host: @azure/functions is not in its test mode.
      assert.doesNotMatch(output, /WARNING|test mode/);
      const [linuxNode, windowsNode] = local.nodes as [string, string];
      const kubectl = (args: string[]) => cluster.kubectl(args, { kubeconfig: local.kubeconfig });
      const nodeRows = async () => {
        const out = await kubectl(["get", "nodes", "--no-headers"]);
        return out.stdout.trim().split("\n").filter((l) => l !== "").map((l) => l.split(/\s+/));
      };
      const podRows = async () => {
        const out = await kubectl(["get", "pods", "-o", "wide", "--no-headers"]);
        return out.stdout.trim().split("\n").filter((l) => l !== "").map((l) => l.split(/\s+/));
      };
      const runningPods = async (count: number) => {
        const rows = await podRows();
        return rows.length === count && rows.every((r) => r[1] === "1/1" && r[2] === "Running" && /^\d+\.\d+\.\d+\.\d+$/.test(r[5] ?? "")) ? rows : undefined;
      };
      const arm = createAciClient({ settings: { subscriptionId: local.emulator.subscriptionId, armEndpoint: local.emulator.endpoint, armCaFile: local.emulator.caFile }, credential: emulatorCredential });
      const groups = createContainerGroups(arm, { armEndpoint: local.emulator.endpoint, subscriptionId: local.emulator.subscriptionId, resourceGroup: local.emulator.resourceGroup });
      /** The connector's groups, as "<node tag> <group name>". */
      const groupsByNode = async () =>
        (await groups.list()).groups.filter((g) => g.tags[tagNames.connector] === local.connectorName).map((g) => `${g.tags[tagNames.node]} ${g.name}`).sort();

      // The seed's walkthrough.
      const nodes = await waitFor("two nodes Ready", async () => {
        const rows = await nodeRows();
        return rows.length === 2 && rows.every((r) => r[1] === "Ready" && r[2] === "agent") ? rows : undefined;
      });
      assert.deepEqual(nodes.map((r) => r[0]).sort(), [linuxNode, windowsNode]);
      // local.json names who the connector is and whom it acts as; kubectl auth can-i confirms what they may do.
      const canI = async (args: string[]) => (await kubectl(["auth", "can-i", ...args])).stdout.trim().split(" ")[0];
      const asLinux = local.nodeIdentities.find((i) => i.node === linuxNode)!;
      assert.deepEqual(asLinux, { node: linuxNode, user: `system:node:${linuxNode}`, groups: ["system:nodes"] });
      assert.equal(await canI(["get", "secrets", "-A", `--as=${local.connectorUser}`]), "no");
      assert.equal(await canI(["get", "secret/anything", "-n", "default", `--as=${asLinux.user}`, ...asLinux.groups.map((g) => `--as-group=${g}`)]), "no");
      const applied = await kubectl(["apply", "-f", join(seedDir, "virtual-kubelet-linux.yaml"), "-f", join(seedDir, "virtual-kubelet-windows.yaml")]);
      assert.equal(applied.code, 0, applied.stderr);
      const pods = await waitFor("both pods Running 1/1 with an IP", () => runningPods(2), { timeoutMs: 90_000, intervalMs: 1000 });
      assert.deepEqual(pods.map((r) => r[6]).sort(), [linuxNode, windowsNode]);
      // The same metrics as in Azure: the two pods counted Running by a reconcile tick, ARM's answers counted.
      await waitFor("the metric lines of the local run", () => Promise.resolve(/^metric aci_connector\.pods k8s\.pod\.phase=Running value=2$/m.test(output) || undefined), { timeoutMs: 75_000, intervalMs: 1000 });
      assert.match(output, /^metric aci_connector\.arm\.requests kind=writes http\.response\.status_code=20\d total=\d+$/m);
      assert.match(output, /^metric aci_connector\.reconcile\.duration outcome=ok count=\d+ sum=[\d.]+ max=[\d.]+ \(s\)$/m);
      const linuxPod = pods.find((r) => r[6] === linuxNode)![0]!;
      const windowsPod = pods.find((r) => r[6] === windowsNode)![0]!;
      const groupsBefore = await groupsByNode();
      assert.deepEqual(groupsBefore.map((g) => g.split(" ")[0]), [linuxNode, windowsNode]);

      // A second npm start in the same directory is refused at once, naming this one, and replaces none
      // of its certificates; its emulator takes commands from this other terminal, finding the pod's group.
      const certificates = () => ["emulator-ca.crt", "functions-ca.crt", "emulator-control.token"].map((f) => readFileSync(join(stateDir, f), "utf8"));
      const certificatesBefore = certificates();
      const second = await aciConnector(["local", "--state-dir", stateDir]);
      assert.equal(second.code, 1, second.stdout);
      assert.match(second.stderr, new RegExp(`aci-connector local \\(pid ${child.pid}, started [^)]+\\) is running in ${stateDir}: stop it first`));
      assert.deepEqual(certificates(), certificatesBefore);
      const logs = await aciConnector(["emulator", "logs", "--state-dir", stateDir, "--pod", `default/${linuxPod}`, "--append", "hello from another terminal"]);
      assert.equal(logs.code, 0, logs.stderr);
      assert.match(logs.stdout, new RegExp(`of pod default/${linuxPod} \\(group ${groupsBefore[0]!.split(" ")[1]}\\): 1 log line appended`));
      // The line reaches kubectl logs through the API server and the local functions' kubelet API, and
      // kubectl aci exec reaches the emulated container with the local run's own emulator credential.
      const logged = await kubectl(["logs", linuxPod, "--tail=1"]);
      assert.equal(logged.stdout, "hello from another terminal\n", logged.stderr);
      const exec = await aciConnector(["exec", "--local", "--state-dir", stateDir, linuxPod, "--", "echo", "hi"]);
      assert.equal(exec.code, 0, exec.stderr);
      assert.equal(exec.stdout, "hi\n");

      // remove-connector --os-type Windows: only the Windows node and what ran on it.
      const removeWindows = await aciConnector(["remove", "--local", "--os-type", "Windows", "--state-dir", stateDir]);
      assert.equal(removeWindows.code, 0, removeWindows.stderr);
      assert.match(removeWindows.stdout, new RegExp(`nodes: ${windowsNode}\\n`));
      assert.match(removeWindows.stdout, new RegExp(`pods: default/${windowsPod}\\n`));
      assert.match(removeWindows.stdout, new RegExp(`container groups: ${groupsBefore[1]!.split(" ")[1]}\\n`));
      assert.doesNotMatch(removeWindows.stdout, /^ {2}RBAC and webhook:/m);
      assert.deepEqual((await nodeRows()).map((r) => [r[0], r[1]]), [[linuxNode, "Ready"]]);
      assert.deepEqual(await groupsByNode(), [groupsBefore[0]]);
      // The Linux pod keeps running; the Windows Deployment's replacement pod waits for a node.
      const afterWindows = await waitFor("the Windows replacement pod Pending", async () => {
        const rows = await podRows();
        return rows.some((r) => r[0]!.startsWith("nanoserver-iis-") && r[0] !== windowsPod && r[2] === "Pending") ? rows : undefined;
      });
      assert.deepEqual(afterWindows.find((r) => r[0] === linuxPod)?.slice(1, 3), ["1/1", "Running"]);
      const again = await aciConnector(["remove", "--local", "--os-type", "Windows", "--state-dir", stateDir]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /Nothing to remove: the connector has no such nodes\./);

      // remove-connector: the rest, then the connector's RBAC and webhook.
      const removeAll = await aciConnector(["remove", "--local", "--state-dir", stateDir]);
      assert.equal(removeAll.code, 0, removeAll.stderr);
      assert.match(removeAll.stdout, new RegExp(`nodes: ${linuxNode}\\n`));
      assert.match(removeAll.stdout, new RegExp(`container groups: ${groupsBefore[0]!.split(" ")[1]}\\n`));
      assert.match(removeAll.stdout, /RBAC and webhook: ValidatingWebhookConfiguration\/aci-connector-aci-connector, ClusterRole\/aci-connector-aci-connector, /);
      assert.deepEqual(await nodeRows(), []);
      assert.deepEqual(await groupsByNode(), []);
      const webhooks = await kubectl(["get", "validatingwebhookconfigurations", "-o", "name"]);
      assert.doesNotMatch(webhooks.stdout, /aci-connector/);
      assert.match((await aciConnector(["remove", "--local", "--state-dir", stateDir])).stdout, /Nothing to remove/);

      // install-connector --os-type Both: the nodes come back and the Deployments run on them again.
      const install = await aciConnector(["install", "--local", "--os-type", "Both", "--state-dir", stateDir]);
      assert.equal(install.code, 0, install.stderr);
      assert.match(install.stdout, /Microsoft\.ContainerInstance: Registered/);
      // The region's quota as ARM lists it (the emulator's), and the creation rates it does not list.
      assert.match(install.stdout, /ACI quota in westeurope: \d+ container groups and \d+ standard cores; creations: 100 creations per 5 minutes and 300 per hour by default/);
      assert.match(install.stdout, new RegExp(`registered: node ${linuxNode}`));
      const back = await waitFor("both Deployments Running again", () => runningPods(2), { timeoutMs: 120_000, intervalMs: 1000 });
      assert.deepEqual(back.map((r) => r[6]).sort(), [linuxNode, windowsNode]);
      assert.ok(!back.some((r) => r[0] === linuxPod || r[0] === windowsPod), "new pods, since remove deleted the old ones");
      assert.equal(child.exitCode, null, `the local run is still up:\n${output}`);
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
