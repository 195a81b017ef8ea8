// The Event Grid functions' handlers, called as the Functions host calls them (a real InvocationContext)
// with the payloads Microsoft documents, in both delivery schemas. What ends before the controllers is
// tested here, with no connector configured at all: an event the functions ignore builds no client.
// test/emulator/event-functions.test.ts follows the events that go on to ARM and Kubernetes.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { aciEvents } from "../../../functions/aciEvents.js";
import { podEvents } from "../../../functions/podEvents.js";
import { settingNames } from "../../../shared/config/settings.js";
import { documentedResourceEvents, doorbellEvents, schemas } from "../../support/event-grid-payloads.js";
import { recordedInvocation } from "../../support/invocation.js";

describe("aciEvents and podEvents, before any client is built", () => {
  before(() => {
    // Unconfigured: any attempt to build the connector's clients would fail on the missing settings.
    for (const name of Object.values(settingNames)) delete process.env[name];
  });

  for (const schema of schemas) {
    for (const [kind, type] of [["writeSuccess", "Microsoft.Resources.ResourceWriteSuccess"], ["deleteSuccess", "Microsoft.Resources.ResourceDeleteSuccess"]] as const) {
      it(`aciEvents reads the documented ${type} in the ${schema} and ignores it: it is about a storage account`, async () => {
        const event = documentedResourceEvents[schema][kind];
        const { context, lines } = recordedInvocation("aciEvents");
        await aciEvents(event, context);
        assert.deepEqual(lines, [`information ${type} ${event.data.resourceUri}: ignored`]);
      });
    }

    it(`podEvents ignores, in the ${schema}, an event of another type and a doorbell that names no pod, saying which field`, async () => {
      const cases: [object, string][] = [
        [documentedResourceEvents[schema].writeSuccess, 'type must be aci-connector.pod.changed, got "Microsoft.Resources.ResourceWriteSuccess"'],
        [doorbellEvents({ namespace: "default" })[schema], "data.name must be a pod name (a DNS subdomain: at most 253 lowercase letters, digits, '-' and '.'), got nothing"],
        [doorbellEvents({ namespace: "default", name: "p" }, "Other.Type")[schema], 'type must be aci-connector.pod.changed, got "Other.Type"'],
      ];
      for (const [event, why] of cases) {
        const { context, lines } = recordedInvocation("podEvents");
        await podEvents(event, context);
        assert.deepEqual(lines, [`warning ignored an event that does not name a pod: ${why}`]);
      }
    });
  }

  it("aciEvents ignores, with a warning naming the field, what is not an event naming a resource", async () => {
    const cases: [unknown, string][] = [
      [undefined, "the event must be a JSON object, got nothing"],
      ["not json", "the event is text that is not JSON"],
      [[documentedResourceEvents.cloudEventSchema.writeSuccess], "the event must be a JSON object, got an array"],
      [{ specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess" }, "data must be a JSON object, got nothing"],
      [{ specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess", data: { resourceUri: 7 } }, "data.resourceUri must be a non-empty string, got a number"],
    ];
    for (const [input, why] of cases) {
      const { context, lines } = recordedInvocation("aciEvents");
      await aciEvents(input, context);
      assert.deepEqual(lines, [`warning ignored an event that names no resource: ${why}`]);
    }
  });
});
