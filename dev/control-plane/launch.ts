// Starts a real Kubernetes control plane on loopback: etcd (on tmpfs), kube-apiserver, kube-scheduler
// and kube-controller-manager, with no kubelet: the connector's virtual nodes are the only nodes.
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCertificateAuthority, type CertificateAuthority } from "../pki.js";
import { freePort } from "./ports.js";
import { startProcess, type ManagedProcess } from "./processes.js";
import { waitUntilHealthy } from "./readiness.js";
import { writeUserKubeconfig } from "./users.js";

export interface ControlPlaneOptions {
  /** Directory with etcd, kube-apiserver, kube-scheduler, kube-controller-manager and kubectl. */
  readonly binDir: string;
  /** Where certificates, kubeconfigs, logs and cluster.json go; a new temporary directory if omitted. */
  readonly dir?: string;
  /** The node lifecycle controller's grace period; short in tests so a lost heartbeat shows quickly. */
  readonly nodeMonitorGracePeriodSeconds?: number;
  /**
   * How long pods tolerate a not-ready or unreachable node before they are evicted (the API server's
   * default tolerations, 300 s unless given); short in tests, so an eviction would happen within them.
   */
  readonly evictionTolerationSeconds?: number;
  readonly progress?: (line: string) => void;
  /** How long the whole start may take before it is abandoned (default 180 s). */
  readonly startTimeoutMs?: number;
  /** Stop on SIGINT/SIGTERM (default true); false when the caller stops it in its own handler. */
  readonly handleSignals?: boolean;
}

/** What another process needs to use the control plane (written to `<dir>/cluster.json`). */
export interface ControlPlaneDescriptor {
  readonly server: string;
  readonly dir: string;
  readonly binDir: string;
  readonly kubectl: string;
  readonly adminKubeconfig: string;
  readonly caCertFile: string;
  /** The CA's key, so tests can issue client certificates for restricted users. Local use only. */
  readonly caKeyFile: string;
  readonly nodeMonitorGracePeriodSeconds: number;
  readonly evictionTolerationSeconds: number;
  readonly logs: Readonly<Record<string, string>>;
}

export interface ControlPlane {
  readonly descriptor: ControlPlaneDescriptor;
  /** Writes a kubeconfig for a client-certificate user in the given groups and returns its path. */
  kubeconfigFor(user: string, groups?: readonly string[]): Promise<string>;
  /** Stops every component it started; safe to call more than once. */
  stop(): Promise<void>;
}

const defaultGracePeriodSeconds = 40;

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const started = Date.now();
  const progress = (message: string) =>
    options.progress?.(`[control-plane ${String(Math.round((Date.now() - started) / 1000)).padStart(3)}s] ${message}`);
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "aci-connector-cluster-")));
  const pkiDir = join(dir, "pki");
  const logDir = join(dir, "logs");
  await mkdir(pkiDir, { recursive: true });
  await mkdir(logDir, { recursive: true });
  // etcd on tmpfs: nothing here must survive, and fsync on a busy disk is what makes etcd slow.
  const etcdData = await mkdtemp(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "aci-connector-etcd-"));
  const gracePeriod = options.nodeMonitorGracePeriodSeconds ?? defaultGracePeriodSeconds;
  const tolerationSeconds = options.evictionTolerationSeconds ?? 300;
  const bin = (name: string) => join(options.binDir, name);

  const processes: ManagedProcess[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const p of [...processes].reverse()) await p.stop();
    await rm(etcdData, { recursive: true, force: true });
    // A directory it made itself is its own to remove; one it was given (with logs) is the caller's.
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.kill(process.pid, signal));
  };
  if (options.handleSignals !== false) process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  const run = (name: string, args: string[]) => {
    const p = startProcess(name, bin(name), args, join(logDir, `${name}.log`));
    processes.push(p);
    return p;
  };

  try {
    progress("generating certificates");
    const ca = await createCertificateAuthority("aci-connector control plane CA");
    const files = await writePki(pkiDir, ca);
    const [etcdClientPort, etcdPeerPort, apiPort, schedulerPort, controllerManagerPort] = await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    ) as [number, number, number, number, number];
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfigFor = (user: string, groups: readonly string[] = []) =>
      writeUserKubeconfig({ ca, server, dir: join(dir, "users"), user, groups });
    const adminKubeconfig = await kubeconfigFor("admin", ["system:masters"]);
    const schedulerKubeconfig = await kubeconfigFor("system:kube-scheduler");
    const controllerManagerKubeconfig = await kubeconfigFor("system:kube-controller-manager");
    const deadlineMs = options.startTimeoutMs ?? 180_000;

    progress("starting etcd");
    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = run("etcd", [
      "--name=local",
      `--data-dir=${etcdData}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=local=${peerUrl}`,
      "--unsafe-no-fsync",
      "--log-level=warn",
    ]);

    progress("starting kube-apiserver");
    const apiserver = run("kube-apiserver", [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${files.apiserverCert}`,
      `--tls-private-key-file=${files.apiserverKey}`,
      `--client-ca-file=${files.caCert}`,
      `--service-account-key-file=${files.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${files.serviceAccountPrivateKey}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      "--authorization-mode=Node,RBAC",
      "--enable-admission-plugins=NodeRestriction",
      `--default-not-ready-toleration-seconds=${tolerationSeconds}`,
      `--default-unreachable-toleration-seconds=${tolerationSeconds}`,
      "--service-cluster-ip-range=10.96.0.0/16",
      // No kubelet answers for the kubernetes Service's endpoints; nothing here needs them.
      "--endpoint-reconciler-type=none",
      "--profiling=false",
      // What the API server presents to a kubelet (here: the connector's kubelet API), signed by the
      // cluster's CA, and how it picks a node's address (docs/decisions/kubelet-api.md). The kubelet's
      // serving certificate is not verified (no --kubelet-certificate-authority), as in kubeadm's and
      // AKS's defaults.
      `--kubelet-client-certificate=${files.kubeletClientCert}`,
      `--kubelet-client-key=${files.kubeletClientKey}`,
      "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
    ]);
    await waitUntilHealthy(
      "kube-apiserver",
      { url: `${server}/readyz`, ca: ca.certPem, ...files.adminTls },
      { deadlineMs, abandon: firstExit(apiserver, etcd) },
    );

    progress("starting kube-scheduler and kube-controller-manager");
    const scheduler = run("kube-scheduler", [
      `--kubeconfig=${schedulerKubeconfig}`,
      `--authentication-kubeconfig=${schedulerKubeconfig}`,
      `--authorization-kubeconfig=${schedulerKubeconfig}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${schedulerPort}`,
      `--cert-dir=${join(dir, "scheduler-certs")}`,
      "--leader-elect=false",
    ]);
    const controllerManager = run("kube-controller-manager", [
      `--kubeconfig=${controllerManagerKubeconfig}`,
      `--authentication-kubeconfig=${controllerManagerKubeconfig}`,
      `--authorization-kubeconfig=${controllerManagerKubeconfig}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${controllerManagerPort}`,
      `--cert-dir=${join(dir, "controller-manager-certs")}`,
      "--leader-elect=false",
      "--use-service-account-credentials=true",
      `--service-account-private-key-file=${files.serviceAccountPrivateKey}`,
      `--root-ca-file=${files.caCert}`,
      `--node-monitor-grace-period=${gracePeriod}s`,
      `--node-startup-grace-period=${gracePeriod}s`,
    ]);
    await Promise.all([
      waitUntilHealthy("kube-scheduler", { url: `https://127.0.0.1:${schedulerPort}/healthz`, insecure: true }, {
        deadlineMs,
        abandon: firstExit(scheduler),
      }),
      waitUntilHealthy(
        "kube-controller-manager",
        { url: `https://127.0.0.1:${controllerManagerPort}/healthz`, insecure: true },
        { deadlineMs, abandon: firstExit(controllerManager) },
      ),
    ]);
    // Pods are refused until their namespace's default ServiceAccount exists; the controller-manager
    // creates it a moment after it starts, so "ready" includes it.
    await waitUntilHealthy(
      "the default ServiceAccount",
      { url: `${server}/api/v1/namespaces/default/serviceaccounts/default`, ca: ca.certPem, ...files.adminTls },
      { deadlineMs, abandon: firstExit(controllerManager) },
    );

    const descriptor: ControlPlaneDescriptor = {
      server,
      dir,
      binDir: options.binDir,
      kubectl: bin("kubectl"),
      adminKubeconfig,
      caCertFile: files.caCert,
      caKeyFile: files.caKey,
      nodeMonitorGracePeriodSeconds: gracePeriod,
      evictionTolerationSeconds: tolerationSeconds,
      logs: Object.fromEntries(processes.map((p) => [p.name, p.logFile])),
    };
    await writeFile(join(dir, "cluster.json"), `${JSON.stringify(descriptor, null, 2)}\n`);
    progress(`ready at ${server}`);
    return {
      descriptor,
      kubeconfigFor,
      stop: async () => {
        process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
        await stop();
      },
    };
  } catch (error) {
    const tails = await Promise.all(processes.map(async (p) => `--- ${p.name} (${p.logFile}) ---\n${await p.logTail(20)}`));
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    await stop();
    throw new Error(`the control plane did not start: ${(error as Error).message}\n${tails.join("\n")}`, { cause: error });
  }
}

/** Settles when the first of these processes ends, naming it: none of them may end while starting. */
function firstExit(...processes: ManagedProcess[]): Promise<string> {
  return Promise.race(processes.map((p) => p.exited.then((reason) => `${p.name} exited (${reason})`)));
}

interface PkiFiles {
  /** The admin client certificate and key in memory, for the readiness probes. */
  readonly adminTls: { readonly cert: string; readonly key: string };
  readonly caCert: string;
  readonly caKey: string;
  readonly apiserverCert: string;
  readonly apiserverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly serviceAccountPrivateKey: string;
  readonly serviceAccountPublicKey: string;
  readonly kubeletClientCert: string;
  readonly kubeletClientKey: string;
}

async function writePki(pkiDir: string, ca: CertificateAuthority): Promise<PkiFiles> {
  const serving = await ca.issueServing({
    commonName: "kube-apiserver",
    dnsNames: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"],
    ipAddresses: ["127.0.0.1", "10.96.0.1"],
  });
  const admin = await ca.issueClient({ user: "admin", groups: ["system:masters"] });
  // As kubeadm's apiserver-kubelet-client certificate: a user in system:masters, so every kubelet
  // authorizes the API server's calls (nodes/proxy, nodes/log) by RBAC.
  const kubeletClient = await ca.issueClient({ user: "kube-apiserver-kubelet-client", groups: ["system:masters"] });
  const serviceAccount = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const files: PkiFiles = {
    adminTls: { cert: admin.certPem, key: admin.keyPem },
    caCert: join(pkiDir, "ca.crt"),
    caKey: join(pkiDir, "ca.key"),
    apiserverCert: join(pkiDir, "apiserver.crt"),
    apiserverKey: join(pkiDir, "apiserver.key"),
    adminCert: join(pkiDir, "admin.crt"),
    adminKey: join(pkiDir, "admin.key"),
    serviceAccountPrivateKey: join(pkiDir, "sa.key"),
    serviceAccountPublicKey: join(pkiDir, "sa.pub"),
    kubeletClientCert: join(pkiDir, "apiserver-kubelet-client.crt"),
    kubeletClientKey: join(pkiDir, "apiserver-kubelet-client.key"),
  };
  const secret = { mode: 0o600 };
  await Promise.all([
    writeFile(files.caCert, ca.certPem),
    writeFile(files.caKey, ca.keyPem, secret),
    writeFile(files.apiserverCert, serving.certPem),
    writeFile(files.apiserverKey, serving.keyPem, secret),
    writeFile(files.adminCert, admin.certPem),
    writeFile(files.adminKey, admin.keyPem, secret),
    writeFile(files.serviceAccountPrivateKey, serviceAccount.privateKey.export({ type: "pkcs8", format: "pem" }), secret),
    writeFile(files.serviceAccountPublicKey, serviceAccount.publicKey.export({ type: "spki", format: "pem" })),
    writeFile(files.kubeletClientCert, kubeletClient.certPem),
    writeFile(files.kubeletClientKey, kubeletClient.keyPem, secret),
  ]);
  return files;
}

