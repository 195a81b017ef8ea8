// The container group's name, for any pod the API server accepts: a name ARM accepts for
// Microsoft.ContainerInstance/containerGroups ("1-63 lowercase letters, numbers, and hyphens; can't start
// or end with hyphen; consecutive hyphens aren't allowed", Azure's resource naming rules:
// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), the same for
// the same pod (a retried create finds its group), and another for another pod.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { containerGroupName } from "../../../shared/translate/naming.js";
import { propertyOptions } from "../../support/property-options.js";

const armName = /^(?!.*--)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A DNS label (a namespace), and a DNS subdomain (a pod's name: labels joined by dots, up to 253 characters). */
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
const subdomain = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join(".").slice(0, 253).replace(/[-.]+$/, "")).filter((s) => s !== "");
const pod = fc.record({ namespace: label, name: subdomain, uid: fc.uuid() });

describe("container group names, for any pod", () => {
  it("are names ARM accepts for a container group", () => {
    fc.assert(
      fc.property(pod, (p) => assert.match(containerGroupName(p), armName)),
      propertyOptions({ numRuns: 300 }),
    );
  });

  it("are the same for the same pod, and differ for another pod", () => {
    fc.assert(
      fc.property(pod, pod, (a, b) => {
        assert.equal(containerGroupName(a), containerGroupName({ ...a }));
        if (a.namespace !== b.namespace || a.name !== b.name || a.uid !== b.uid) assert.notEqual(containerGroupName(a), containerGroupName(b));
      }),
      propertyOptions({ numRuns: 200 }),
    );
  });

  it("differ for pods recreated under the same name (a new UID each time)", () => {
    fc.assert(
      fc.property(pod, fc.uniqueArray(fc.uuid(), { minLength: 100, maxLength: 100 }), (p, uids) => {
        assert.equal(new Set(uids.map((uid) => containerGroupName({ ...p, uid }))).size, uids.length);
      }),
      propertyOptions({ numRuns: 20 }),
    );
  });

  // Names a property draws rarely: hyphens in a row, and the longest names.
  const cases: [string, { namespace: string; name: string; uid: string }][] = [
    ["hyphens in a row", { namespace: "a--b", name: "c---d", uid: "u" }],
    ["a name that fills 253 characters", { namespace: "n".repeat(63), name: `${"x".repeat(63)}.${"y".repeat(189)}`, uid: "u" }],
    // The readable prefix keeps 46 characters ("shop-" and 40 w, then a hyphen), then comes "-" and the hash.
    ["a prefix cut short right at a hyphen", { namespace: "shop", name: `${"w".repeat(40)}-api`, uid: "u" }],
  ];
  for (const [description, p] of cases) {
    it(`${description}: a name ARM accepts`, () => assert.match(containerGroupName(p), armName));
  }
});
