// What the connector does when ARM keeps refusing a pod's container group: the user hears ARM's words
// once per attempt, and the attempts thin out, so a few such pods cannot spend the write budget.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { armBudget } from "../../../shared/aci/arm-budget.js";
import { RestError } from "@azure/core-rest-pipeline";
import { AciError, toAciError } from "../../../shared/aci/errors.js";
import { groupCreatedCondition, nextCreateAttempt, refusedCondition } from "../../../shared/controller/create-backoff.js";
import { reconcile } from "../../../shared/controller/reconcile.js";
import { boundPod, fakeWorld, tickOptions } from "./fake-ports.js";

const t0 = new Date("2026-11-25T10:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe("the create back-off", () => {
  it("waits as long as the refusals have lasted: 15 s, 15 s, 30 s, 1 min, 2 min ... at most 10 min", () => {
    let conditions = [refusedCondition(undefined, t0, "InvalidRequestContent", "x")];
    const gaps: number[] = [];
    for (let i = 0; i < 9; i++) {
      const next = nextCreateAttempt(conditions)!;
      gaps.push((next.getTime() - new Date(conditions[0]!.lastProbeTime!).getTime()) / 1000);
      conditions = [refusedCondition(conditions, next, "InvalidRequestContent", "x")];
    }
    assert.deepEqual(gaps, [15, 15, 30, 60, 120, 240, 480, 600, 600]);
  });

  it("finds its condition among the pod's others (the scheduler's PodScheduled comes first)", () => {
    const scheduled = { type: "PodScheduled", status: "True", lastProbeTime: at(-60), lastTransitionTime: at(-60) };
    const refused = refusedCondition(undefined, t0, "InvalidRequestContent", "x");
    assert.deepEqual(nextCreateAttempt([scheduled, refused]), at(15));
    assert.deepEqual(refusedCondition([scheduled, refused], at(40), "InvalidRequestContent", "x").lastTransitionTime, t0);
  });

  it("holds nothing back when the condition's times cannot be read: the next PUT may go now", () => {
    const unreadable = new Date("not a time");
    assert.equal(nextCreateAttempt([{ type: groupCreatedCondition, status: "False", lastTransitionTime: unreadable, lastProbeTime: t0 }]), undefined);
    assert.equal(nextCreateAttempt([{ type: groupCreatedCondition, status: "False", lastTransitionTime: t0, lastProbeTime: unreadable }]), undefined);
  });

  it("keeps the first refusal's time, and has nothing to wait for before a refusal or after success", () => {
    const first = refusedCondition(undefined, t0, "A", "x");
    assert.deepEqual(refusedCondition([first], at(40), "B", "y").lastTransitionTime, t0);
    assert.equal(nextCreateAttempt(undefined), undefined);
    assert.equal(nextCreateAttempt([{ type: groupCreatedCondition, status: "True" }]), undefined);
  });
});

describe("a pod whose group ARM refuses (400, 403, 404, 409, 413, 5xx)", () => {
  for (const [status, code] of [[400, "InvalidRequestContent"], [403, "LinkedAuthorizationFailed"], [404, "ResourceGroupNotFound"], [413, "RequestContentTooLarge"], [503, "ServiceUnavailable"]] as const) {
    it(`${status} ${code}: a status reason and an Event with ARM's words, then about a dozen PUTs an hour, not 240`, async () => {
      const world = fakeWorld(t0.getTime());
      world.pods.set("default/job", boundPod("job", "00000000-0000-4000-8000-000000000001"));
      world.hooks.onPut = () => {
        throw new AciError(status >= 500 ? "unavailable" : "invalid", `creating container group x failed: ${status} ${code}: ARM says no`, { statusCode: status, code });
      };
      // One simulated hour of reconcile ticks, every 15 s.
      for (let tick = 0; tick < 240; tick++) {
        await reconcile(world.deps, tickOptions(world));
        world.now.ms += 15_000;
      }
      const puts = world.calls.filter((c) => c.startsWith("PUT ")).length;
      assert.ok(puts >= 8 && puts <= 14, `${puts} PUTs in an hour`);
      const pod = world.pods.get("default/job")!;
      assert.equal(pod.status?.phase, "Pending");
      assert.equal(pod.status?.reason, "ProviderCreateFailed");
      assert.match(pod.status?.message ?? "", new RegExp(`${status} ${code}: ARM says no \\(next attempt after `));
      assert.equal(pod.status?.conditions?.find((c) => c.type === groupCreatedCondition)?.reason, code);
      assert.equal(world.calls.filter((c) => c === "EVENT ProviderCreateFailed").length, puts);
      assert.equal(world.calls.filter((c) => c.startsWith("FIND ")).length, puts, "a pod waiting out its back-off costs no read either");
      assert.ok(armBudget.createBackoff.maxMs <= 600_000);
    });
  }

  // Two refusals ACI gives with status 409 that a later attempt may overcome, so the pod waits (Pending,
  // as a pod whose containers are not created yet) instead of failing:
  // ContainerGroupQuotaReached, the region's quota used up (learn.microsoft.com/troubleshoot/azure/
  // azure-container-instances/configuration-setup/spot-container-group-quota-reached-error), and
  // ServiceUnavailable, the region short of capacity, "typically intermittent" (learn.microsoft.com/
  // troubleshoot/azure/azure-container-instances/configuration-setup/service-unavailable-requested-resource-is-not-available).
  const refusals409 = [
    ["ContainerGroupQuotaReached", "Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded in region 'westeurope'. Limit: '10', Usage: '10' Requested: '1'."],
    ["ServiceUnavailable", "The requested resource is not available in the location 'westeurope' at this moment. Please retry with a different resource request or in another location."],
  ] as const;
  for (const [code, words] of refusals409) {
    it(`409 ${code}: Pending with reason ProviderCreateFailed and a Warning Event in ARM's words; the next PUT waits out the back-off`, async () => {
      const world = fakeWorld(t0.getTime());
      world.pods.set("default/job", boundPod("job", "00000000-0000-4000-8000-000000000005"));
      world.hooks.onPut = (name) => {
        // As the SDK rejects, through the adapter's own translation into an AciError.
        throw toAciError(new RestError(words, { statusCode: 409, code }), `creating container group ${name}`);
      };
      const report = await reconcile(world.deps, tickOptions(world));
      assert.equal(report.outcomes["create-failed"], 1);
      assert.deepEqual(report.errors, []);
      const status = world.pods.get("default/job")!.status!;
      assert.equal(status.phase, "Pending");
      assert.equal(status.reason, "ProviderCreateFailed");
      assert.ok(status.message?.includes(words), status.message);
      assert.deepEqual(
        world.events.map((e) => [e.type, e.reason, e.pod.metadata?.name, e.note.includes(words)]),
        [["Warning", "ProviderCreateFailed", "job", true]],
      );
      const condition = status.conditions?.find((c) => c.type === groupCreatedCondition);
      assert.deepEqual([condition?.status, condition?.reason, condition?.lastTransitionTime, condition?.lastProbeTime], ["False", code, t0, t0]);
      // The first wait is 15 s (armBudget.createBackoff); the time is said to the second, as the API server keeps times.
      assert.ok(status.message?.endsWith(`(next attempt after ${at(15).toISOString().replace(".000Z", "Z")})`), status.message);
      const warnings = world.logs.filter((l) => l.level === "warn");
      assert.equal(warnings.length, 1);
      assert.notEqual(warnings[0]!.message, "");
      assert.deepEqual(warnings[0]!.fields, { namespace: "default", pod: "job", status: 409, code, next: at(15).toISOString() });

      // The back-off is on the pod: 10 s later nothing is sent; 15 s after the refusal, one PUT.
      world.now.ms = at(10).getTime();
      await reconcile(world.deps, tickOptions(world));
      assert.equal(world.calls.filter((c) => c.startsWith("PUT ")).length, 1);
      world.now.ms = at(15).getTime();
      await reconcile(world.deps, tickOptions(world));
      assert.equal(world.calls.filter((c) => c.startsWith("PUT ")).length, 2);
    });
  }

  it("names a refusal without ARM's code by its HTTP status (a proxy's 413, say)", async () => {
    const world = fakeWorld(t0.getTime());
    world.pods.set("default/job", boundPod("job", "00000000-0000-4000-8000-000000000006"));
    world.hooks.onPut = () => {
      throw new AciError("failed", "creating container group x failed: 413: Request Entity Too Large", { statusCode: 413 });
    };
    await reconcile(world.deps, tickOptions(world));
    const reason = world.pods.get("default/job")!.status?.conditions?.find((c) => c.type === groupCreatedCondition)?.reason ?? "";
    assert.match(reason, /^[A-Za-z0-9]+$/, "one word, as a condition's reason is");
    assert.ok(reason.includes("413"), reason);
  });

  it("respects a refusal another invocation recorded after reconcile's pod list was read", async () => {
    const world = fakeWorld(t0.getTime());
    world.pods.set("default/job", boundPod("job", "00000000-0000-4000-8000-000000000004"));
    world.hooks.beforeGroupList = () => {
      const pod = world.pods.get("default/job")!;
      pod.status = { ...pod.status, conditions: [refusedCondition(undefined, t0, "InvalidRequestContent", "no")] };
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.deepEqual(world.calls.filter((c) => c.startsWith("PUT ")), []);
    assert.equal(report.outcomes["backing-off"], 1);
  });

  it("clears the reason once ARM accepts the group", async () => {
    const world = fakeWorld(t0.getTime());
    world.pods.set("default/job", boundPod("job", "00000000-0000-4000-8000-000000000002"));
    let refuse = true;
    world.hooks.onPut = () => {
      if (refuse) throw new AciError("notFound", "creating container group x failed: 404 ResourceGroupNotFound: gone", { statusCode: 404, code: "ResourceGroupNotFound" });
    };
    await reconcile(world.deps, tickOptions(world));
    refuse = false;
    world.now.ms += 16_000;
    await reconcile(world.deps, tickOptions(world));
    const status = world.pods.get("default/job")!.status!;
    assert.equal(status.reason, undefined);
    assert.equal(status.message, undefined);
    const created = status.conditions?.find((c) => c.type === groupCreatedCondition);
    assert.equal(created?.status, "True");
    // A strategic merge patch of pods/status merges a condition with the one of the same type, keeping
    // the fields it omits: ARM's refusal words would stay on the True condition unless overwritten. A
    // kubelet's own True conditions carry no message (pkg/kubelet/status generate.go).
    assert.equal(created?.message, "");
  });

  it("leaves throttling and errors without an answer from ARM to the next tick, with no status written", async () => {
    const world = fakeWorld(t0.getTime());
    world.pods.set("default/job", boundPod("job", "00000000-0000-4000-8000-000000000003"));
    world.hooks.onPut = () => {
      throw new AciError("unavailable", "creating container group x failed: no response: socket hang up");
    };
    const report = await reconcile(world.deps, tickOptions(world));
    assert.equal(report.errors.length, 1);
    assert.deepEqual(world.calls.filter((c) => c.startsWith("STATUS ")), []);
  });
});
