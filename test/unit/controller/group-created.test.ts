// What a pod shows once its container group was created: still Pending with its containers being created
// (as a kubelet reports a container it is creating), the connector's own condition saying the group
// exists, a Normal Event naming the group and its region, and a log line naming both. Reasons follow the
// Kubernetes API conventions (one CamelCase word); the condition's type is a qualified name in the
// connector's own domain, as a custom pod condition type must be.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupCreatedCondition } from "../../../shared/controller/create-backoff.js";
import { groupNameOf, syncPod } from "../../../shared/controller/pod-sync.js";
import { boundPod, fakeWorld, groupFor } from "./fake-ports.js";

const camelCase = /^[A-Z][A-Za-z0-9]*$/;
const qualifiedName = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

describe("a pod whose group was just created", () => {
  it("is Pending, its containers ContainerCreating, with the connector's condition True, a Normal Event and a log line", async () => {
    const world = fakeWorld();
    const pod = boundPod("web", "00000000-0000-4000-8000-0000000000d1");
    world.pods.set("default/web", pod);
    const name = groupNameOf(pod);
    assert.equal(await syncPod(world.deps, structuredClone(pod), undefined), "created");

    const status = world.pods.get("default/web")!.status!;
    assert.equal(status.phase, "Pending");
    assert.deepEqual(status.containerStatuses?.map((c) => [c.name, c.state?.waiting?.reason, c.ready]), [["app", "ContainerCreating", false]]);
    const condition = status.conditions?.find((c) => c.type === groupCreatedCondition);
    assert.match(groupCreatedCondition, qualifiedName);
    assert.ok(groupCreatedCondition.startsWith("aci-connector.io/"), groupCreatedCondition);
    assert.equal(condition?.status, "True");
    assert.match(condition?.reason ?? "", camelCase);
    assert.deepEqual(condition?.lastTransitionTime, new Date(world.now.ms));

    assert.deepEqual(world.events.map((e) => e.type), ["Normal"]);
    assert.match(world.events[0]!.reason, camelCase);
    assert.ok(world.events[0]!.note.includes(name) && world.events[0]!.note.includes("westeurope"), world.events[0]!.note);

    const logged = world.logs.filter((l) => l.level === "info");
    assert.equal(logged.length, 1);
    assert.notEqual(logged[0]!.message, "");
    assert.deepEqual(logged[0]!.fields, { namespace: "default", pod: "web", group: name });
  });

  it("once its containers run, is Ready with no reason or message left from when it was not", async () => {
    const world = fakeWorld();
    const pod = boundPod("web", "00000000-0000-4000-8000-0000000000d2");
    world.pods.set("default/web", pod);
    await syncPod(world.deps, structuredClone(pod), undefined);
    const notReady = world.pods.get("default/web")!.status!.conditions!.find((c) => c.type === "Ready");
    assert.deepEqual([notReady?.status, notReady?.reason], ["False", "ContainersNotReady"]);

    const name = groupFor(world, pod);
    const group = world.groups.get(name)!;
    const containers = (group.properties as { containers: { name: string; properties: object }[] }).containers;
    for (const c of containers) c.properties = { ...c.properties, instanceView: { currentState: { state: "Running", startTime: "2026-11-25T10:00:05Z" } } };
    assert.equal(await syncPod(world.deps, structuredClone(world.pods.get("default/web")!), undefined), "status-updated");

    const status = world.pods.get("default/web")!.status!;
    assert.equal(status.phase, "Running");
    for (const type of ["Ready", "ContainersReady"]) {
      const condition = status.conditions?.find((c) => c.type === type);
      assert.deepEqual([condition?.status, condition?.reason, condition?.message], ["True", undefined, undefined], type);
    }
  });
});
