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

    it(`podEvents ignores, in the ${schema}, an event of another type and a doorbell that names no pod`, async () => {
      for (const event of [documentedResourceEvents[schema].writeSuccess, doorbellEvents({ namespace: "default" })[schema], doorbellEvents({ namespace: "default", name: "p" }, "Other.Type")[schema]]) {
        const { context, lines } = recordedInvocation("podEvents");
        await podEvents(event, context);
        assert.deepEqual(lines, ["warning ignored an event that does not name a pod"]);
      }
    });
  }

  it("aciEvents ignores, with a warning, what is not an event naming a resource", async () => {
    for (const input of [undefined, "not json", [documentedResourceEvents.cloudEventSchema.writeSuccess], { specversion: "1.0", type: "Microsoft.Resources.ResourceWriteSuccess" }]) {
      const { context, lines } = recordedInvocation("aciEvents");
      await aciEvents(input, context);
      assert.deepEqual(lines, ["warning ignored an event that names no resource (no type, or no data.resourceUri)"]);
    }
  });
});
