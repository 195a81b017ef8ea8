import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1NodeCondition } from "@kubernetes/client-node";
import { nodeCapacity } from "../../../shared/controller/node-capacity.js";
import { nodeConditions, readyReason, statusDue } from "../../../shared/controller/node-conditions.js";

const t0 = new Date("2026-11-24T10:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const ready = (c: readonly V1NodeCondition[]) => c.find((x) => x.type === "Ready")!;

describe("node conditions", () => {
  it("is Ready while ARM answers, and says so", () => {
    const conditions = nodeConditions({ healthy: true, quota: {} }, undefined, t0);
    assert.deepEqual(ready(conditions), {
      type: "Ready",
      status: "True",
      reason: readyReason,
      message: "Azure Resource Manager answers the connector",
      lastHeartbeatTime: t0,
      lastTransitionTime: t0,
    });
    assert.deepEqual(
      conditions.map((c) => `${c.type}=${c.status}`),
      ["Ready=True", "MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "NetworkUnavailable=False"],
    );
  });

  it("is not Ready when ARM fails, with ARM's reason and message", () => {
    const health = { healthy: false, reason: "AzureUnreachable", message: "reading ACI usages in westeurope failed: 503 ServiceUnavailable: down" } as const;
    const condition = ready(nodeConditions(health, undefined, t0));
    assert.equal(condition.status, "False");
    assert.equal(condition.reason, "AzureUnreachable");
    assert.equal(condition.message, health.message);
  });

  it("keeps lastTransitionTime while the status holds, and moves it when the status changes", () => {
    const first = nodeConditions({ healthy: true, quota: {} }, undefined, t0);
    const same = nodeConditions({ healthy: true, quota: {} }, first, at(60));
    assert.deepEqual(ready(same).lastTransitionTime, t0);
    assert.deepEqual(ready(same).lastHeartbeatTime, at(60));
    const changed = nodeConditions({ healthy: false, reason: "AzureUnreachable", message: "x" }, same, at(120));
    assert.deepEqual(ready(changed).lastTransitionTime, at(120));
  });
});

describe("when node status is due", () => {
  const posted = nodeConditions({ healthy: true, quota: {} }, undefined, t0);
  const cases: { description: string; conditions: V1NodeCondition[] | undefined; now: Date; due: boolean }[] = [
    { description: "a node without conditions", conditions: undefined, now: t0, due: true },
    { description: "10 s after a post", conditions: posted, now: at(10), due: false },
    { description: "50 s after a post", conditions: posted, now: at(50), due: false },
    { description: "a tick before 60 s, within the 90% margin", conditions: posted, now: at(54), due: true },
    {
      description: "Ready=Unknown written by the node lifecycle controller",
      conditions: [{ ...ready(posted), status: "Unknown", reason: "NodeStatusUnknown" }],
      now: at(10),
      due: true,
    },
    {
      description: "Ready=True written by someone else",
      conditions: [{ ...ready(posted), reason: "KubeletReady" }],
      now: at(10),
      due: true,
    },
  ];
  for (const c of cases) {
    it(`${c.due ? "is due" : "is not due"} for ${c.description}`, () => {
      assert.equal(statusDue(c.conditions, c.now, 60), c.due);
    });
  }
});

describe("node capacity", () => {
  it("comes from ACI's quotas: cores, container groups, and memory as groups × 16 Gi", () => {
    assert.deepEqual(nodeCapacity({ containerGroups: 50, standardCores: 200 }, {}), { cpu: "200", memory: "800Gi", pods: "50" });
  });
  it("uses ACI's default quotas until a quota has been read", () => {
    assert.deepEqual(nodeCapacity({}, {}), { cpu: "100", memory: "1600Gi", pods: "100" });
  });
  it("lets the settings override each figure", () => {
    assert.deepEqual(nodeCapacity({ containerGroups: 50, standardCores: 200 }, { cpu: "8", pods: "10" }), { cpu: "8", memory: "800Gi", pods: "10" });
  });
});
