// A pod's size against the region's capabilities, as the controller uses them: the pod is refused only
// for what the region cannot run; when the capabilities are unknown, ACI decides (the PUT is sent) and
// the controller says so in a warning.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { syncPod } from "../../../shared/controller/pod-sync.js";
import { boundPod, fakeWorld, type FakeWorld } from "./fake-ports.js";

/** A pod asking for 8 CPU and 32Gi in one container. */
function bigPod(): V1Pod {
  const pod = boundPod("big", "00000000-0000-4000-8000-0000000000b1");
  return { ...pod, spec: { ...pod.spec!, containers: [{ ...pod.spec!.containers[0]!, resources: { requests: { cpu: "8", memory: "32Gi" } } }] } };
}

async function sync(world: FakeWorld, pod: V1Pod) {
  world.pods.set("default/big", pod);
  return syncPod(world.deps, structuredClone(pod), undefined);
}

/** A region whose public groups have at most 4 CPU and 16 GB (eastus as ARM listed it in 2021). */
const smallRegion = {
  capabilities: { location: "eastus", rows: [{ resourceType: "containerGroups", osType: "NotSpecified", ipAddressType: "Public", gpu: "None", capabilities: { maxCpu: 4, maxMemoryInGB: 16, maxGpuCount: 0 } }] },
};

describe("a pod's size and the region's capabilities", () => {
  it("creates the group of an 8-CPU pod where the region runs 31 CPU", async () => {
    const world = fakeWorld();
    assert.equal(await sync(world, bigPod()), "created");
    assert.equal(world.calls.filter((c) => c.startsWith("PUT ")).length, 1);
  });

  it("refuses it where the region runs 4 CPU and 16 GB: UnsupportedPodSpec naming both fields and the region's figures, nothing sent to ARM", async () => {
    const world = fakeWorld();
    world.region.reading = smallRegion;
    assert.equal(await sync(world, bigPod()), "refused");
    const status = world.pods.get("default/big")!.status!;
    assert.equal(status.reason, "UnsupportedPodSpec");
    assert.match(status.message ?? "", /^spec\.containers\[\*\]\.resources\.requests\.cpu: the pod's containers request 8 CPU in all; ACI runs at most 4 CPU and 16 GB in one Linux container group in eastus; /);
    assert.match(status.message ?? "", /spec\.containers\[\*\]\.resources\.requests\.memory: the pod's containers request 34\.4 GB/);
    assert.deepEqual(world.events.map((e) => [e.reason, e.note]), [["UnsupportedPodSpec", status.message]]);
    assert.deepEqual(world.calls.filter((c) => c.startsWith("PUT ")), []);
  });

  it("lets ACI decide when the capabilities are unknown: the group is sent, and a warning names the pod and why", async () => {
    const world = fakeWorld();
    world.region.reading = { unknown: "reading ACI's capabilities in eastus failed: 503 ServiceUnavailable: down" };
    assert.equal(await sync(world, bigPod()), "created");
    assert.equal(world.calls.filter((c) => c.startsWith("PUT ")).length, 1);
    const warnings = world.logs.filter((l) => l.level === "warn");
    assert.deepEqual(warnings.map((w) => w.fields), [{ namespace: "default", pod: "big", error: "reading ACI's capabilities in eastus failed: 503 ServiceUnavailable: down" }]);
    // The line says what it means for the pod, in words an operator can search for.
    assert.match(warnings[0]!.message, /capabilities unknown.*ACI decides/);
  });
});
