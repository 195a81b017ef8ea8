// Init containers in the emulator, through the real @azure/arm-containerinstance client, against
// Microsoft's documentation:
//   - "Run an init container for setup tasks in a container group" (learn.microsoft.com/azure/
//     container-instances/container-instances-init-container): they run in the order given, before the
//     other containers, each must exit successfully before the next starts, "while an init container
//     runs, no other containers run", the deployment lasts longer by their run, and a failed one is
//     restarted OnFailure under the group's Always or OnFailure, never under Never;
//   - "Azure Container Instances states" (learn.microsoft.com/azure/container-instances/container-state):
//     the group is Pending while it waits for its init containers, a container Waiting while they run,
//     provisioning Succeeded once the containers run, a Failed group only under Never;
//   - the REST spec (azure-rest-api-specs, containerInstance.json 2023-05-01): an init container's
//     instanceView has restartCount, currentState, previousState and events, as a container's.
// When an init container exits is scripted as a container's exit is: the control API's exitContainer.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { ContainerGroup } from "@azure/arm-containerinstance";
import type { ResourceCloudEvent } from "../../dev/emulator/resource-events.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { rawArm } from "../support/raw-arm.js";
import { until, waitFor } from "../support/wait.js";

const poll = { updateIntervalInMs: 20 };

function withInitContainers(restartPolicy: "Always" | "OnFailure" | "Never", inits: { name: string; image?: string }[]): ContainerGroup {
  return {
    location: "westeurope",
    osType: "Linux",
    restartPolicy,
    initContainers: inits.map((c) => ({ name: c.name, image: c.image ?? "busybox", command: ["/bin/sh", "-c", "true"] })),
    containers: [{ name: "app", image: "mcr.microsoft.com/azuredocs/aci-helloworld", resources: { requests: { cpu: 1, memoryInGB: 1.5 } } }],
  };
}

describe("ACI emulator: init containers", () => {
  let emulator: TestEmulator;
  const events: ResourceCloudEvent[] = [];
  const writesOf = (name: string) => events.filter((e) => e.subject.endsWith(`/containerGroups/${name}`)).map((e) => e.type);
  // Pending 3 ms, Creating 10 ms: a group's init containers run almost at once.
  beforeEach(async () => {
    emulator = await startTestEmulator({ timeScale: 0.01 });
    events.length = 0;
    emulator.control.subscribeResourceEvents((e) => events.push(e));
  });
  afterEach(() => emulator.stop());

  const get = (name: string) => emulator.client.containerGroups.get(emulator.resourceGroup, name);
  const create = (name: string, group: ContainerGroup) => emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, name, group, poll);
  /** Once the images are pulled: the first init container runs. */
  const initRunning = async (name: string) => waitFor(`${name}'s first init container running`, async () => ((await get(name)).initContainers?.[0]?.instanceView?.currentState?.state === "Running" ? get(name) : undefined), { timeoutMs: 5000, intervalMs: 10 });

  it("runs them one after another, each until it exits 0, before the container; the group Pending and its create Creating until then", async () => {
    const poller = await create("ordered", withInitContainers("Always", [{ name: "migrate" }, { name: "seed" }]));
    let group = await initRunning("ordered");
    const [migrate, seed] = group.initContainers!;
    assert.equal(group.provisioningState, "Creating");
    assert.equal(group.instanceView?.state, "Pending");
    assert.ok(migrate!.instanceView?.currentState?.startTime instanceof Date);
    assert.deepEqual(migrate!.instanceView?.events?.map((e) => e.name), ["Pulling", "Pulled", "Created", "Started"]);
    assert.equal(migrate!.instanceView?.restartCount, 0);
    assert.deepEqual([seed!.instanceView?.currentState?.state, group.containers[0]!.instanceView?.currentState?.state], ["Waiting", "Waiting"]);
    // "While an init container runs, no other containers run": neither the next one nor the container can exit.
    assert.throws(() => emulator.control.exitContainer("ordered", "seed", { exitCode: 0 }), /init container seed .* is not running \(an init container before it has not completed\)/);
    assert.throws(() => emulator.control.exitContainer("ordered", "app", { exitCode: 0 }), /is not running \(provisioning state Creating\)/);

    emulator.control.exitContainer("ordered", "migrate", { exitCode: 0 });
    group = await get("ordered");
    const done = group.initContainers![0]!.instanceView!.currentState!;
    assert.deepEqual([done.state, done.exitCode, done.detailStatus], ["Terminated", 0, "Completed"]);
    assert.equal(group.initContainers![1]!.instanceView?.currentState?.state, "Running");
    assert.deepEqual(group.initContainers![1]!.instanceView?.currentState?.startTime, done.finishTime, "the next starts when the one before exits");
    assert.deepEqual([group.provisioningState, group.instanceView?.state, group.containers[0]!.instanceView?.currentState?.state], ["Creating", "Pending", "Waiting"]);
    assert.throws(() => emulator.control.exitContainer("ordered", "migrate", { exitCode: 0 }), /init container migrate .* is not running \(it has exited\)/);

    emulator.control.exitContainer("ordered", "seed", { exitCode: 0 });
    const created = await poller.pollUntilDone();
    assert.equal(created.provisioningState, "Succeeded", "the create's operation ends once the init containers have");
    group = await get("ordered");
    assert.equal(group.instanceView?.state, "Running");
    const app = group.containers[0]!.instanceView!;
    assert.equal(app.currentState?.state, "Running");
    assert.deepEqual(app.currentState?.startTime, group.initContainers![1]!.instanceView?.currentState?.finishTime, "the container starts when the last init container exits");
    assert.deepEqual(app.events?.map((e) => e.name), ["Pulling", "Pulled", "Created", "Started"]);
    await waitFor("the write event", until(() => writesOf("ordered").length > 0), { timeoutMs: 5000, intervalMs: 10 });
    assert.deepEqual(writesOf("ordered"), ["Microsoft.Resources.ResourceWriteSuccess"], "the write completes when provisioning ends, once");
  });

  it("Never: a failed init container blocks the group: provisioning and group Failed, the next init container and the container never start", async () => {
    const poller = await create("blocked", withInitContainers("Never", [{ name: "migrate" }, { name: "seed" }]));
    await initRunning("blocked");
    emulator.control.exitContainer("blocked", "migrate", { exitCode: 3 });
    const group = await get("blocked");
    const failed = group.initContainers![0]!.instanceView!;
    assert.deepEqual([failed.currentState?.state, failed.currentState?.exitCode, failed.currentState?.detailStatus, failed.restartCount], ["Terminated", 3, "Error", 0]);
    assert.deepEqual([group.provisioningState, group.instanceView?.state], ["Failed", "Failed"]);
    assert.deepEqual([group.initContainers![1]!.instanceView?.currentState?.state, group.containers[0]!.instanceView?.currentState?.state], ["Waiting", "Waiting"]);
    assert.throws(() => emulator.control.exitContainer("blocked", "seed", { exitCode: 0 }), /is not running/);
    assert.throws(() => emulator.control.exitContainer("blocked", "app", { exitCode: 0 }), /is not running \(provisioning state Failed\)/);
    await assert.rejects(poller.pollUntilDone(), /long-running operation has failed/);
    await waitFor("the write event", until(() => writesOf("blocked").length > 0), { timeoutMs: 5000, intervalMs: 10 });
    assert.deepEqual(writesOf("blocked"), ["Microsoft.Resources.ResourceWriteFailure"]);
  });

  for (const restartPolicy of ["Always", "OnFailure"] as const) {
    it(`${restartPolicy}: a failed init container runs again (OnFailure), counted with its previous state; an exit 0 lets the container start, not restarted`, async () => {
      await create(`retried-${restartPolicy.toLowerCase()}`, withInitContainers(restartPolicy, [{ name: "migrate" }]));
      const name = `retried-${restartPolicy.toLowerCase()}`;
      await initRunning(name);
      emulator.control.exitContainer(name, "migrate", { exitCode: 1 });
      let group = await get(name);
      let view = group.initContainers![0]!.instanceView!;
      assert.deepEqual([view.restartCount, view.currentState?.state, view.previousState?.state, view.previousState?.exitCode, view.previousState?.detailStatus], [1, "Running", "Terminated", 1, "Error"]);
      assert.deepEqual([group.provisioningState, group.instanceView?.state], ["Creating", "Pending"]);
      assert.deepEqual(view.events?.map((e) => [e.name, e.type]).slice(-2), [["Killing", "Warning"], ["Started", "Normal"]]);

      emulator.control.exitContainer(name, "migrate", { exitCode: 0 });
      group = await get(name);
      view = group.initContainers![0]!.instanceView!;
      assert.deepEqual([view.restartCount, view.currentState?.state, view.currentState?.exitCode], [1, "Terminated", 0], "an init container that exited 0 stays so, even under Always");
      assert.deepEqual([group.provisioningState, group.instanceView?.state, group.containers[0]!.instanceView?.currentState?.state], ["Succeeded", "Running", "Running"]);
    });
  }

  it("shows an init container's instanceView on a GET only: neither a PUT's answer nor a list item has one, as for a container", async () => {
    const path = `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/views?api-version=2023-05-01`;
    const body = {
      location: "westeurope",
      properties: { osType: "Linux", initContainers: [{ name: "migrate", properties: { image: "busybox" } }], containers: [{ name: "app", properties: { image: "nginx", resources: { requests: { cpu: 1, memoryInGB: 1 } } } }] },
    };
    assert.equal((await rawArm(emulator, "PUT", path, { body })).status, 201);
    await initRunning("views");
    type Answer = { properties: { initContainers: { name: string; properties: { instanceView?: unknown } }[] } };
    const repeated = (await rawArm(emulator, "PUT", path, { body })).json as Answer;
    assert.deepEqual(repeated.properties.initContainers.map((c) => [c.name, c.properties.instanceView]), [["migrate", undefined]]);
    const listed = [];
    for await (const g of emulator.client.containerGroups.listByResourceGroup(emulator.resourceGroup)) listed.push(g);
    assert.deepEqual(listed.map((g) => [g.name, g.initContainers?.[0]?.name, g.initContainers?.[0]?.instanceView]), [["views", "migrate", undefined]]);
    const got = (await rawArm(emulator, "GET", path)).json as Answer;
    assert.notEqual(got.properties.initContainers[0]!.properties.instanceView, undefined);
  });

  it("keeps an init container's logs, as a container's", async () => {
    await create("logged", withInitContainers("Always", [{ name: "migrate" }]));
    await initRunning("logged");
    emulator.control.appendLogs("logged", "migrate", ["migrating", "done"]);
    const logs = await emulator.client.containers.listLogs(emulator.resourceGroup, "logged", "migrate");
    assert.equal(logs.content, "migrating\ndone\n");
  });

  it("an init container whose image cannot be pulled fails the group with InaccessibleImage, the init container waiting ErrImagePull", { timeout: 15_000 }, async () => {
    // The SDK's first poll may already see the failure: the create and its wait fail together.
    const createAndWait = async () => (await create("unpullable-init", withInitContainers("Always", [{ name: "migrate", image: "registry.invalid/migrate:1" }]))).pollUntilDone();
    await assert.rejects(createAndWait(), /long-running operation has failed/);
    const view = (await get("unpullable-init")).initContainers![0]!.instanceView!;
    assert.deepEqual([view.currentState?.state, view.currentState?.detailStatus], ["Waiting", "ErrImagePull"]);
    assert.match(view.events?.find((e) => e.type === "Warning")?.message ?? "", /Failed to pull image "registry\.invalid\/migrate:1"/);
    assert.throws(() => emulator.control.exitContainer("unpullable-init", "migrate", { exitCode: 0 }), /is not running \(provisioning state Failed\)/);
  });
});
