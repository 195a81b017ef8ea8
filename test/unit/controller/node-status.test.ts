import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1NodeCondition } from "@kubernetes/client-node";
import { nodeCapacity } from "../../../shared/controller/node-capacity.js";
import { aciUnavailableTaint, desiredTaints, nodeConditions, readyReason, statusDue } from "../../../shared/controller/node-conditions.js";

const t0 = new Date("2026-11-24T10:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const ready = (c: readonly V1NodeCondition[]) => c.find((x) => x.type === "Ready")!;

const available = (c: readonly V1NodeCondition[]) => c.find((x) => x.type === "AciAvailable")!;
const armDown = { healthy: false, reason: "AzureUnreachable", message: "reading ACI usages in westeurope failed: 503 ServiceUnavailable: down" } as const;

describe("node conditions", () => {
  it("is Ready and AciAvailable while ARM answers, and says so", () => {
    const conditions = nodeConditions({ healthy: true, quota: {} }, undefined, t0);
    assert.deepEqual(ready(conditions), {
      type: "Ready",
      status: "True",
      reason: readyReason,
      message: "the connector is running and renews this node's Lease",
      lastHeartbeatTime: t0,
      lastTransitionTime: t0,
    });
    assert.equal(available(conditions).message, "Azure Resource Manager answers the connector");
    assert.deepEqual(
      conditions.map((c) => `${c.type}=${c.status}`),
      ["Ready=True", "AciAvailable=True", "MemoryPressure=False", "DiskPressure=False", "PIDPressure=False", "NetworkUnavailable=False"],
    );
  });

  it("stays Ready when ARM fails (Ready=False would get every pod evicted); AciAvailable=False carries ARM's reason and words", () => {
    const conditions = nodeConditions(armDown, undefined, t0);
    assert.equal(ready(conditions).status, "True");
    assert.equal(available(conditions).status, "False");
    assert.equal(available(conditions).reason, "AzureUnreachable");
    assert.match(available(conditions).message ?? "", /^reading ACI usages in westeurope failed: 503 ServiceUnavailable: down; pods already here keep running/);
  });

  it("says why for every condition, as the API conventions ask: a one-word CamelCase reason and a message", () => {
    const up = nodeConditions({ healthy: true, quota: {} }, undefined, t0);
    const all = [up, nodeConditions(armDown, undefined, t0), nodeConditions(armDown, up, at(10))].flat();
    for (const c of all) {
      assert.match(c.reason ?? "", /^[A-Z][A-Za-z0-9]*$/, `${c.type}: ${c.reason}`);
      assert.notEqual(c.message ?? "", "", c.type);
    }
  });

  it("passes on what ARM noted when it answered (a throttled probe)", () => {
    const conditions = nodeConditions({ healthy: true, quota: {}, note: "429 SubscriptionRequestsThrottled" }, undefined, t0);
    assert.equal(available(conditions).status, "True");
    assert.match(available(conditions).message ?? "", /429 SubscriptionRequestsThrottled/);
  });

  it("starts the transition time now for a condition someone wrote without one", () => {
    const { lastTransitionTime: _dropped, ...withoutTime } = ready(nodeConditions({ healthy: true, quota: {} }, undefined, t0));
    assert.deepEqual(ready(nodeConditions({ healthy: true, quota: {} }, [withoutTime], at(10))).lastTransitionTime, at(10));
  });

  it("keeps each condition's own lastTransitionTime (API conventions: when that condition last changed status)", () => {
    const up = nodeConditions({ healthy: true, quota: {} }, undefined, t0);
    const down = nodeConditions(armDown, up, at(60));
    const stillDown = nodeConditions(armDown, down, at(120));
    assert.deepEqual(ready(stillDown).lastTransitionTime, t0, "Ready has been True since registration");
    assert.deepEqual(available(stillDown).lastTransitionTime, at(60), "AciAvailable has been False since ARM stopped answering");
  });

  it("keeps lastTransitionTime while the status holds, and moves it when the status changes", () => {
    const first = nodeConditions({ healthy: true, quota: {} }, undefined, t0);
    const same = nodeConditions({ healthy: true, quota: {} }, first, at(60));
    assert.deepEqual(available(same).lastTransitionTime, t0);
    assert.deepEqual(available(same).lastHeartbeatTime, at(60));
    const changed = nodeConditions(armDown, same, at(120));
    assert.deepEqual(available(changed).lastTransitionTime, at(120));
    assert.deepEqual(ready(changed).lastTransitionTime, t0);
  });
});

describe("the connector's own taint", () => {
  const provider = { key: "virtual-kubelet.io/provider", value: "azure", effect: "NoSchedule" };
  const unavailable = { key: aciUnavailableTaint.key, effect: "NoSchedule" };
  it("is added, beside the others, while ACI is unavailable", () => {
    assert.deepEqual(desiredTaints([provider], nodeConditions(armDown, undefined, t0)), [provider, unavailable]);
  });
  it("is removed when ACI answers again, and nothing else is", () => {
    assert.deepEqual(desiredTaints([provider, unavailable], nodeConditions({ healthy: true, quota: {} }, undefined, t0)), [provider]);
  });
  it("needs no change when the taints already say it", () => {
    assert.equal(desiredTaints([provider], nodeConditions({ healthy: true, quota: {} }, undefined, t0)), undefined);
    assert.equal(desiredTaints([provider, unavailable], nodeConditions(armDown, undefined, t0)), undefined);
  });
  it("is never NoExecute: pods already on the node stay", () => {
    assert.equal(aciUnavailableTaint.effect, "NoSchedule");
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
      conditions: posted.map((c) => (c.type === "Ready" ? { ...c, reason: "KubeletReady" } : c)),
      now: at(10),
      due: true,
    },
    {
      description: "Ready=False written by an older connector",
      conditions: posted.map((c) => (c.type === "Ready" ? { ...c, status: "False", reason: "AzureUnreachable" } : c)),
      now: at(10),
      due: true,
    },
    {
      description: "Ready not True, though with this connector's reason",
      conditions: posted.map((c) => (c.type === "Ready" ? { ...c, status: "False" } : c)),
      now: at(10),
      due: true,
    },
    { description: "conditions in another order, 10 s after a post", conditions: [...posted].reverse(), now: at(10), due: false },
    {
      description: "a node without AciAvailable",
      conditions: posted.filter((c) => c.type !== "AciAvailable"),
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
    assert.deepEqual(nodeCapacity(undefined, {}), { cpu: "100", memory: "1600Gi", pods: "100" });
  });
  it("keeps what the node offers when no quota was read (a throttled or failed probe)", () => {
    assert.deepEqual(nodeCapacity({}, {}, { cpu: "500", memory: "8000Gi", pods: "500" }), { cpu: "500", memory: "8000Gi", pods: "500" });
    assert.deepEqual(nodeCapacity(undefined, {}, { cpu: "500", memory: "8000Gi", pods: "500" }), { cpu: "500", memory: "8000Gi", pods: "500" });
  });
  it("takes a new quota over what the node offered", () => {
    assert.deepEqual(nodeCapacity({ containerGroups: 50, standardCores: 200 }, {}, { cpu: "500", pods: "500" }), { cpu: "200", memory: "800Gi", pods: "50" });
  });
  it("offers each figure that was read, over what the node offered", () => {
    assert.equal(nodeCapacity({ containerGroups: 50 }, {}, { cpu: "500", memory: "8000Gi", pods: "500" }).pods, "50");
    assert.equal(nodeCapacity({ standardCores: 200 }, {}, { cpu: "500", memory: "8000Gi", pods: "500" }).cpu, "200");
  });
  it("lets the settings override each figure", () => {
    assert.deepEqual(nodeCapacity({ containerGroups: 50, standardCores: 200 }, { cpu: "8", pods: "10" }), { cpu: "8", memory: "800Gi", pods: "10" });
  });
});
