// Event Grid delivers in the schema its subscription names (infra/ uses CloudEvents v1.0); both are read,
// from the payloads Microsoft documents (test/support/event-grid-payloads.ts cites the pages).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { containerGroupOf } from "../../../shared/controller/aci-events.js";
import { readArmResourceEvent } from "../../../shared/relay/arm-event.js";
import { readEventEnvelope } from "../../../shared/relay/event-envelope.js";
import { parsePodChanged } from "../../../shared/relay/pod-changed.js";
import { aboutResource, documentedResourceEvents, doorbellEvents, schemas } from "../../support/event-grid-payloads.js";

const groupUri = "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.ContainerInstance/containerGroups/default-aci-helloworld-0b3c7a2e";

describe("Event Grid events in either schema", () => {
  for (const schema of schemas) {
    const { writeSuccess, deleteSuccess } = documentedResourceEvents[schema];

    it(`${schema}: reads the type and resource of the documented ResourceWriteSuccess and ResourceDeleteSuccess`, () => {
      assert.deepEqual(readArmResourceEvent(writeSuccess), {
        eventType: "Microsoft.Resources.ResourceWriteSuccess",
        resourceUri: "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      });
      assert.deepEqual(readArmResourceEvent(deleteSuccess), {
        eventType: "Microsoft.Resources.ResourceDeleteSuccess",
        resourceUri: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      });
    });

    it(`${schema}: the same events about a container group reach aciEvents' controller (which refreshes on a write only)`, () => {
      const write = readArmResourceEvent(aboutResource(writeSuccess, groupUri, "Microsoft.ContainerInstance/containerGroups/write"));
      const deleted = readArmResourceEvent(aboutResource(deleteSuccess, groupUri, "Microsoft.ContainerInstance/containerGroups/delete"));
      assert.deepEqual(write, { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: groupUri });
      assert.deepEqual(deleted, { eventType: "Microsoft.Resources.ResourceDeleteSuccess", resourceUri: groupUri });
      assert.deepEqual(containerGroupOf(write), { name: "default-aci-helloworld-0b3c7a2e" });
    });

    it(`${schema}: reads the doorbell's data for podEvents`, () => {
      const data = { namespace: "default", name: "aci-helloworld", uid: "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f40" };
      const envelope = readEventEnvelope(doorbellEvents(data)[schema]);
      assert.equal(envelope?.type, "aci-connector.pod.changed");
      assert.deepEqual(parsePodChanged(envelope?.data), data);
    });
  }

  it("reads an event the host passed on as JSON text", () => {
    const text = JSON.stringify(documentedResourceEvents.cloudEventSchema.writeSuccess);
    assert.equal(readArmResourceEvent(text)?.eventType, "Microsoft.Resources.ResourceWriteSuccess");
  });

  const notEvents: [string, unknown][] = [
    ["nothing", undefined],
    ["null", null],
    ["text that is not JSON", "Microsoft.Resources.ResourceWriteSuccess"],
    ["the documented array itself (the runtime hands over one element)", [documentedResourceEvents.cloudEventSchema.writeSuccess]],
    ["an event without a type", { specversion: "1.0", data: { resourceUri: groupUri } }],
    ["an event whose type is not text", { eventType: 7, data: { resourceUri: groupUri } }],
  ];
  for (const [description, input] of notEvents) {
    it(`finds no event in ${description}`, () => assert.equal(readEventEnvelope(input), undefined));
  }

  const noResource: [string, unknown][] = [
    ["no data", { specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess" }],
    ["binary data (data_base64)", { specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess", data_base64: "e30=" }],
    ["data without resourceUri", { eventType: "Microsoft.Resources.ResourceWriteSuccess", data: { operationName: "x" } }],
    ["a resourceUri that is not text", { eventType: "Microsoft.Resources.ResourceWriteSuccess", data: { resourceUri: ["/subscriptions/x"] } }],
  ];
  for (const [description, input] of noResource) {
    it(`finds no ARM resource in an event with ${description}`, () => assert.equal(readArmResourceEvent(input), undefined));
  }
});
