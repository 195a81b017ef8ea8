// Starts a real Kubernetes control plane on loopback: etcd (on tmpfs), kube-apiserver, kube-scheduler
// and kube-controller-manager, with no kubelet: the connector's virtual nodes are the only nodes; and,
// when given its binary, metrics-server behind the API server's aggregator (kubectl top, HPAs).
import { generateKeyPairSync } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyObjects } from "../../shared/kube/apply.js";
import { createCertificateAuthority, type CertificateAuthority } from "../pki.js";
import { apiServiceNotAvailable, metricsApiService, metricsServerArgs, metricsServerObjects, metricsServerUser } from "./metrics-server.js";
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
  /**
   * metrics-server's binary (dev/build-metrics-server.sh): started with the flags of AKS's deployment
   * and registered as the v1beta1.metrics.k8s.io APIService, so kubectl top and HPAs work. None if omitted.
   */
  readonly metricsServerBinary?: string;
  /**
   * The HPA controller's sync period and scale-down stabilization window (Kubernetes' defaults, 15 s
   * and 300 s, unless given); short in tests, so a scale-in shows within the test.
   */
  readonly horizontalPodAutoscaler?: { readonly syncPeriodSeconds?: number; readonly downscaleStabilizationSeconds?: number };
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
  readonly horizontalPodAutoscaler: { readonly syncPeriodSeconds: number; readonly downscaleStabilizationSeconds: number };
  /** metrics-server's address on loopback, when it was started (its log is `logs["metrics-server"]`). */
  readonly metricsServer?: string;
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
  const hpa = { syncPeriodSeconds: 15, downscaleStabilizationSeconds: 300, ...options.horizontalPodAutoscaler };
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
  const run = (name: string, args: string[], command = bin(name)) => {
    const p = startProcess(name, command, args, join(logDir, `${name}.log`));
    processes.push(p);
    return p;
  };

  try {
    progress("generating certificates");
    const ca = await createCertificateAuthority("aci-connector control plane CA");
    const files = await writePki(pkiDir, ca);
    const [etcdClientPort, etcdPeerPort, apiPort, schedulerPort, controllerManagerPort, metricsServerPort] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    ) as [number, number, number, number, number, number];
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
      // The aggregation layer, as kubeadm sets it up: the API server proxies to extension API servers
      // (metrics-server) with its front-proxy client certificate, of a CA of its own, and those trust
      // the user it names in these headers. Published to them in kube-system's
      // extension-apiserver-authentication ConfigMap.
      `--requestheader-client-ca-file=${files.frontProxyCaCert}`,
      "--requestheader-allowed-names=front-proxy-client",
      "--requestheader-username-headers=X-Remote-User",
      "--requestheader-group-headers=X-Remote-Group",
      "--requestheader-extra-headers-prefix=X-Remote-Extra-",
      `--proxy-client-cert-file=${files.frontProxyClientCert}`,
      `--proxy-client-key-file=${files.frontProxyClientKey}`,
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
      `--horizontal-pod-autoscaler-sync-period=${hpa.syncPeriodSeconds}s`,
      `--horizontal-pod-autoscaler-downscale-stabilization=${hpa.downscaleStabilizationSeconds}s`,
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

    let metricsServer: string | undefined;
    if (options.metricsServerBinary !== undefined) {
      progress("starting metrics-server and registering its APIService");
      const admin = new KubeConfig();
      admin.loadFromFile(adminKubeconfig);
      await applyObjects(admin, metricsServerObjects({ port: metricsServerPort, caPem: ca.certPem }));
      const metricsServerProcess = run(
        "metrics-server",
        metricsServerArgs({
          port: metricsServerPort,
          kubeconfig: await kubeconfigFor(metricsServerUser),
          tlsCertFile: files.metricsServerCert,
          tlsKeyFile: files.metricsServerKey,
        }),
        options.metricsServerBinary,
      );
      // Available once the aggregator reaches metrics-server's discovery through the Service: kubectl
      // top works from then on (with nothing to show until the first scrape).
      await waitUntilHealthy(
        `the ${metricsApiService} APIService`,
        { url: `${server}/apis/apiregistration.k8s.io/v1/apiservices/${metricsApiService}`, ca: ca.certPem, ...files.adminTls },
        { deadlineMs, abandon: firstExit(metricsServerProcess), notReady: apiServiceNotAvailable },
      );
      metricsServer = `https://127.0.0.1:${metricsServerPort}`;
    }

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
      horizontalPodAutoscaler: hpa,
      ...(metricsServer !== undefined && { metricsServer }),
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
  readonly frontProxyCaCert: string;
  readonly frontProxyClientCert: string;
  readonly frontProxyClientKey: string;
  readonly metricsServerCert: string;
  readonly metricsServerKey: string;
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
  // The aggregator's client certificate, of its own CA as in kubeadm: a certificate of the cluster CA
  // named front-proxy-client could otherwise claim to be any user to an extension API server.
  const frontProxyCa = await createCertificateAuthority("aci-connector front-proxy CA");
  const frontProxyClient = await frontProxyCa.issueClient({ user: "front-proxy-client" });
  // The aggregator checks it for <service>.<namespace>.svc against the APIService's caBundle.
  const metricsServer = await ca.issueServing({
    commonName: "metrics-server",
    dnsNames: ["metrics-server.kube-system.svc", "localhost"],
    ipAddresses: ["127.0.0.1"],
  });
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
    frontProxyCaCert: join(pkiDir, "front-proxy-ca.crt"),
    frontProxyClientCert: join(pkiDir, "front-proxy-client.crt"),
    frontProxyClientKey: join(pkiDir, "front-proxy-client.key"),
    metricsServerCert: join(pkiDir, "metrics-server.crt"),
    metricsServerKey: join(pkiDir, "metrics-server.key"),
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
    writeFile(files.frontProxyCaCert, frontProxyCa.certPem),
    writeFile(files.frontProxyClientCert, frontProxyClient.certPem),
    writeFile(files.frontProxyClientKey, frontProxyClient.keyPem, secret),
    writeFile(files.metricsServerCert, metricsServer.certPem),
    writeFile(files.metricsServerKey, metricsServer.keyPem, secret),
  ]);
  return files;
}

