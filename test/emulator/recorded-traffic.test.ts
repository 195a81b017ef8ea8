// Replays a recording of the live service (azure-cli's test_container_create) against the emulator:
// the same request bodies must get the answers the real service gave, field for field, apart from
// what differs by nature (IP address, ids under another subscription and resource group).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { projectRoot } from "../support/paths.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { rawArm } from "../support/raw-arm.js";
import { waitFor } from "../support/wait.js";

interface Recording {
  request: { name: string; body: { location: string } };
  putResponse: { status: number; body: Record<string, unknown>; headers: string[] };
  operationResponse: { id: string; status: string };
  getResponse: { containerInstanceView: Record<string, unknown>; eventNames: string[]; groupInstanceView: Record<string, unknown> };
  listItem: Record<string, unknown>;
}

const recording = JSON.parse(readFileSync(join(projectRoot, "test/emulator/fixtures/azure-cli-container-create.json"), "utf8")) as Recording;

/** The recorded body with what differs by nature (ids, IP) replaced by what this emulator must send. */
function expected(body: Record<string, unknown>, emulator: TestEmulator, ip: string): unknown {
  const text = JSON.stringify(body)
    .replaceAll("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest.rg000001", `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}`)
    .replaceAll("13.83.249.21", ip);
  const parsed = JSON.parse(text) as { properties: Record<string, unknown> };
  // Recorded at api-version 2018-10-01; at 2023-05-01 the service also reports the group's sku (the
  // spec's examples for this version show "sku": "Standard").
  parsed.properties = { sku: "Standard", ...parsed.properties };
  return parsed;
}

describe("ACI emulator: a recorded session of the real service, replayed", () => {
  let emulator: TestEmulator;
  let path: string;
  before(async () => {
    emulator = await startTestEmulator();
    path = `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/${recording.request.name}?api-version=2023-05-01`;
  });
  after(() => emulator.stop());

  it("answers the recorded PUT as the service did: 201, Pending, secrets hidden, IP and FQDN, async operation", async () => {
    const put = await rawArm(emulator, "PUT", path, { body: recording.request.body });
    assert.equal(put.status, recording.putResponse.status);
    const ip = ((put.json as { properties: { ipAddress: { ip: string } } }).properties.ipAddress).ip;
    assert.deepEqual(put.json, expected(recording.putResponse.body, emulator, ip));
    for (const header of recording.putResponse.headers) assert.ok(put.headers[header] !== undefined, `header ${header} is missing`);

    const operation = await waitFor("the operation to succeed", async () => {
      const answer = await rawArm(emulator, "GET", String(put.headers["azure-asyncoperation"]));
      const body = answer.json as { id: string; status: string };
      return body.status === "Succeeded" ? body : undefined;
    });
    assert.equal(operation.id, (expected({ id: recording.operationResponse.id, properties: {} }, emulator, ip) as { id: string }).id);
  });

  it("answers the recorded GET with the container's instanceView and events, and the group's state", async () => {
    const get = await rawArm(emulator, "GET", path);
    const props = (get.json as { properties: { instanceView: unknown; containers: { properties: { instanceView: { events: { name: string }[] } & Record<string, unknown> } }[] } }).properties;
    const view = props.containers[0]!.properties.instanceView;
    assert.equal(view.restartCount, recording.getResponse.containerInstanceView.restartCount);
    assert.deepEqual({ ...(view.currentState as object), startTime: undefined }, { ...(recording.getResponse.containerInstanceView.currentState as object), startTime: undefined });
    assert.deepEqual(view.events.map((e) => e.name), recording.getResponse.eventNames);
    assert.deepEqual(props.instanceView, recording.getResponse.groupInstanceView);
  });

  it("lists the group exactly as the recorded list item: no instanceView anywhere", async () => {
    const list = await rawArm(emulator, "GET", path.replace(`/${recording.request.name}?`, "?"));
    const item = (list.json as { value: Record<string, unknown>[] }).value[0]!;
    const ip = (item as { properties: { ipAddress: { ip: string } } }).properties.ipAddress.ip;
    assert.deepEqual(item, expected(recording.listItem, emulator, ip));
  });
});
