// The virtual node object (pure): the Node the connector registers for one OS, as the seed shows it in
// `kubectl get nodes` (Ready, ROLES agent, a VERSION that says it is a virtual kubelet) and with the
// labels and taint azure-aci's users schedule by.
import { isIP } from "node:net";
import type { V1Node } from "@kubernetes/client-node";

export type VirtualNodeOs = "Linux" | "Windows";

export interface VirtualNodeInput {
  readonly connectorName: string;
  readonly os: VirtualNodeOs;
  readonly location: string;
  readonly capacity: { readonly cpu: string; readonly memory: string; readonly pods: string };
  /** The cluster's version, e.g. v1.34.4: kubectl shows the node's version beside the others. */
  readonly kubernetesVersion: string;
  readonly packageVersion: string;
  /** Where the functions serve the kubelet API; undefined: nowhere (port 0, Hostname address only). */
  readonly kubeletEndpoint?: { readonly host: string; readonly port: number };
}

/**
 * Where metrics-server scrapes one virtual node: every node of a connector shares the functions'
 * address, so the path names the node (shared/kubelet/paths.ts). metrics-server (v0.7+) takes it from
 * the node's annotation `metrics.k8s.io/resource-metrics-path` (kubernetes-sigs/metrics-server#1253,
 * made for kwok, which serves many nodes on one port); /metrics/* is still nodes/metrics to the
 * kubelet's authorizer.
 */
export const resourceMetricsPathAnnotation = "metrics.k8s.io/resource-metrics-path";
export const resourceMetricsPath = (node: string) => `/metrics/resource/${encodeURIComponent(node)}`;

/** The taint that keeps ordinary pods off: only pods that tolerate ACI land here (the seed's toleration). */
export const virtualNodeTaint = { key: "virtual-kubelet.io/provider", value: "azure", effect: "NoSchedule" } as const;

/** The seed's node name: virtual-kubelet-<connector>-<os>-<location>. */
export function virtualNodeName(input: Pick<VirtualNodeInput, "connectorName" | "location"> & { os: VirtualNodeOs }): string {
  return `virtual-kubelet-${input.connectorName}-${input.os.toLowerCase()}-${input.location}`;
}

/** Each node a connector serves, with its OS, in the order of `osTypes`. */
export function virtualNodesOf(input: Pick<VirtualNodeInput, "connectorName" | "location"> & { osTypes: readonly VirtualNodeOs[] }): { os: VirtualNodeOs; name: string }[] {
  return input.osTypes.map((os) => ({ os, name: virtualNodeName({ ...input, os }) }));
}

export function buildVirtualNode(input: VirtualNodeInput): V1Node & { status: NonNullable<V1Node["status"]> } {
  const name = virtualNodeName(input);
  const os = input.os.toLowerCase();
  const capacity = { cpu: input.capacity.cpu, memory: input.capacity.memory, pods: input.capacity.pods };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        type: "virtual-kubelet",
        "kubernetes.io/role": "agent",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": os,
        "beta.kubernetes.io/os": os,
        "kubernetes.io/arch": "amd64",
        "topology.kubernetes.io/region": input.location,
        // A Service's external load balancer cannot reach a container group through this node.
        "node.kubernetes.io/exclude-from-external-load-balancers": "true",
        "aci-connector.io/connector": input.connectorName,
      },
      // metrics-server scrapes this node's own resource metrics there, not at the address it shares
      // with the connector's other nodes (shared/kubelet/paths.ts).
      annotations: { [resourceMetricsPathAnnotation]: resourceMetricsPath(name) },
    },
    spec: { taints: [{ ...virtualNodeTaint }] },
    status: {
      capacity,
      allocatable: { ...capacity },
      nodeInfo: {
        operatingSystem: os,
        architecture: "amd64",
        kubeletVersion: `${input.kubernetesVersion}-aci-connector-${input.packageVersion}`,
        kubeProxyVersion: "",
        containerRuntimeVersion: "aci://2023-05-01",
        osImage: input.os === "Windows" ? "Azure Container Instances (Windows)" : "Azure Container Instances (Linux)",
        kernelVersion: "",
        machineID: "",
        systemUUID: "",
        bootID: "",
      },
      // The API server reaches a kubelet at the address of the first of its preferred types that the
      // node has, on this port: every type names the functions' endpoint, so any preference order works
      // (docs/decisions/kubelet-api.md). Without an endpoint the port is 0, which the API server replaces
      // with its own --kubelet-port (10250: kubernetes NodeConnectionInfoGetter); the node's only address
      // is then its name, which resolves nowhere, so `kubectl logs` fails to connect.
      daemonEndpoints: { kubeletEndpoint: { Port: input.kubeletEndpoint?.port ?? 0 } },
      addresses: nodeAddresses(name, input.kubeletEndpoint),
    },
  };
}

function nodeAddresses(name: string, endpoint: VirtualNodeInput["kubeletEndpoint"]): { type: string; address: string }[] {
  if (endpoint === undefined) return [{ type: "Hostname", address: name }];
  const { host } = endpoint;
  return isIP(host) !== 0
    ? [{ type: "InternalIP", address: host }, { type: "ExternalIP", address: host }, { type: "Hostname", address: host }]
    : [{ type: "Hostname", address: host }, { type: "InternalDNS", address: host }, { type: "ExternalDNS", address: host }];
}
