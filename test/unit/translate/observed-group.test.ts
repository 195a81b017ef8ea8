// A GET's answer read field by field: what ARM leaves out stays out (no key with an undefined value, which
// a status patch would carry as a null), and the defaults are those of a group still being created. The
// fields are the ARM spec's ContainerGroup, InstanceView, ContainerState and Event
// (Microsoft.ContainerInstance, containerInstance.json); every one of them is optional there.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readObservedGroup } from "../../../shared/translate/observed-group.js";

describe("reading a container group as ARM answered it", () => {
  it("a group with nothing but its containers' names: provisioning Pending, no state, no events", () => {
    const group = readObservedGroup({ properties: { containers: [{ name: "app" }], initContainers: [{ name: "init", properties: { instanceView: {} } }] } });
    assert.deepEqual(group, {
      name: "",
      provisioningState: "Pending",
      groupEvents: [],
      containers: new Map([["app", undefined]]),
      initContainers: new Map([["init", { restartCount: 0, events: [] }]]),
    });
  });

  it("a group state, and a container's states with only the fields ARM gave", () => {
    const group = readObservedGroup({
      name: "shop-web-7d4b9c",
      properties: {
        provisioningState: "Succeeded",
        instanceView: { state: "Running", events: [] },
        containers: [
          {
            name: "app",
            properties: {
              instanceView: {
                restartCount: 2,
                currentState: { state: "Running", startTime: "2026-11-24T10:00:05Z" },
                previousState: { state: "Terminated", exitCode: 137, detailStatus: "Killed" },
                events: [],
              },
            },
          },
        ],
      },
    });
    assert.equal(group.name, "shop-web-7d4b9c");
    assert.equal(group.groupState, "Running");
    assert.deepEqual(group.containers.get("app"), {
      restartCount: 2,
      currentState: { state: "Running", startTime: new Date("2026-11-24T10:00:05Z") },
      previousState: { state: "Terminated", exitCode: 137, detailStatus: "Killed" },
      events: [],
    });
  });

  it("a container view without states has neither key", () => {
    const group = readObservedGroup({ properties: { containers: [{ name: "app", properties: { instanceView: { restartCount: 0, currentState: "Running", previousState: null } } }] } });
    assert.deepEqual(group.containers.get("app"), { restartCount: 0, events: [] });
  });

  it("events: name, type, message and lastTimestamp where given, empty texts where not", () => {
    const group = readObservedGroup({
      properties: {
        instanceView: {
          events: [
            { name: "Pulling", type: "Normal", message: 'pulling image "nginx:1.27"', lastTimestamp: "2026-11-24T10:00:01Z", count: 1 },
            { count: 1, lastTimestamp: "yesterday" },
          ],
        },
      },
    });
    assert.deepEqual(group.groupEvents, [
      { name: "Pulling", type: "Normal", message: 'pulling image "nginx:1.27"', lastTimestamp: new Date("2026-11-24T10:00:01Z") },
      { name: "", type: "" },
    ]);
  });
});
