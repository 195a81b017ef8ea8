// Replays a recording of the live service against the emulator: azure-cli's test_container_create,
// recorded 2023-05-01 at api-version 2023-05-01 (test/emulator/fixtures/README.md). The same requests
// must get the answers the real service gave, bodies and headers field for field; only what differs by
// nature is replaced before comparing: ids under another subscription and resource group, the IP address,
// the operation id and the container's start time. The emulator runs on a pinned clock, so "Pending" and
// "Succeeded" are the states the recording saw, not whatever a slow machine reaches.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { projectRoot } from "../support/paths.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { rawArm, type RawResponse } from "../support/raw-arm.js";

interface Exchange {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
interface Recording {
  request: { url: string; body: { location: string } };
  put: Exchange;
  operationPolls: Exchange[];
  get: Exchange;
  list: Exchange;
  delete: Exchange;
}

const fixtures = join(projectRoot, "test/emulator/fixtures");
const recording = JSON.parse(readFileSync(join(fixtures, "azure-cli-container-create-2023-05-01.json"), "utf8")) as Recording;
/** The 2019 recording of the same test, for the container's events (the 2023 GET carries none). */
const recording2019 = JSON.parse(readFileSync(join(fixtures, "azure-cli-container-create-2018-10-01.json"), "utf8")) as { getResponse: { eventNames: string[] } };

const recordedIds = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest.rg000001";
const recordedIp = "104.42.209.46";
const recordedStart = "2023-05-01T16:42:21.659Z";
const recordedOperationStart = "2023-05-01T16:41:58.4124894Z";
const groupPath = new URL(recording.request.url).pathname;

/** A recorded answer with what differs by nature replaced by this emulator's values. */
function recorded(body: unknown, emulator: TestEmulator, actual: { ip?: string; startTime?: string; operationStart?: string } = {}): unknown {
  let text = JSON.stringify(body).replaceAll(recordedIds, `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}`);
  if (actual.ip !== undefined) text = text.replaceAll(recordedIp, actual.ip);
  if (actual.startTime !== undefined) text = text.replaceAll(recordedStart, actual.startTime);
  if (actual.operationStart !== undefined) text = text.replaceAll(recordedOperationStart, actual.operationStart);
  return JSON.parse(text);
}

type Group = { properties: { ipAddress: { ip: string }; containers: { properties: { instanceView?: { currentState: { startTime: string }; events?: { name: string }[] } } }[] } };
const ipOf = (answer: RawResponse) => (answer.json as Group).properties.ipAddress.ip;
const startTimeOf = (answer: RawResponse) => (answer.json as Group).properties.containers[0]!.properties.instanceView!.currentState.startTime;

/** The answer without the container's events: the 2023 recording's GET and DELETE carry none, the emulator's do. */
function withoutContainerEvents(answer: RawResponse): { body: unknown; eventNames: string[] | undefined } {
  const body = structuredClone(answer.json) as Group;
  const view = body.properties.containers[0]!.properties.instanceView;
  const eventNames = view?.events?.map((e) => e.name);
  if (view !== undefined) delete view.events;
  return { body, eventNames };
}

describe("ACI emulator: azure-cli's recorded session of the real service (2023-05-01), replayed", () => {
  let emulator: TestEmulator;
  const putAt = Date.parse("2025-01-01T10:00:00Z");
  /** Long after the PUT: the group has been created (recorded: Succeeded 33 s after the PUT). */
  const later = putAt + 60_000;
  let now = putAt;
  let path: string;
  /** The PUT's Azure-AsyncOperation URL: the session's steps follow one another, as recorded. */
  let operationUrl: string;
  before(async () => {
    // The recorded subscription's creation quotas, as its counts show: 899 and 1799 left after this,
    // the window's first creation, so 900 per 5 minutes and 1800 per hour.
    emulator = await startTestEmulator({ clock: () => now, quota: { createsPer5Min: 900, createsPerHour: 1800 } });
    path = groupPath.replace(recordedIds, `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}`) + "?api-version=2023-05-01";
  });
  after(() => emulator.stop());

  it("answers the PUT as recorded: 201, the body whole (Pending, secrets hidden, no IP yet), the operation URL and the creation counts", async () => {
    const put = await rawArm(emulator, "PUT", path, { body: recording.request.body });
    assert.equal(put.status, recording.put.status);
    assert.deepEqual(put.json, recorded(recording.put.body, emulator));

    const headers = recording.put.headers!;
    const operation = String(put.headers["azure-asyncoperation"]);
    operationUrl = operation;
    const operationId = /\/operations\/([0-9a-f-]{36})\?/.exec(operation)?.[1];
    assert.ok(operationId !== undefined, operation);
    const expectedOperation = headers["azure-asyncoperation"]!
      .replace("https://management.azure.com", emulator.endpoint)
      .replace("00000000-0000-0000-0000-000000000000", emulator.subscriptionId)
      .replace("138fb98a-22b6-4be2-97b9-a83264e648aa", operationId)
      .replace("/locations/westus/", `/locations/${recording.request.body.location}/`);
    assert.equal(operation, expectedOperation);
    for (const header of ["x-ms-ratelimit-remaining-subscription-resource-requests-pt5m", "x-ms-ratelimit-remaining-subscription-resource-requests-pt1h"]) {
      assert.equal(put.headers[header], headers[header], header);
    }
    // Not compared: x-ms-ratelimit-remaining-subscription-writes (1199, ARM's hourly limit of 2023; the
    // emulator's token buckets send it only when throttling is on, from 200).
    assert.equal(put.headers.location, undefined, "no Location header, as recorded");
    assert.equal(put.headers["retry-after"], undefined, "no Retry-After header, as recorded");
  });

  it("answers the operation polls as recorded: Pending while pending, then Succeeded", async () => {
    now = putAt;
    const first = await rawArm(emulator, "GET", operationUrl);
    const started = (first.json as { startTime: string }).startTime;
    assert.equal(first.status, recording.operationPolls[0]!.status);
    assert.deepEqual(first.json, recorded(recording.operationPolls[0]!.body, emulator, { operationStart: started }));
    now = later;
    const last = await rawArm(emulator, "GET", operationUrl);
    assert.deepEqual(last.json, recorded(recording.operationPolls[1]!.body, emulator, { operationStart: started }));
  });

  it("answers the GET as recorded, the container's events as the 2019 recording lists them", async () => {
    now = later;
    const get = await rawArm(emulator, "GET", path);
    assert.equal(get.status, recording.get.status);
    const { body, eventNames } = withoutContainerEvents(get);
    assert.deepEqual(body, recorded(recording.get.body, emulator, { ip: ipOf(get), startTime: startTimeOf(get) }));
    assert.deepEqual(eventNames, recording2019.getResponse.eventNames);
  });

  it("lists the group exactly as the recorded list item: no instanceView anywhere", async () => {
    const list = await rawArm(emulator, "GET", path.replace(/\/clicontainer000002\?/, "?"));
    assert.equal(list.status, recording.list.status);
    const ip = (list.json as { value: Group[] }).value[0]!.properties.ipAddress.ip;
    assert.deepEqual(list.json, recorded(recording.list.body, emulator, { ip }));
  });

  it("answers the DELETE as recorded: 200, the group as a GET shows it, and the deletion counts", async () => {
    const deleted = await rawArm(emulator, "DELETE", path);
    assert.equal(deleted.status, recording.delete.status);
    const { body } = withoutContainerEvents(deleted);
    assert.deepEqual(body, recorded(recording.delete.body, emulator, { ip: ipOf(deleted), startTime: startTimeOf(deleted) }));
    const headers = recording.delete.headers!;
    for (const header of ["x-ms-ratelimit-remaining-subscription-resource-requests-pt5m", "x-ms-ratelimit-remaining-subscription-resource-requests-pt1h"]) {
      assert.equal(deleted.headers[header], headers[header], header);
    }
    // Not compared: x-ms-ratelimit-remaining-subscription-deletes (14999, ARM's hourly limit of 2023).
  });
});
