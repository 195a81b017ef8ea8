import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildVirtualNode, virtualNodeName, virtualNodesOf } from "../../../shared/translate/virtual-node.js";

const input = {
  connectorName: "aci-connector",
  location: "westeurope",
  capacity: { cpu: "100", memory: "1600Gi", pods: "100" },
  kubernetesVersion: "v1.34.4",
  packageVersion: "0.1.0",
};

describe("the virtual node object", () => {
  it("is named as the seed shows it, per OS", () => {
    assert.equal(virtualNodeName({ ...input, os: "Linux" }), "virtual-kubelet-aci-connector-linux-westeurope");
    assert.equal(virtualNodeName({ ...input, os: "Windows" }), "virtual-kubelet-aci-connector-windows-westeurope");
  });

  it("lists a connector's nodes, one per OS it serves, in the order given", () => {
    assert.deepEqual(virtualNodesOf({ ...input, osTypes: ["Windows", "Linux"] }), [
      { os: "Windows", name: "virtual-kubelet-aci-connector-windows-westeurope" },
      { os: "Linux", name: "virtual-kubelet-aci-connector-linux-westeurope" },
    ]);
    assert.deepEqual(virtualNodesOf({ ...input, osTypes: [] }), []);
  });

  it("carries the labels and taint the seed's Deployments select and tolerate", () => {
    const node = buildVirtualNode({ ...input, os: "Windows" });
    assert.deepEqual(node.metadata?.labels, {
      type: "virtual-kubelet",
      "kubernetes.io/role": "agent",
      "kubernetes.io/hostname": "virtual-kubelet-aci-connector-windows-westeurope",
      "kubernetes.io/os": "windows",
      "beta.kubernetes.io/os": "windows",
      "kubernetes.io/arch": "amd64",
      "topology.kubernetes.io/region": "westeurope",
      "node.kubernetes.io/exclude-from-external-load-balancers": "true",
      "aci-connector.io/connector": "aci-connector",
    });
    assert.deepEqual(node.spec?.taints, [{ key: "virtual-kubelet.io/provider", value: "azure", effect: "NoSchedule" }]);
    // metrics-server scrapes this node's own pods there, not the address every node of the connector shares.
    assert.deepEqual(node.metadata?.annotations, { "metrics.k8s.io/resource-metrics-path": "/metrics/resource/virtual-kubelet-aci-connector-windows-westeurope" });
  });

  it("is a v1 Node whose nodeInfo names ACI for its OS, with no machine, kernel or kube-proxy behind it", () => {
    for (const os of ["Linux", "Windows"] as const) {
      const node = buildVirtualNode({ ...input, os });
      assert.equal(node.apiVersion, "v1");
      assert.equal(node.kind, "Node");
      // `kubectl get nodes -o wide` shows osImage, kernelVersion and containerRuntimeVersion: the runtime is
      // ACI at the ARM API version the connector calls; a container group has no kernel or machine to name.
      assert.deepEqual(node.status.nodeInfo, {
        operatingSystem: os.toLowerCase(),
        architecture: "amd64",
        kubeletVersion: "v1.34.4-aci-connector-0.1.0",
        kubeProxyVersion: "",
        containerRuntimeVersion: "aci://2023-05-01",
        osImage: `Azure Container Instances (${os})`,
        kernelVersion: "",
        machineID: "",
        systemUUID: "",
        bootID: "",
      });
    }
  });

  it("reports capacity, a virtual-kubelet VERSION, OS and architecture, address and daemon endpoint", () => {
    const node = buildVirtualNode({ ...input, os: "Linux" });
    assert.deepEqual(node.status.capacity, { cpu: "100", memory: "1600Gi", pods: "100" });
    assert.deepEqual(node.status.allocatable, node.status.capacity);
    assert.equal(node.status.nodeInfo?.kubeletVersion, "v1.34.4-aci-connector-0.1.0");
    assert.equal(node.status.nodeInfo?.operatingSystem, "linux");
    assert.equal(node.status.nodeInfo?.architecture, "amd64");
    assert.deepEqual(node.status.addresses, [{ type: "Hostname", address: "virtual-kubelet-aci-connector-linux-westeurope" }]);
    assert.deepEqual(node.status.daemonEndpoints, { kubeletEndpoint: { Port: 0 } });
  });

  it("advertises the functions' kubelet endpoint under every address type, so any preferred order reaches it", () => {
    const byIp = buildVirtualNode({ ...input, os: "Linux", kubeletEndpoint: { host: "127.0.0.1", port: 40123 } });
    assert.deepEqual(byIp.status.daemonEndpoints, { kubeletEndpoint: { Port: 40123 } });
    assert.deepEqual(byIp.status.addresses?.map((a) => `${a.type}=${a.address}`), ["InternalIP=127.0.0.1", "ExternalIP=127.0.0.1", "Hostname=127.0.0.1"]);
    const byName = buildVirtualNode({ ...input, os: "Windows", kubeletEndpoint: { host: "func-abc.azurewebsites.net", port: 443 } });
    assert.deepEqual(byName.status.daemonEndpoints, { kubeletEndpoint: { Port: 443 } });
    assert.deepEqual(byName.status.addresses?.map((a) => a.type), ["Hostname", "InternalDNS", "ExternalDNS"]);
  });
});
