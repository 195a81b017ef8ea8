// An Event is a courtesy to the user; the pod's status and its container group are the work. When the
// API server refuses an Event (RBAC without events/create, a 429 of API priority and fairness, a
// deadline), the sync goes on as if it had been recorded: the group is still created, the status still
// written, the back-off still kept on the pod.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiException } from "@kubernetes/client-node";
import { AciError } from "../../../shared/aci/errors.js";
import { groupCreatedCondition } from "../../../shared/controller/create-backoff.js";
import { syncPod } from "../../../shared/controller/pod-sync.js";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { boundPod, fakeWorld, groupFor, type FakeWorld, tickOptions } from "./fake-ports.js";

const uid = "00000000-0000-4000-8000-0000000000b1";

function worldWithoutEvents(): FakeWorld {
  const world = fakeWorld();
  world.hooks.onEvent = () => {
    throw new ApiException(403, 'events is forbidden: User "system:node:virtual-kubelet-unit-linux-westeurope" cannot create resource "events"', {}, {});
  };
  return world;
}
/** The pod as a read returns it: a copy, not the fake API server's own object. */
const sync = (world: FakeWorld) => syncPod(world.deps, structuredClone(world.pods.get("default/web")!), undefined);
const condition = (world: FakeWorld) => world.pods.get("default/web")!.status?.conditions?.find((c) => c.type === groupCreatedCondition);

describe("an Event the API server refuses", () => {
  it("does not stop a group's creation, nor the status that follows it", async () => {
    const world = worldWithoutEvents();
    world.pods.set("default/web", boundPod("web", uid));
    assert.equal(await sync(world), "created");
    assert.equal(world.groups.size, 1);
    assert.equal(condition(world)?.status, "True");
    assert.deepEqual(world.events, []);
    // Swallowed, not silent: each refused Event is a warning naming its reason and the API server's words.
    const warnings = world.logs.filter((l) => l.level === "warn");
    assert.equal(warnings.length, 1);
    assert.notEqual(warnings[0]!.message, "");
    assert.equal(warnings[0]!.fields?.reason, "ContainerGroupCreated");
    assert.match(String(warnings[0]!.fields?.error), /forbidden/);
  });

  it("does not stop the PUT when a notice (Adapted) comes before it", async () => {
    const world = worldWithoutEvents();
    const pod = boundPod("web", uid);
    // The API server adds this projected volume to every pod; its token cannot be mounted in ACI, which the
    // pod is told in a Normal Event before its group is created.
    pod.spec!.volumes = [{ name: "kube-api-access", projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3607 } }] } }];
    world.pods.set("default/web", pod);
    assert.equal(await sync(world), "created");
    assert.ok(world.calls.includes("EVENT Adapted"), world.calls.join(", "));
    assert.equal(world.calls.filter((c) => c.startsWith("PUT ")).length, 1);
  });

  it("does not stop the refusal of a spec ACI cannot run from being written", async () => {
    const world = worldWithoutEvents();
    const pod = boundPod("web", uid);
    world.pods.set("default/web", { ...pod, spec: { ...pod.spec!, hostNetwork: true } });
    assert.equal(await sync(world), "refused");
    assert.equal(world.pods.get("default/web")!.status?.reason, "UnsupportedPodSpec");
  });

  it("does not stop ARM's refusal and its back-off from being written on the pod", async () => {
    const world = worldWithoutEvents();
    world.pods.set("default/web", boundPod("web", uid));
    world.hooks.onPut = () => {
      throw new AciError("invalid", "creating container group x failed: 400 InvalidRequestContent: no", { statusCode: 400, code: "InvalidRequestContent" });
    };
    assert.equal(await sync(world), "create-failed");
    assert.equal(world.pods.get("default/web")!.status?.reason, "ProviderCreateFailed");
    assert.equal(condition(world)?.status, "False");
  });

  it("does not stop a failed group's status from being written", async () => {
    const world = worldWithoutEvents();
    const pod = boundPod("web", uid, { phase: "Running" });
    world.pods.set("default/web", pod);
    groupFor(world, pod, "Failed");
    assert.equal(await sync(world), "status-updated");
    assert.ok(world.calls.includes("EVENT ProviderFailed"), world.calls.join(", "));
    assert.equal(world.pods.get("default/web")!.status?.phase, "Failed");
  });

  it("is no error of reconcile's", async () => {
    const world = worldWithoutEvents();
    world.pods.set("default/web", boundPod("web", uid));
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(report.errors, []);
    assert.equal(report.outcomes.created, 1);
  });
});
