// A pod that ACI cannot run as written. Nothing is sent to ARM; the user reads why in the pod's status
// and in an Event, each problem with its field.
//
// The phase follows the pod's restartPolicy. Under Always (the API server's default) a kubelet never
// lets a pod end on its own, and a controller (a ReplicaSet) replaces a Failed pod at once: a spec that
// can never run would be created, refused and replaced in a loop. So the pod stays Pending, saying why.
// Under Never or OnFailure it fails, as a run that cannot start. A Secret or ConfigMap that does not
// exist yet is different whatever the policy (missing-references.test.ts): the pod waits for it, unless
// it also has a problem that never goes away.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { syncPod } from "../../../shared/controller/pod-sync.js";
import { boundPod, fakeWorld, type FakeWorld } from "./fake-ports.js";

const uid = "00000000-0000-4000-8000-0000000000a1";

/** A pod asking for the host's network (a container group has none), under `restartPolicy`. */
function hostNetworkPod(restartPolicy: "Always" | "Never" | "OnFailure" | undefined): V1Pod {
  const pod = boundPod("web", uid);
  const { restartPolicy: _default, ...spec } = pod.spec!;
  return { ...pod, spec: { ...spec, hostNetwork: true, ...(restartPolicy !== undefined && { restartPolicy }) } };
}

/** A pod mounting a Secret that does not exist (yet). */
function missingSecretPod(restartPolicy: "Always" | "Never"): V1Pod {
  const pod = boundPod("web", uid);
  return {
    ...pod,
    spec: {
      ...pod.spec!,
      restartPolicy,
      volumes: [{ name: "tls", secret: { secretName: "web-tls" } }],
      containers: [{ ...pod.spec!.containers[0]!, volumeMounts: [{ name: "tls", mountPath: "/tls" }] }],
    },
  };
}

async function sync(world: FakeWorld, pod: V1Pod) {
  world.pods.set("default/web", pod);
  return syncPod(world.deps, structuredClone(pod), undefined);
}

describe("a pod ACI cannot run as written", () => {
  const cases = [
    { description: "restartPolicy Always", pod: hostNetworkPod("Always"), phase: "Pending", field: "spec.hostNetwork" },
    { description: "no restartPolicy (the API server's default is Always)", pod: hostNetworkPod(undefined), phase: "Pending", field: "spec.hostNetwork" },
    { description: "restartPolicy Never", pod: hostNetworkPod("Never"), phase: "Failed", field: "spec.hostNetwork" },
    { description: "restartPolicy OnFailure", pod: hostNetworkPod("OnFailure"), phase: "Failed", field: "spec.hostNetwork" },
  ];
  for (const c of cases) {
    it(`with ${c.description}: ${c.phase}, reason UnsupportedPodSpec naming ${c.field}, a Warning Event, nothing sent to ARM`, async () => {
      const world = fakeWorld();
      assert.equal(await sync(world, c.pod), "refused");
      const status = world.pods.get("default/web")!.status!;
      assert.equal(status.phase, c.phase);
      assert.equal(status.reason, "UnsupportedPodSpec");
      assert.ok(status.message?.startsWith(c.field), status.message);
      assert.deepEqual(world.events.map((e) => [e.type, e.reason, e.note]), [["Warning", "UnsupportedPodSpec", status.message]]);
      assert.deepEqual(world.calls.filter((c) => c.startsWith("PUT ")), []);
    });
  }

  it("fails under restartPolicy Never when a missing Secret comes with a problem that never goes away", async () => {
    const world = fakeWorld();
    const pod = missingSecretPod("Never");
    await sync(world, { ...pod, spec: { ...pod.spec!, hostNetwork: true } });
    const status = world.pods.get("default/web")!.status!;
    assert.equal(status.phase, "Failed");
    assert.match(status.message ?? "", /spec\.hostNetwork/);
    assert.match(status.message ?? "", /spec\.volumes\[0\]\.secret/);
    assert.equal(status.message?.split("; ").length, 2, "each problem on its own");
  });

  it("mounts a Secret and a ConfigMap that exist: the pod's group is created", async () => {
    const world = fakeWorld();
    world.secrets.set("default/web-tls", { metadata: { namespace: "default", name: "web-tls" }, data: { "tls.crt": "Y2VydA==" } });
    world.configMaps.set("default/web-settings", { metadata: { namespace: "default", name: "web-settings" }, data: { mode: "fast" } });
    const pod = missingSecretPod("Never");
    pod.spec!.volumes!.push({ name: "settings", configMap: { name: "web-settings" } });
    pod.spec!.containers[0]!.volumeMounts!.push({ name: "settings", mountPath: "/settings" });
    assert.equal(await sync(world, pod), "created");
  });

  it("logs the refusal as a warning naming the pod and how many problems it has", async () => {
    const world = fakeWorld();
    const pod = missingSecretPod("Never");
    await sync(world, { ...pod, spec: { ...pod.spec!, hostNetwork: true } });
    const warnings = world.logs.filter((l) => l.level === "warn");
    assert.equal(warnings.length, 1);
    assert.notEqual(warnings[0]!.message, "");
    assert.deepEqual(warnings[0]!.fields, { namespace: "default", pod: "web", problems: 2 });
  });

  it("says it once: the next sync writes no status and records no Event", async () => {
    const world = fakeWorld();
    await sync(world, hostNetworkPod("Always"));
    assert.equal(await syncPod(world.deps, structuredClone(world.pods.get("default/web")!), undefined), "refused");
    assert.equal(world.calls.filter((c) => c.startsWith("STATUS ")).length, 1);
    assert.equal(world.events.length, 1);
  });
});
