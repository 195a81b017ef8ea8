import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { containerGroupOf, handleArmEvent } from "../../../shared/controller/aci-events.js";
import { boundPod, fakeWorld, groupFor, type FakeWorld } from "./fake-ports.js";

const uri = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/aci-rg/providers/Microsoft.ContainerInstance/containerGroups/shop-web-0123456789abcdef";

describe("ARM events about container groups", () => {
  const cases = [
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: uri, expected: { name: "shop-web-0123456789abcdef" } },
    { eventType: "Microsoft.Resources.ResourceWriteFailure", resourceUri: uri, expected: { name: "shop-web-0123456789abcdef" } },
    // Left to reconcile, which checks every pod's group each tick: finding a deleted group's pod would
    // cost a list of every pod per event.
    { eventType: "Microsoft.Resources.ResourceDeleteSuccess", resourceUri: uri, expected: undefined },
    { eventType: "Microsoft.Resources.ResourceActionSuccess", resourceUri: `${uri}/restart`, expected: undefined },
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: "/subscriptions/s/resourceGroups/aci-rg/providers/Microsoft.Storage/storageAccounts/x", expected: undefined },
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: `${uri}/../../other`, expected: undefined },
    // Only a resource path from its root: the same path under another one names something else.
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: `/providers/Microsoft.Management/managementGroups/mg${uri}`, expected: undefined },
    // ARM resource names are case-insensitive; the connector names its groups in lowercase.
    { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: uri.replace("shop-web", "Shop-Web"), expected: { name: "shop-web-0123456789abcdef" } },
  ];
  for (const c of cases) {
    it(`${c.expected ? "refreshes" : "ignores"} ${c.eventType} on ${c.resourceUri.split("/providers/")[1]}`, () => {
      assert.deepEqual(containerGroupOf(c), c.expected);
    });
  }
});

describe("an ARM event about a container group", () => {
  const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const writeOf = (group: string) => ({ eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/aci-rg/providers/Microsoft.ContainerInstance/containerGroups/${group}` });
  const armCalls = (world: FakeWorld) => world.calls.filter((c) => /^(PUT|GET|DELETE|LIST groups)/.test(c) && !c.startsWith("DELETE pod"));

  /** A pending pod and its group, which ACI has just started (the write the event reports). */
  function startedGroup(world: FakeWorld, n: number) {
    const pod = boundPod(`web${n}`, uid(n));
    world.pods.set(`default/web${n}`, pod);
    const name = groupFor(world, pod);
    const group = world.groups.get(name)!;
    world.groups.set(name, { ...group, properties: { ...group.properties, instanceView: { state: "Running" }, ipAddress: { type: "Private", ip: "10.0.0.7", ports: [] } } });
    return { key: `default/web${n}`, name };
  }
  const retag = (world: FakeWorld, name: string, change: (tags: Record<string, string>) => Record<string, string>) => {
    const group = world.groups.get(name)!;
    world.groups.set(name, { ...group, tags: change({ ...group.tags }) });
  };

  it("refreshes its pod at once, reading the group once and the pod once", async () => {
    const world = fakeWorld();
    const { key, name } = startedGroup(world, 1);
    const outcome = await handleArmEvent(world.deps, writeOf(name));
    assert.equal(outcome, "status-updated");
    assert.equal(world.pods.get(key)!.status?.phase, "Running");
    assert.equal(world.pods.get(key)!.status?.podIP, "10.0.0.7");
    assert.deepEqual(armCalls(world), [`GET ${name}`]);
    assert.equal(world.calls.filter((c) => c.startsWith("FIND ")).length, 1);
  });

  it("reads the group as urgent, so that in a burst it goes before the doorbells' and reconcile's reads", async () => {
    const world = fakeWorld();
    const { name } = startedGroup(world, 2);
    const urgent: (boolean | undefined)[] = [];
    world.hooks.onGet = (_name, options) => urgent.push(options?.urgent);
    await handleArmEvent(world.deps, writeOf(name));
    assert.deepEqual(urgent, [true]);
  });

  it("reads a running pod's group once too: the event's read is the one the status comes from", async () => {
    const world = fakeWorld();
    const { key, name } = startedGroup(world, 9);
    world.pods.get(key)!.status = { phase: "Running" };
    assert.equal(await handleArmEvent(world.deps, writeOf(name)), "status-updated");
    assert.deepEqual(armCalls(world), [`GET ${name}`]);
  });

  it("finds the group whatever the case of its name in the event (ARM names are case-insensitive)", async () => {
    const world = fakeWorld();
    const { key, name } = startedGroup(world, 2);
    assert.equal(await handleArmEvent(world.deps, writeOf(name.toUpperCase())), "status-updated");
    assert.equal(world.pods.get(key)!.status?.phase, "Running");
  });

  it("sends nothing for an event about anything else: no group, no pod is read", async () => {
    const world = fakeWorld();
    const { name } = startedGroup(world, 3);
    for (const event of [{ ...writeOf(name), eventType: "Microsoft.Resources.ResourceDeleteSuccess" }, { ...writeOf(name), resourceUri: `${writeOf(name).resourceUri}/restart` }]) {
      assert.equal(await handleArmEvent(world.deps, event), "ignored");
    }
    assert.deepEqual(world.calls, []);
  });

  it("leaves a group that is gone to reconcile: no pod is looked up for it", async () => {
    const world = fakeWorld();
    const { key, name } = startedGroup(world, 4);
    world.groups.delete(name);
    assert.equal(await handleArmEvent(world.deps, writeOf(name)), "ignored");
    assert.deepEqual(world.calls, [`GET ${name}`]);
    assert.equal(world.pods.get(key)!.status?.phase, "Pending");
  });

  const strangers: [string, (tags: Record<string, string>) => Record<string, string>][] = [
    ["another cluster's connector of the same name", (t) => ({ ...t, ClusterId: "7f1d2b90-5c0e-4c55-9b1d-6a3e8f1d2b90" })],
    ["a group without a cluster tag", ({ ClusterId: _dropped, ...t }) => t],
    ["another connector", (t) => ({ ...t, AciConnector: "other" })],
    ["a node that is not this connector's", (t) => ({ ...t, NodeName: "aks-nodepool1-12345678-vmss000000" })],
    ["a group without a pod name", ({ PodName: _dropped, ...t }) => t],
    ["a group without a namespace", ({ Namespace: _dropped, ...t }) => t],
  ];
  for (const [description, change] of strangers) {
    it(`ignores ${description}: its pod is neither read nor written`, async () => {
      const world = fakeWorld();
      const { key, name } = startedGroup(world, 5);
      retag(world, name, change);
      assert.equal(await handleArmEvent(world.deps, writeOf(name)), "ignored");
      assert.deepEqual(world.calls, [`GET ${name}`]);
      assert.equal(world.pods.get(key)!.status?.phase, "Pending");
    });
  }

  it("ignores a group whose pod is gone or was replaced by a namesake, and leaves deleting it to reconcile", async () => {
    const world = fakeWorld();
    const gone = startedGroup(world, 6);
    world.pods.delete(gone.key);
    const replaced = startedGroup(world, 7);
    world.pods.set(replaced.key, boundPod("web7", uid(8)));
    for (const { name } of [gone, replaced]) assert.equal(await handleArmEvent(world.deps, writeOf(name)), "ignored");
    assert.deepEqual(armCalls(world), [`GET ${gone.name}`, `GET ${replaced.name}`]);
    assert.ok(!world.calls.some((c) => c.startsWith("STATUS ")));
    assert.equal(world.pods.get(replaced.key)!.status?.phase, "Pending");
  });
});
