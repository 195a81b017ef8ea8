// The Events a user must see when a pod's status moves, as a kubelet records them: a Warning when an image
// cannot be pulled (ErrImagePull) and when ACI fails the group (ProviderFailed), each once per
// transition, not again on every status write while the trouble lasts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WireContainerGroup } from "../../../shared/aci/container-groups.js";
import { syncPod } from "../../../shared/controller/pod-sync.js";
import { boundPod, fakeWorld, groupFor, type FakeWorld } from "./fake-ports.js";

const uid = "00000000-0000-4000-8000-0000000000c1";
type ContainerView = { currentState?: { state: string; startTime?: string }; events?: { type: string; name: string; message: string }[] };

/** The pod with containers `names`, and its group provisioned as `provisioningState`; returns the group's name. */
function podWithGroup(world: FakeWorld, names: string[], provisioningState: string, views: Record<string, ContainerView>, groupEvents: ContainerView["events"] = []) {
  const pod = boundPod("web", uid);
  pod.spec!.containers = names.map((name) => ({ name, image: `mcr.microsoft.com/oss/${name}:1.0` }));
  world.pods.set("default/web", pod);
  const name = groupFor(world, pod, provisioningState);
  aciReports(world, name, views, groupEvents);
  return name;
}

/** The group as a GET returns it now: each container as `views` has it, and the group's own events. */
function aciReports(world: FakeWorld, name: string, views: Record<string, ContainerView>, groupEvents: ContainerView["events"] = []) {
  const group = world.groups.get(name)!;
  const listed = (group.properties as { containers?: { name: string; properties?: object }[] }).containers ?? [];
  const containers = listed.map((c) => ({ ...c, properties: { ...c.properties, ...(views[c.name] && { instanceView: views[c.name] }) } }));
  world.groups.set(name, { ...group, properties: { ...group.properties, containers, instanceView: { events: groupEvents } } });
}
const sync = (world: FakeWorld) => syncPod(world.deps, structuredClone(world.pods.get("default/web")!), undefined);
const pullFailed = (image: string): ContainerView => ({
  currentState: { state: "Waiting" },
  events: [{ type: "Warning", name: "Failed", message: `Failed to pull image "${image}": manifest unknown` }],
});
const running: ContainerView = { currentState: { state: "Running", startTime: "2026-11-25T10:00:05Z" } };
const warnings = (world: FakeWorld) => world.events.filter((e) => e.type === "Warning").map((e) => [e.reason, e.note]);

describe("Events on a pod's status transitions", () => {
  it("ErrImagePull: one Warning naming the container and ACI's words, not again while it lasts", async () => {
    const world = fakeWorld();
    const name = podWithGroup(world, ["app"], "Creating", { app: pullFailed("mcr.microsoft.com/oss/app:1.0") });
    await sync(world);
    // The next poll: ACI says the same, with a later attempt's words.
    const group = world.groups.get(name)!;
    world.groups.set(name, JSON.parse(JSON.stringify(group).replace("manifest unknown", "manifest unknown (retried)")) as WireContainerGroup);
    await sync(world);
    assert.deepEqual(warnings(world), [["ErrImagePull", 'container app: Failed to pull image "mcr.microsoft.com/oss/app:1.0": manifest unknown']]);
  });

  it("ErrImagePull of a second container: its own Warning, though the first one's pull failed before", async () => {
    const world = fakeWorld();
    const name = podWithGroup(world, ["app", "sidecar"], "Creating", { app: pullFailed("mcr.microsoft.com/oss/app:1.0"), sidecar: running });
    await sync(world);
    aciReports(world, name, { app: pullFailed("mcr.microsoft.com/oss/app:1.0"), sidecar: pullFailed("mcr.microsoft.com/oss/sidecar:1.0") });
    await sync(world);
    assert.deepEqual(warnings(world).map(([, note]) => note!.split(":")[0]), ["container app", "container sidecar"]);
  });

  it("ProviderFailed: one Warning with ACI's words when the group fails, not again as ACI adds words", async () => {
    const world = fakeWorld();
    const failure = { type: "Warning", name: "Failed", message: "The container group failed: subnet delegation is missing" };
    const name = podWithGroup(world, ["app"], "Failed", {}, [failure]);
    await sync(world);
    aciReports(world, name, {}, [failure, { ...failure, message: "The container group failed again: subnet delegation is missing" }]);
    await sync(world);
    assert.equal(world.calls.filter((c) => c.startsWith("STATUS ")).length, 2, "the second status says something new");
    assert.deepEqual(warnings(world), [["ProviderFailed", "The container group failed: subnet delegation is missing"]]);
  });

  it("no Warning when a pod simply starts", async () => {
    const world = fakeWorld();
    podWithGroup(world, ["app"], "Succeeded", { app: running });
    assert.equal(await sync(world), "status-updated");
    assert.equal(world.pods.get("default/web")!.status?.phase, "Running");
    assert.deepEqual(warnings(world), []);
  });
});
