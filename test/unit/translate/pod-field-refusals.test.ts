// The pod fields a container group cannot honour, one at a time, each with the exact problem the user
// reads (field path as `kubectl explain` names it, and why). The big "all in one pod" table in
// pod-to-container-group.test.ts shows problems together; this one proves each refusal alone, and the
// neighbouring values that must still be accepted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import type { Problem } from "../../../shared/translate/problems.js";
import { container, podFrom } from "./realistic-pods.js";
import { problemsOf, translate, type TranslateOptions } from "./translate-pod.js";

const subnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci";

const withoutImage = (c: V1Container): V1Container => ({ ...c, image: undefined });

describe("pod fields a container group cannot honour, each alone", () => {
  const cases: { description: string; pod: V1Pod; options?: TranslateOptions; problems: Problem[] }[] = [
    { description: "hostPID", pod: podFrom({ hostPID: true, containers: [container()] }), problems: [{ path: "spec.hostPID", message: "is not supported: a container group has no host processes to share" }] },
    { description: "hostIPC", pod: podFrom({ hostIPC: true, containers: [container()] }), problems: [{ path: "spec.hostIPC", message: "is not supported: a container group has no host IPC to share" }] },
    {
      description: "shareProcessNamespace",
      pod: podFrom({ shareProcessNamespace: true, containers: [container()] }),
      problems: [{ path: "spec.shareProcessNamespace", message: "is not supported: ACI does not share a process namespace between containers" }],
    },
    {
      // `kubectl debug` adds one through the pod's ephemeralcontainers subresource.
      description: "an ephemeral container",
      pod: podFrom({ containers: [container()], ephemeralContainers: [{ name: "debugger", image: "busybox:1.36" }] }),
      problems: [{ path: "spec.ephemeralContainers", message: "ACI cannot add containers to a running group" }],
    },
    { description: "a container without an image", pod: podFrom({ containers: [withoutImage(container())] }), problems: [{ path: "spec.containers[0].image", message: "is required" }] },
    {
      description: "an init container without an image",
      pod: podFrom({ initContainers: [withoutImage(container({ name: "migrate" }))], containers: [container()] }),
      problems: [{ path: "spec.initContainers[0].image", message: "is required" }],
    },
    {
      description: "a port without its containerPort",
      pod: podFrom({ containers: [container({ ports: [{ containerPort: undefined as unknown as number, protocol: "TCP" }] })] }),
      problems: [{ path: "spec.containers[0].ports[0].containerPort", message: "is required" }],
    },
    {
      description: "an init container's probes and ports (ACI's InitContainerDefinition has neither)",
      pod: podFrom({
        initContainers: [container({ name: "migrate", livenessProbe: { exec: { command: ["true"] } }, readinessProbe: { exec: { command: ["true"] } }, ports: [{ containerPort: 8080 }] })],
        containers: [container()],
      }),
      problems: [
        { path: "spec.initContainers[0].livenessProbe", message: "init containers have no probes in ACI" },
        { path: "spec.initContainers[0].readinessProbe", message: "init containers have no probes in ACI" },
        { path: "spec.initContainers[0].ports", message: "init containers cannot expose ports in ACI" },
      ],
    },
    {
      description: "a volume mount without a volume name or a mount path",
      pod: podFrom({ containers: [container({ volumeMounts: [{ name: "", mountPath: "" }] })] }),
      problems: [
        { path: "spec.containers[0].volumeMounts[0].name", message: "is required" },
        { path: "spec.containers[0].volumeMounts[0].mountPath", message: "is required" },
      ],
    },
    {
      description: "a volume mount with subPathExpr",
      pod: podFrom({ containers: [container({ volumeMounts: [{ name: "cache", mountPath: "/cache", subPathExpr: "$(POD_NAME)" }] })], volumes: [{ name: "cache", emptyDir: {} }] }),
      problems: [{ path: "spec.containers[0].volumeMounts[0].subPath", message: "ACI mounts whole volumes only" }],
    },
    {
      // Quoted, so that a user sees where a value with spaces begins and ends (problems.ts `quoted`).
      description: "an unknown protocol",
      pod: podFrom({ containers: [container({ ports: [{ containerPort: 80, protocol: "SCTP" }] })] }),
      problems: [{ path: "spec.containers[0].ports[0].protocol", message: 'ACI supports TCP and UDP, not "SCTP"' }],
    },
    {
      // Microsoft's naming rules: 5-63 characters, lowercase letters, digits and hyphens, a letter first.
      description: "a DNS name label that starts with a digit",
      pod: podFrom({ containers: [container({ ports: [{ containerPort: 80 }] })] }, { annotations: { "aci-connector.io/dns-name-label": "1shop-web" } }),
      problems: [{ path: 'metadata.annotations["aci-connector.io/dns-name-label"]', message: "a DNS name label is 5-63 lowercase letters, digits and hyphens, starting with a letter" }],
    },
    {
      description: "a DNS name label that ends with a hyphen",
      pod: podFrom({ containers: [container({ ports: [{ containerPort: 80 }] })] }, { annotations: { "virtualkubelet.io/dnsnamelabel": "shop-web-" } }),
      problems: [{ path: 'metadata.annotations["aci-connector.io/dns-name-label"]', message: "a DNS name label is 5-63 lowercase letters, digits and hyphens, starting with a letter" }],
    },
    {
      description: "a DNS name label when the connector deploys into a subnet",
      pod: podFrom({ containers: [container({ ports: [{ containerPort: 80 }] })] }, { annotations: { "aci-connector.io/dns-name-label": "shop-web" } }),
      options: { subnetId },
      problems: [{ path: 'metadata.annotations["aci-connector.io/dns-name-label"]', message: "a DNS name label needs a public IP; this connector deploys into a subnet" }],
    },
    {
      // "Deployments with GPU resources ... are only available on Linux container groups".
      description: "a GPU asked for by one of two containers of a Windows pod",
      pod: podFrom({ containers: [container(), container({ name: "trainer", resources: { limits: { "nvidia.com/gpu": "1" } } })] }, { annotations: { "virtual-kubelet.io/gpu-type": "K80" } }),
      options: { os: "Windows" },
      problems: [
        { path: "spec.containers[*].resources.limits", message: "ACI offers GPUs to Linux container groups only" },
        { path: "spec.containers", message: "a Windows container group has a single container in ACI; the pod has 2" },
      ],
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      assert.deepEqual(problemsOf(c.pod, c.options), c.problems);
    });
  }

  it("refuses a pod without a name, namespace or UID, naming each", () => {
    const pod = podFrom({ containers: [container()] }, { name: "", namespace: "", uid: "" });
    assert.deepEqual(problemsOf(pod), [
      { path: "metadata.name", message: "is required" },
      { path: "metadata.namespace", message: "is required" },
      { path: "metadata.uid", message: "is required" },
    ]);
  });

  it("refuses a pod without containers", () => {
    assert.deepEqual(problemsOf(podFrom({ containers: [] })), [{ path: "spec.containers", message: "a pod needs at least one container" }]);
  });
});

describe("neighbouring values a container group honours", () => {
  it("accepts a hostPort equal to its containerPort: the group's IP is the pod's host", () => {
    const { body } = translate(podFrom({ containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] }));
    assert.deepEqual(body.properties.ipAddress?.ports, [{ port: 80, protocol: "TCP" }]);
  });

  it("accepts an empty list of ephemeral containers (a pod nobody has debugged)", () => {
    assert.equal(translate(podFrom({ containers: [container()], ephemeralContainers: [] })).body.properties.containers.length, 1);
  });

  it("mounts an init container's volumes", () => {
    const pod = podFrom({
      initContainers: [container({ name: "seed", volumeMounts: [{ name: "data", mountPath: "/data" }] })],
      containers: [container({ volumeMounts: [{ name: "data", mountPath: "/srv/data", readOnly: true }] })],
      volumes: [{ name: "data", emptyDir: {} }],
    });
    const { body } = translate(pod);
    assert.deepEqual(body.properties.initContainers?.[0]?.properties.volumeMounts, [{ name: "data", mountPath: "/data" }]);
  });

  it("gives a group in a subnet no IP address when no container has a port", () => {
    const { body } = translate(podFrom({ containers: [container()] }), { subnetId });
    assert.deepEqual(body.properties.subnetIds, [{ id: subnetId }]);
    assert.equal("ipAddress" in body.properties, false);
  });

  it("tags a pod not yet stored (no creationTimestamp) with an empty CreationTimestamp", () => {
    const { body } = translate(podFrom({ containers: [container()] }, { creationTimestamp: undefined }));
    assert.equal(body.tags?.CreationTimestamp, "");
  });
});
