// Event Grid delivers in the schema its subscription names (infra/ uses CloudEvents v1.0); both are read,
// from the payloads Microsoft documents (test/support/event-grid-payloads.ts cites the pages).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { containerGroupOf } from "../../../shared/controller/aci-events.js";
import { readArmResourceEvent } from "../../../shared/relay/arm-event.js";
import { readEventEnvelope } from "../../../shared/relay/event-envelope.js";
import { parsePodChanged, readPodChangedEvent } from "../../../shared/relay/pod-changed.js";
import type { Reading } from "../../../shared/relay/reading.js";
import { aboutResource, documentedResourceEvents, doorbellEvents, schemas } from "../../support/event-grid-payloads.js";

/** What was read; fails the test with the problems when nothing was. */
function read<T>(reading: Reading<T>): T {
  if (!reading.ok) assert.fail(reading.problems.join("; "));
  return reading.value;
}
/** The problems, one per line; fails the test when the input was read. */
function refusal<T>(reading: Reading<T>): string {
  if (reading.ok) assert.fail(`read ${JSON.stringify(reading.value)}`);
  return reading.problems.join("\n");
}

const groupUri = "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.ContainerInstance/containerGroups/default-aci-helloworld-0b3c7a2e";

describe("Event Grid events in either schema", () => {
  for (const schema of schemas) {
    const { writeSuccess, deleteSuccess } = documentedResourceEvents[schema];

    it(`${schema}: reads the type and resource of the documented ResourceWriteSuccess and ResourceDeleteSuccess`, () => {
      assert.deepEqual(read(readArmResourceEvent(writeSuccess)), {
        eventType: "Microsoft.Resources.ResourceWriteSuccess",
        resourceUri: "/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      });
      assert.deepEqual(read(readArmResourceEvent(deleteSuccess)), {
        eventType: "Microsoft.Resources.ResourceDeleteSuccess",
        resourceUri: "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}",
      });
    });

    it(`${schema}: the same events about a container group reach aciEvents' controller (which refreshes on a write only)`, () => {
      const write = read(readArmResourceEvent(aboutResource(writeSuccess, groupUri, "Microsoft.ContainerInstance/containerGroups/write")));
      const deleted = read(readArmResourceEvent(aboutResource(deleteSuccess, groupUri, "Microsoft.ContainerInstance/containerGroups/delete")));
      assert.deepEqual(write, { eventType: "Microsoft.Resources.ResourceWriteSuccess", resourceUri: groupUri });
      assert.deepEqual(deleted, { eventType: "Microsoft.Resources.ResourceDeleteSuccess", resourceUri: groupUri });
      assert.deepEqual(containerGroupOf(write), { name: "default-aci-helloworld-0b3c7a2e" });
    });

    it(`${schema}: reads the doorbell's data for podEvents`, () => {
      const data = { namespace: "default", name: "aci-helloworld", uid: "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f40" };
      const envelope = read(readEventEnvelope(doorbellEvents(data)[schema]));
      assert.equal(envelope.type, "aci-connector.pod.changed");
      assert.deepEqual(read(parsePodChanged(envelope.data)), data);
      assert.deepEqual(read(readPodChangedEvent(doorbellEvents(data)[schema])), data);
    });
  }

  it("reads an event the host passed on as JSON text", () => {
    const text = JSON.stringify(documentedResourceEvents.cloudEventSchema.writeSuccess);
    assert.equal(read(readArmResourceEvent(text)).eventType, "Microsoft.Resources.ResourceWriteSuccess");
  });

  // Each refusal names the field that made it: a broken publisher is found from one log line.
  const notEvents: [string, unknown, RegExp][] = [
    ["nothing", undefined, /^the event must be a JSON object, got nothing$/],
    ["null", null, /^the event must be a JSON object, got null$/],
    ["a number", 7, /^the event must be a JSON object, got a number$/],
    ["text that is not JSON", "Microsoft.Resources.ResourceWriteSuccess", /^the event is text that is not JSON$/],
    ["JSON text of an array", "[]", /^the event must be a JSON object, got an array$/],
    ["the documented array itself (the runtime hands over one element)", [documentedResourceEvents.cloudEventSchema.writeSuccess], /^the event must be a JSON object, got an array$/],
    ["an event without a type", { specversion: "1.0", data: { resourceUri: groupUri } }, /^type must be a non-empty string, got nothing$/],
    ["an empty type", { specversion: "1.0", type: "", data: {} }, /^type must be a non-empty string, got an empty string$/],
    ["an event whose eventType is not text", { eventType: 7, data: { resourceUri: groupUri } }, /^eventType must be a non-empty string, got a number$/],
    ["an eventType that is not text beside a type that is", { eventType: null, type: "Microsoft.Resources.ResourceWriteSuccess", data: {} }, /^eventType must be a non-empty string, got null$/],
  ];
  for (const [description, input, problem] of notEvents) {
    it(`finds no event in ${description}, and says why`, () => assert.match(refusal(readEventEnvelope(input)), problem));
  }

  const noResource: [string, unknown, RegExp][] = [
    ["no data", { specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess" }, /^data must be a JSON object, got nothing$/],
    ["binary data (data_base64)", { specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess", data_base64: "e30=" }, /^data must be a JSON object, got nothing$/],
    ["data that is text", { specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess", data: "/subscriptions/x" }, /^data must be a JSON object, got "\/subscriptions\/x"$/],
    ["data without resourceUri", { eventType: "Microsoft.Resources.ResourceWriteSuccess", data: { operationName: "x" } }, /^data\.resourceUri must be a non-empty string, got nothing$/],
    ["a resourceUri that is not text", { eventType: "Microsoft.Resources.ResourceWriteSuccess", data: { resourceUri: ["/subscriptions/x"] } }, /^data\.resourceUri must be a non-empty string, got an array$/],
    ["an empty resourceUri", { eventType: "Microsoft.Resources.ResourceWriteSuccess", data: { resourceUri: "" } }, /^data\.resourceUri must be a non-empty string, got an empty string$/],
    ["no type", { data: { resourceUri: groupUri } }, /^type must be a non-empty string/],
  ];
  for (const [description, input, problem] of noResource) {
    it(`finds no ARM resource in an event with ${description}, and says why`, () => assert.match(refusal(readArmResourceEvent(input)), problem));
  }

  it("cuts a long value short in its words, so an event cannot flood the log", () => {
    const words = refusal(readArmResourceEvent({ type: "Microsoft.Resources.ResourceWriteSuccess", data: "x".repeat(10_000) }));
    assert.ok(words.length < 200, words);
  });
});
