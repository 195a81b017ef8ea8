// The control plane that test/run.ts started for this run, as seen from a test file's process.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import type { ControlPlaneDescriptor } from "../../dev/control-plane/launch.js";
import { writeUserKubeconfig } from "../../dev/control-plane/users.js";
import { loadCertificateAuthority } from "../../dev/pki.js";

/** test/run.ts puts the path of the running control plane's cluster.json here. */
export const clusterEnvVar = "ACI_CONNECTOR_TEST_CLUSTER";

export interface TestCluster {
  readonly descriptor: ControlPlaneDescriptor;
  readonly admin: KubeConfig;
  /** A kubeconfig (path and loaded) for a client-certificate user with no rights beyond its bindings. */
  userKubeconfig(user: string, groups?: readonly string[]): Promise<{ path: string; kubeConfig: KubeConfig }>;
  /** Runs the kubectl that was built with the control plane, as admin unless a kubeconfig is given. */
  kubectl(args: readonly string[], options?: { kubeconfig?: string; stdin?: string }): Promise<KubectlResult>;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function testCluster(): TestCluster {
  const path = process.env[clusterEnvVar];
  if (path === undefined) {
    throw new Error(`${clusterEnvVar} is not set: integration tests run through test/run.ts (npm test), which starts the control plane`);
  }
  return clusterOf(JSON.parse(readFileSync(path, "utf8")) as ControlPlaneDescriptor);
}

/** A control plane as the tests use it, from its descriptor (e.g. a second one a test starts itself). */
export function clusterOf(descriptor: ControlPlaneDescriptor): TestCluster {
  const admin = new KubeConfig();
  admin.loadFromFile(descriptor.adminKubeconfig);
  return {
    descriptor,
    admin,
    async userKubeconfig(user, groups = []) {
      const ca = await loadCertificateAuthority({
        certPem: await readFile(descriptor.caCertFile, "utf8"),
        keyPem: await readFile(descriptor.caKeyFile, "utf8"),
      });
      const kubeconfigPath = await writeUserKubeconfig({ ca, server: descriptor.server, dir: join(descriptor.dir, "users"), user, groups });
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(kubeconfigPath);
      return { path: kubeconfigPath, kubeConfig };
    },
    kubectl: (args, options = {}) => runKubectl(descriptor.kubectl, options.kubeconfig ?? descriptor.adminKubeconfig, args, options.stdin),
  };
}

async function runKubectl(kubectl: string, kubeconfig: string, args: readonly string[], stdin?: string): Promise<KubectlResult> {
  const child = promisify(execFile)(kubectl, [`--kubeconfig=${kubeconfig}`, ...args], { timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  if (stdin !== undefined) {
    child.child.stdin?.end(stdin);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
