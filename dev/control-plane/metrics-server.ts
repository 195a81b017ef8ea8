// metrics-server beside the control plane, as a process on loopback rather than a pod (there is no
// kubelet to run one): the flags of a managed cluster's deployment, the RBAC of upstream's manifests
// for its own user, and the v1beta1.metrics.k8s.io APIService, so that `kubectl top` and
// HorizontalPodAutoscalers work. Why each choice: docs/control-plane.md and
// docs/decisions/metrics-server.md.
import type { KubernetesObject } from "@kubernetes/client-node";

/** Who metrics-server is to the API server: a client-certificate user, bound as upstream binds its ServiceAccount. */
export const metricsServerUser = "metrics-server";
export const metricsApiService = "v1beta1.metrics.k8s.io";

export interface MetricsServerFlags {
  readonly port: number;
  readonly kubeconfig: string;
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
}

/**
 * AKS's deployment (aks-engine's addon manifest, the same as on AKS: Azure/AKS#2141) plus what a process
 * outside the cluster needs in place of its in-cluster config and self-generated certificate. The
 * kubelet's serving certificate is not verified (`--kubelet-insecure-tls`), as on AKS, whose kubelets
 * serve self-signed certificates; the virtual nodes' kubelet endpoint (the functions) serves one of no
 * CA the cluster knows either.
 */
export function metricsServerArgs(flags: MetricsServerFlags): string[] {
  return [
    "--bind-address=127.0.0.1",
    `--secure-port=${flags.port}`,
    `--tls-cert-file=${flags.tlsCertFile}`,
    `--tls-private-key-file=${flags.tlsKeyFile}`,
    `--kubeconfig=${flags.kubeconfig}`,
    `--authentication-kubeconfig=${flags.kubeconfig}`,
    `--authorization-kubeconfig=${flags.kubeconfig}`,
    "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
    "--kubelet-use-node-status-port",
    "--metric-resolution=15s",
    "--kubelet-insecure-tls",
  ];
}

const subject = [{ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: metricsServerUser }];

/**
 * metrics-server v0.8.0's manifests/base/rbac.yaml and apiservice.yaml, bound to a User instead of the
 * kube-system/metrics-server ServiceAccount; the Service is an ExternalName pointing at loopback, the
 * only kind of Service the aggregator can route to a process on 127.0.0.1 (docs/control-plane.md), and
 * the APIService trusts metrics-server's certificate by the cluster CA instead of skipping TLS checks.
 */
export function metricsServerObjects(options: { readonly port: number; readonly caPem: string }): KubernetesObject[] {
  const objects: (KubernetesObject & Record<string, unknown>)[] = [];
  const metadata = (name: string, namespace?: string) => ({ name, ...(namespace !== undefined && { namespace }), labels: { "k8s-app": "metrics-server" } });
  objects.push(
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: {
        ...metadata("system:aggregated-metrics-reader"),
        labels: {
          "k8s-app": "metrics-server",
          "rbac.authorization.k8s.io/aggregate-to-view": "true",
          "rbac.authorization.k8s.io/aggregate-to-edit": "true",
          "rbac.authorization.k8s.io/aggregate-to-admin": "true",
        },
      },
      rules: [{ apiGroups: ["metrics.k8s.io"], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: metadata("metrics-server-auth-reader", "kube-system"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "extension-apiserver-authentication-reader" },
      subjects: subject,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: metadata("metrics-server:system:auth-delegator"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
      subjects: subject,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: metadata("system:metrics-server"),
      rules: [
        { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
        { apiGroups: [""], resources: ["pods", "nodes"], verbs: ["get", "list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: metadata("system:metrics-server"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:metrics-server" },
      subjects: subject,
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: metadata("metrics-server", "kube-system"),
      spec: { type: "ExternalName", externalName: "127.0.0.1" },
    },
    {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: metadata(metricsApiService),
      spec: {
        service: { name: "metrics-server", namespace: "kube-system", port: options.port },
        group: "metrics.k8s.io",
        version: "v1beta1",
        caBundle: Buffer.from(options.caPem).toString("base64"),
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  );
  return objects;
}

/** Why the APIService is not Available yet, or undefined once it is (its status as the API server returns it). */
export function apiServiceNotAvailable(body: string): string | undefined {
  const status = (JSON.parse(body) as { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } }).status;
  const available = status?.conditions?.find((c) => c.type === "Available");
  if (available?.status === "True") return undefined;
  return available === undefined ? "no Available condition yet" : `Available=${available.status} (${available.reason}: ${available.message})`;
}
