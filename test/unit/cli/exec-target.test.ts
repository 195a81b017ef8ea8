// Which container `exec` runs in, or the sentence that says why not: the pod's node must be one of the
// connector's virtual nodes, the pod running, the container named (or the only one) and running.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { execContainer, isVirtualNode } from "../../../cli/exec-target.js";
import { buildVirtualNode } from "../../../shared/translate/virtual-node.js";

const virtualNode: V1Node = buildVirtualNode({
  connectorName: "aci-connector",
  os: "Linux",
  location: "westeurope",
  capacity: { cpu: "100", memory: "400Gi", pods: "100" },
  kubernetesVersion: "v1.34.4",
  packageVersion: "0.1.0",
});
const plainNode: V1Node = { metadata: { name: "worker-1", labels: { "kubernetes.io/os": "linux" } } };

function pod(overrides: { containers?: string[]; init?: string[]; phase?: string; nodeName?: string | null; states?: Record<string, "running" | "waiting" | "terminated"> } = {}): V1Pod {
  const containers = overrides.containers ?? ["app"];
  const states = overrides.states ?? {};
  return {
    metadata: { name: "web", namespace: "shop", uid: "uid-1" },
    spec: {
      ...(overrides.nodeName !== null && { nodeName: overrides.nodeName ?? virtualNode.metadata!.name! }),
      containers: containers.map((name) => ({ name, image: "nginx" })),
      ...(overrides.init !== undefined && { initContainers: overrides.init.map((name) => ({ name, image: "busybox" })) }),
    },
    status: {
      phase: overrides.phase ?? "Running",
      containerStatuses: containers.map((name) => {
        const state = states[name] ?? "running";
        return {
          name,
          image: "nginx",
          imageID: "",
          ready: state === "running",
          restartCount: 0,
          state:
            state === "running" ? { running: { startedAt: new Date(0) } } : state === "waiting" ? { waiting: { reason: "CrashLoopBackOff" } } : { terminated: { exitCode: 2 } },
        };
      }),
    },
  };
}

describe("exec: the pod's container", () => {
  const table: { description: string; pod: V1Pod; node?: V1Node | "unreadable" | "absent"; container?: string; expected: ReturnType<typeof execContainer> }[] = [
    { description: "a running pod's only container", pod: pod(), expected: { ok: true, container: "app" } },
    { description: "a named container of several", pod: pod({ containers: ["app", "proxy"] }), container: "proxy", expected: { ok: true, container: "proxy" } },
    { description: "a node the user may not read: the pod is taken as the connector's (its group is found by UID)", pod: pod(), node: "unreadable", expected: { ok: true, container: "app" } },
    {
      description: "several containers and none named: listed as kubectl lists them",
      pod: pod({ containers: ["app", "proxy"] }),
      expected: { ok: false, problem: "a container name must be specified for pod shop/web, choose one of: [app proxy] (-c NAME)" },
    },
    {
      description: "a container the pod does not have: its containers are listed",
      pod: pod({ containers: ["app", "proxy"] }),
      container: "db",
      expected: { ok: false, problem: "container db is not valid for pod shop/web; choose one of: [app proxy]" },
    },
    {
      description: "an init container: it finished before the pod ran",
      pod: pod({ init: ["migrate"] }),
      container: "migrate",
      expected: { ok: false, problem: "container migrate is an init container of pod shop/web: it has finished before the pod ran; choose one of: [app]" },
    },
    {
      description: "a pod on an ordinary node",
      pod: pod({ nodeName: "worker-1" }),
      node: plainNode,
      expected: { ok: false, problem: "pod shop/web runs on node worker-1, which is not a virtual node of aci-connector: use kubectl exec for it" },
    },
    {
      description: "a pod bound to a node that does not exist",
      pod: pod({ nodeName: "ghost" }),
      node: "absent",
      expected: { ok: false, problem: "pod shop/web runs on node ghost, which is not a virtual node of aci-connector (no such node): use kubectl exec for it" },
    },
    {
      description: "a pod not scheduled yet",
      pod: pod({ nodeName: null, phase: "Pending" }),
      node: "absent",
      expected: { ok: false, problem: "pod shop/web is not scheduled on a node yet: it runs in Azure Container Instances once it is bound to a virtual node" },
    },
    { description: "a pending pod", pod: pod({ phase: "Pending" }), expected: { ok: false, problem: "pod shop/web is not running (phase Pending): a command can only be executed in a running container" } },
    { description: "a completed pod, in kubectl's words", pod: pod({ phase: "Succeeded" }), expected: { ok: false, problem: "cannot exec into a container in a completed pod; current phase is Succeeded" } },
    {
      description: "a container waiting to restart",
      pod: pod({ containers: ["app", "proxy"], states: { proxy: "waiting" } }),
      container: "proxy",
      expected: { ok: false, problem: "container proxy of pod shop/web is not running (waiting: CrashLoopBackOff): a command can only be executed in a running container" },
    },
    {
      description: "a container that has exited",
      pod: pod({ states: { app: "terminated" } }),
      expected: { ok: false, problem: "container app of pod shop/web is not running (terminated with exit code 2): a command can only be executed in a running container" },
    },
  ];
  for (const row of table) {
    it(row.description, () => {
      const node = row.node === "absent" ? undefined : (row.node ?? virtualNode);
      assert.deepEqual(execContainer(row.pod, node, row.container), row.expected);
    });
  }

  it("a virtual node is the connector's: its type label, its connector label and the virtual-kubelet taint", () => {
    assert.equal(isVirtualNode(virtualNode), true);
    assert.equal(isVirtualNode(plainNode), false);
    assert.equal(isVirtualNode(undefined), false);
    const withoutLabel = structuredClone(virtualNode);
    delete withoutLabel.metadata!.labels!["aci-connector.io/connector"];
    assert.equal(isVirtualNode(withoutLabel), false, "another virtual kubelet's node (azure-aci's) is not the connector's");
    assert.equal(isVirtualNode({ ...virtualNode, spec: { taints: [] } }), false);
  });
});
