// The doorbell's data, read from an event anyone able to publish to the topic could have written. Every
// field is held to the API server's own rule for it (k8s.io/apimachinery validation: a namespace is a DNS
// label, a pod's and a node's name a DNS subdomain, a UID the text form of a UUID), so nothing that
// cannot name a pod is looked up; every malformed payload gives a refusal naming each wrong field, and
// none throws.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePodChanged, readPodChangedEvent, rungAtOf } from "../../../shared/relay/pod-changed.js";
import { doorbellEvents, schemas } from "../../support/event-grid-payloads.js";

const uid = "0b3c7a2e-1f0e-4a51-9a39-3c9b0d1e2f40";
const node = "virtual-kubelet-aci-connector-linux-westeurope";
const good = { namespace: "shop", name: "web-7d4b9c-x2x4z", uid, node };

/** The value of a reading; fails the test when it was refused. */
function read<T>(reading: { ok: true; value: T } | { ok: false; problems: readonly string[] }): T {
  if (!reading.ok) assert.fail(reading.problems.join("; "));
  return reading.value;
}

/** The problems of a refusal; fails the test when the payload was read. */
function problemsOf(value: unknown): readonly string[] {
  const reading = parsePodChanged(value);
  if (reading.ok) assert.fail(`read ${JSON.stringify(reading.value)}`);
  return reading.problems;
}

describe("a doorbell's data", () => {
  it("is read when every field follows the API server's rules; uid and node may be absent (a Binding has no UID)", () => {
    assert.deepEqual(parsePodChanged(good), { ok: true, value: good });
    assert.deepEqual(parsePodChanged({ namespace: "default", name: "a.b-c.d" }), { ok: true, value: { namespace: "default", name: "a.b-c.d" } });
    assert.deepEqual(parsePodChanged({ namespace: "x".repeat(63), name: `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}` }).ok, true);
  });

  const wrong: [field: "namespace" | "name" | "uid" | "node", value: unknown, why: string][] = [
    ["namespace", undefined, "missing"],
    ["namespace", 7, "a number"],
    ["namespace", "", "empty"],
    ["namespace", "Shop", "upper case"],
    ["namespace", "kube.system", "a dot (a namespace is a DNS label, not a subdomain)"],
    ["namespace", "-shop", "a leading hyphen"],
    ["namespace", "x".repeat(64), "64 characters"],
    ["name", undefined, "missing"],
    ["name", null, "null"],
    ["name", ["web"], "an array"],
    ["name", "web_1", "an underscore"],
    ["name", "web..1", "an empty label between dots"],
    ["name", "web.-1", "a label starting with a hyphen"],
    ["name", "web-", "a trailing hyphen"],
    ["name", "a".repeat(254), "254 characters"],
    ["name", "web 1", "a space"],
    ["uid", "", "empty"],
    ["uid", "not-a-uid", "not a UUID"],
    ["uid", "------------------------------------", "36 hyphens"],
    ["uid", "0b3c7a2e1f0e4a519a393c9b0d1e2f40abcd", "36 hex digits without hyphens"],
    ["uid", 42, "a number"],
    ["node", "", "empty"],
    ["node", "Virtual-Kubelet", "upper case"],
    ["node", { name: node }, "an object"],
  ];
  for (const [field, value, why] of wrong) {
    it(`is refused when ${field} is ${why}, naming data.${field}`, () => {
      const problems = problemsOf({ ...good, [field]: value });
      assert.equal(problems.length, 1, problems.join("; "));
      assert.ok(problems[0]!.startsWith(`data.${field} must be `), problems[0]);
    });
  }

  it("lists every wrong field at once", () => {
    const problems = problemsOf({ namespace: "A", name: "", uid: "x", node: 1 });
    assert.deepEqual(problems.map((p) => p.split(" ")[0]), ["data.namespace", "data.name", "data.uid", "data.node"]);
  });

  for (const value of [undefined, null, "shop/web", 3, true, [good]]) {
    it(`is refused, without throwing, when the data is ${JSON.stringify(value) ?? "missing"}`, () => {
      assert.match(problemsOf(value)[0]!, /^data must be a JSON object with namespace and name, got /);
    });
  }
});

describe("a doorbell event", () => {
  for (const schema of schemas) {
    it(`${schema}: is refused when it is another type of event, naming the type`, () => {
      const reading = readPodChangedEvent(doorbellEvents(good, "Microsoft.Resources.ResourceWriteSuccess")[schema]);
      assert.deepEqual(reading, { ok: false, problems: ['type must be aci-connector.pod.changed, got "Microsoft.Resources.ResourceWriteSuccess"'] });
    });

    // CloudEvents' `time` and the Event Grid schema's `eventTime`: when the webhook published the doorbell,
    // which times the PUT it leads to (aci_connector.doorbell_to_put.duration). Only a metric depends on
    // it, so an unreadable time is left out, never a reason to drop the doorbell.
    it(`${schema}: says when the webhook rang, or nothing when the time is unreadable`, () => {
      assert.deepEqual(rungAtOf(doorbellEvents(good)[schema]), new Date("2025-11-20T10:00:00.000Z"));
      const field = schema === "cloudEventSchema" ? "time" : "eventTime";
      assert.equal(rungAtOf({ ...doorbellEvents(good)[schema], [field]: "yesterday" }), undefined);
      assert.equal(rungAtOf({ ...doorbellEvents(good)[schema], [field]: undefined }), undefined);
      assert.equal(read(readPodChangedEvent({ ...doorbellEvents(good)[schema], [field]: "yesterday" })).name, good.name);
    });

    it(`${schema}: is refused with the data's problems when its data is wrong`, () => {
      const reading = readPodChangedEvent(doorbellEvents({ namespace: "default" })[schema]);
      assert.equal(reading.ok, false);
      assert.match(reading.ok ? "" : reading.problems.join("; "), /^data\.name must be a pod name/);
    });
  }
});
