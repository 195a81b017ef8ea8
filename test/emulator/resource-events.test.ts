// The emulator's resource-group system topic against Microsoft's documentation: the events it raises
// have the documented CloudEvent shape (test/support/event-grid-payloads.ts cites the page), the real
// @azure/eventgrid reads them as the system events they claim to be, and they come when ARM raises them:
// a create's write event once its provisioning has finished, none for a container exiting.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EventGridDeserializer, isSystemEvent } from "@azure/eventgrid";
import type { ResourceCloudEvent } from "../../dev/emulator/resource-events.js";
import { containerGroupOf } from "../../shared/controller/aci-events.js";
import { readArmResourceEvent } from "../../shared/relay/arm-event.js";
import { documentedResourceEvents } from "../support/event-grid-payloads.js";
import { podGroup, startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { until, waitFor } from "../support/wait.js";

const poll = { updateIntervalInMs: 50 };
const keys = (o: object) => Object.keys(o).sort();

describe("the emulator's ARM events (the resource group's Event Grid system topic)", () => {
  let emulator: TestEmulator;
  const received: ResourceCloudEvent[] = [];
  const eventsAbout = (name: string) => received.filter((e) => e.subject.endsWith(`/containerGroups/${name}`));

  before(async () => {
    emulator = await startTestEmulator();
    emulator.control.subscribeResourceEvents((e) => received.push(e));
  });
  after(() => emulator.stop());

  it("a create raises ResourceWriteSuccess once provisioning has finished, not at the PUT, with the documented CloudEvent fields", async () => {
    const poller = await emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, "written", podGroup({ name: "written", uid: "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f41" }), poll);
    assert.equal(poller.getOperationState().status === "succeeded", false, "the PUT answered before provisioning finished");
    assert.deepEqual(eventsAbout("written"), [], "no event while the group is still provisioning");
    const group = await poller.pollUntilDone();
    await waitFor("the write event", until(() => eventsAbout("written").length > 0), { timeoutMs: 5000, intervalMs: 20 });
    const [event] = eventsAbout("written");
    assert.equal((await emulator.client.containerGroups.get(emulator.resourceGroup, "written")).provisioningState, "Succeeded");

    const documented = documentedResourceEvents.cloudEventSchema.writeSuccess;
    assert.deepEqual(keys(event!), keys(documented));
    // The documented write example has no httpRequest; the delete example and the SDK's
    // ResourceWriteSuccessEventData both have one, so ours carries it.
    assert.deepEqual(keys(event!.data), keys({ ...documented.data, httpRequest: {} }));
    assert.equal(event!.type, "Microsoft.Resources.ResourceWriteSuccess");
    assert.equal(event!.subject.toLowerCase(), group.id!.toLowerCase());
    assert.equal(event!.data.resourceUri, event!.subject);
    assert.equal(event!.source, `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}`);
    assert.equal(event!.data.operationName, "Microsoft.ContainerInstance/containerGroups/write");
    assert.equal(event!.data.status, "Succeeded");
  });

  it("the real @azure/eventgrid reads them as the system events they claim to be, and aciEvents' parser finds the group", async () => {
    const [event] = eventsAbout("written");
    const [parsed] = await new EventGridDeserializer().deserializeCloudEvents(JSON.stringify([event]));
    assert.ok(parsed !== undefined && isSystemEvent("Microsoft.Resources.ResourceWriteSuccess", parsed));
    assert.equal(parsed.data?.resourceUri, event!.data.resourceUri);
    const reading = readArmResourceEvent(event);
    assert.ok(reading.ok, JSON.stringify(reading));
    assert.deepEqual(containerGroupOf(reading.value), { name: "written" });
  });

  it("a delete raises ResourceDeleteSuccess; a container exiting raises nothing (it is no ARM write)", async () => {
    emulator.control.exitContainer("written", "app", { exitCode: 1 });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(eventsAbout("written").length, 1);
    await emulator.client.containerGroups.beginDeleteAndWait(emulator.resourceGroup, "written", poll);
    const deleted = eventsAbout("written")[1];
    assert.equal(deleted?.type, "Microsoft.Resources.ResourceDeleteSuccess");
    assert.equal(deleted.data.operationName, "Microsoft.ContainerInstance/containerGroups/delete");
    assert.equal(deleted.data.httpRequest.method, "DELETE");
    const [parsed] = await new EventGridDeserializer().deserializeCloudEvents(JSON.stringify([deleted]));
    assert.ok(isSystemEvent("Microsoft.Resources.ResourceDeleteSuccess", parsed!));
  });

  it("a create that fails (an image that cannot be pulled) raises ResourceWriteFailure, status Failed", async () => {
    const body = podGroup({ name: "unpullable", uid: "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f42" });
    body.containers[0]!.image = "registry.invalid/app:1";
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "unpullable", body, poll).catch(() => undefined);
    await waitFor("the failure event", until(() => eventsAbout("unpullable").length > 0), { timeoutMs: 5000, intervalMs: 20 });
    const [event] = eventsAbout("unpullable");
    assert.equal(event!.type, "Microsoft.Resources.ResourceWriteFailure");
    assert.equal(event!.data.status, "Failed");
  });

  it("a group deleted while it provisions raises its delete, and no write event afterwards", async () => {
    await emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, "short-lived", podGroup({ name: "short-lived", uid: "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f43" }), poll);
    await emulator.client.containerGroups.beginDeleteAndWait(emulator.resourceGroup, "short-lived", poll);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(eventsAbout("short-lived").map((e) => e.type), ["Microsoft.Resources.ResourceDeleteSuccess"]);
  });
});
