// `aci-connector exec` and `kubectl aci exec` end to end: the real bin as a child process, reading a pod
// through the real API server (admin kubeconfig, as a user's), calling ACI's exec on the emulator through
// the real SDK client, and holding the emulator's WebSocket session. A pod on an ordinary node, a wrong
// container and a secret file are covered; `-it` runs under a real pseudo-terminal (util-linux script).
//
// Not covered here: a real ACI exec WebSocket (no subscription on this machine); see
// docs/decisions/kubelet-api.md.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreV1Api } from "@kubernetes/client-node";
import { testCluster } from "../support/cluster.js";
import { projectRoot } from "../support/paths.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { until, waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "exec";
const secretToken = "exec-t0ken-from-a-secret";
const plainNode = "plain-node-exec";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe("exec on a virtual node: aci-connector exec and kubectl aci exec", () => {
  let running: RunningConnector;
  let env: NodeJS.ProcessEnv;

  /** The bin as a user runs it; `stdin` is written and closed, or (undefined) left closed. */
  function bin(name: "aci-connector" | "kubectl-aci", args: string[], stdin?: string): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(projectRoot, "bin", `${name}.js`), ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
      const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
      child.once("error", reject);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(stdin);
    });
  }

  before(async () => {
    running = await startRunningConnector(cluster, { connectorName: "exec" });
    const { emulator } = running;
    env = {
      ...process.env,
      KUBECONFIG: cluster.descriptor.adminKubeconfig,
      AZURE_SUBSCRIPTION_ID: emulator.subscriptionId,
      ACI_RESOURCE_GROUP: emulator.resourceGroup,
      ARM_ENDPOINT: emulator.endpoint,
      ARM_CA_FILE: emulator.caFile,
      ARM_CREDENTIAL: "emulator",
    };
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: "creds" }, stringData: { token: secretToken } } });
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "shell" },
        spec: {
          nodeSelector: { "kubernetes.io/hostname": running.connector.nodeNames[0]! },
          tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Exists" }],
          containers: [
            {
              name: "app",
              image: "mcr.microsoft.com/azuredocs/aci-helloworld",
              env: [
                { name: "GREETING", value: "hello" },
                { name: "API_KEY", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
              ],
              volumeMounts: [{ name: "creds", mountPath: "/etc/creds", readOnly: true }],
            },
          ],
          volumes: [{ name: "creds", secret: { secretName: "creds" } }],
        },
      },
    });
    // A node that is no virtual node, and a pod bound to it (it stays Pending: no kubelet runs there).
    await core.createNode({ body: { metadata: { name: plainNode, labels: { "kubernetes.io/hostname": plainNode } } } });
    await core.createNamespacedPod({ namespace, body: { metadata: { name: "plain" }, spec: { nodeName: plainNode, containers: [{ name: "app", image: "nginx" }] } } });
    await waitFor("the pod Running", async () => ((await core.readNamespacedPod({ namespace, name: "shell" })).status?.phase === "Running" ? true : undefined), { timeoutMs: 90_000, intervalMs: 500 });
  });

  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await core.deleteNode({ name: plainNode }).catch(() => undefined);
    await running.stop();
  });

  it("aci-connector exec POD -- echo hi prints hi and exits 0, and shows neither the session's URI nor its password", async () => {
    const run = await bin("aci-connector", ["exec", "shell", "-n", namespace, "--", "echo", "hi"]);
    assert.deepEqual(run, { code: 0, stdout: "hi\n", stderr: "" });
    assert.equal(running.emulator.control.counters()["containers.executeCommand"], 1, "one exec request");
  });

  it("kubectl aci exec shows the container's mounted Secret file and its environment", async () => {
    const cat = await bin("kubectl-aci", ["exec", "shell", "-n", namespace, "--", "cat", "/etc/creds/token"]);
    assert.deepEqual(cat, { code: 0, stdout: secretToken, stderr: "" });
    const envRun = await bin("kubectl-aci", ["exec", "-n", namespace, "shell", "--", "env"]);
    assert.equal(envRun.code, 0, envRun.stderr);
    assert.match(envRun.stdout, /^GREETING=hello$/m);
    assert.match(envRun.stdout, new RegExp(`^API_KEY=${secretToken}$`, "m"));
  });

  it("-c with a wrong name is refused, naming the pod's containers", async () => {
    const run = await bin("kubectl-aci", ["exec", "shell", "-n", namespace, "-c", "nope", "--", "echo", "hi"]);
    assert.deepEqual(run, { code: 1, stdout: "", stderr: "kubectl aci exec: container nope is not valid for pod exec/shell; choose one of: [app]\n" });
  });

  it("a pod on a node that is not a virtual node, and a pod that does not exist, are refused", async () => {
    const plain = await bin("aci-connector", ["exec", "plain", "-n", namespace, "--", "echo", "hi"]);
    assert.deepEqual(plain, { code: 1, stdout: "", stderr: `aci-connector exec: pod exec/plain runs on node ${plainNode}, which is not a virtual node of aci-connector: use kubectl exec for it\n` });
    const absent = await bin("aci-connector", ["exec", "absent", "-n", namespace, "--", "echo", "hi"]);
    assert.deepEqual(absent, { code: 1, stdout: "", stderr: "aci-connector exec: pod exec/absent not found\n" });
  });

  it("an argument with a space is refused before anything is asked of ACI (exit 2)", async () => {
    const before = running.emulator.control.counters()["containers.executeCommand"] ?? 0;
    const run = await bin("aci-connector", ["exec", "shell", "-n", namespace, "--", "echo", "hello world"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /argument 1 \("hello world"\) holds a space/);
    assert.equal(running.emulator.control.counters()["containers.executeCommand"] ?? 0, before);
  });

  it("-i passes standard input to a shell, and its end (^D) ends the session with 0", async () => {
    const run = await bin("aci-connector", ["exec", "-i", "shell", "-n", namespace, "--", "sh"], "echo piped\nnosuch\n");
    assert.deepEqual(run, { code: 0, stdout: "# piped\n# sh: nosuch: not found\n# ", stderr: "" });
  });

  it("-it under a pseudo-terminal (util-linux script): a shell in raw mode, lines typed after the prompt, exit ends it with 0", { timeout: 60_000 }, async () => {
    const command = `${JSON.stringify(process.execPath)} bin/kubectl-aci.js exec -it shell -n ${namespace} -- sh`;
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: projectRoot, env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor("the prompt", until(() => out.endsWith("# ")), { timeoutMs: 30_000 });
      // Enter in a raw terminal is \r; the remote side takes it as the end of a line.
      child.stdin.write("echo typed\r");
      await waitFor("the echoed line", until(() => out.endsWith("typed\r\n# ")), { timeoutMs: 10_000 }).catch((error: Error) => {
        throw new Error(`${error.message}; the terminal showed ${JSON.stringify(out)}`);
      });
      child.stdin.write("exit\r");
      assert.equal(await exited, 0);
      // Raw mode: the local terminal echoes nothing that was typed; only the remote output shows. Node's
      // raw mode (libuv's) keeps the terminal's output processing, so the emulator's \n shows as \r\n.
      assert.equal(out, "# typed\r\n# ");
    } finally {
      child.kill();
    }
  });
});
