// What status reads, in which order: the groups before the pods (a pod created meanwhile is then seen
// without its group, never its group without the pod: no false orphan), and the cluster's side still
// read when ARM does not answer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ContainerGroupList } from "../../../shared/aci/container-groups.js";
import { collectStatus, type StatusReaders, type StatusSource } from "../../../cli/status/collect.js";

const linux = "virtual-kubelet-aci-connector-linux-westeurope";

function fakes(listGroups: () => Promise<ContainerGroupList>) {
  const calls: string[] = [];
  const source: StatusSource = {
    connectorName: "aci-connector",
    location: "westeurope",
    kube: {} as KubeConfig,
    groups: { list: () => (calls.push("groups"), listGroups()) },
  };
  const readers: StatusReaders = {
    clusterId: () => (calls.push("clusterId"), Promise.resolve("cluster-uid")),
    // Only the Linux node is registered.
    nodes: { getNode: (name) => (calls.push(`node ${name}`), Promise.resolve(name === linux ? ({ metadata: { name } }) : undefined)) },
    lease: (name) => (calls.push(`lease ${name}`), Promise.resolve(undefined)),
    pods: { listPodsOnNode: (name) => (calls.push(`pods ${name}`), Promise.resolve([{ metadata: { name: "p" } }])) },
  };
  return { calls, source, readers };
}

describe("status: collecting", () => {
  it("lists the groups before the pods, and reads the Lease and pods of registered nodes only", async () => {
    const f = fakes(() => Promise.resolve({ groups: [], pages: 1 }));
    const observed = await collectStatus(f.source, f.readers, { now: () => new Date(0) });
    assert.ok(f.calls.indexOf("groups") < f.calls.indexOf(`pods ${linux}`), f.calls.join(", "));
    assert.deepEqual(f.calls.filter((c) => c.startsWith("lease") || c.startsWith("pods")), [`lease ${linux}`, `pods ${linux}`]);
    assert.deepEqual(observed.nodes.map((n) => [n.name, n.node !== undefined]), [
      [linux, true],
      ["virtual-kubelet-aci-connector-windows-westeurope", false],
    ]);
    assert.equal(observed.pods.length, 1);
  });

  it("says why the groups are missing when ARM fails, and still reads the cluster", async () => {
    const f = fakes(() => Promise.reject(new Error("ARM did not answer: ETIMEDOUT")));
    const observed = await collectStatus(f.source, f.readers, { now: () => new Date(0) });
    assert.deepEqual(observed.groups, { error: "ARM did not answer: ETIMEDOUT" });
    assert.equal(observed.pods.length, 1);
  });
});
