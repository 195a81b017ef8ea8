// The local host loads the function app as the Functions Node worker does (dev/functions-host/
// function-app.ts): the functions register themselves, and the host serves what they registered. This
// file must import no functions/ module with a registration: @azure/functions decides at its first
// registration whether a worker is there.
import assert from "node:assert/strict";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { eventGridHandler, httpFunctions, loadFunctionApp, timerFunctions } from "../../../dev/functions-host/function-app.js";
import { triggers } from "../../../functions/triggers.js";

describe("the local host's function app", () => {
  it("refuses an app whose entry files register nothing, naming package.json's main", async () => {
    const root = await mkdtemp(join(tmpdir(), "function-app-"));
    await mkdir(join(root, "app"));
    await writeFile(join(root, "package.json"), JSON.stringify({ type: "module", main: "app/*.js" }));
    await writeFile(join(root, "app", "nothing.js"), "export const nothing = 1;\n");
    await assert.rejects(loadFunctionApp(() => undefined, root), /no function registered from app\/\*\.js/);
  });

  it("gets every function from its own registration, with the routes and schedules of functions/triggers.ts, and no test-mode warning", async () => {
    const warnings: string[] = [];
    const lines: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
    const app = await loadFunctionApp((line) => lines.push(line)).finally(() => (console.warn = warn));
    assert.deepEqual(warnings, []);
    assert.deepEqual(lines, []);

    const http = Object.fromEntries(httpFunctions(app).map((f) => [f.name, { route: f.route, methods: f.methods }]));
    assert.deepEqual(http, {
      podWebhook: { route: triggers.podWebhook.route, methods: triggers.podWebhook.methods },
      ...Object.fromEntries(Object.entries(triggers.kubeletApi.routes).map(([name, route]) => [name, { route, methods: triggers.kubeletApi.methods }])),
    });
    assert.deepEqual(
      timerFunctions(app).map((f) => [f.name, f.schedule]).sort(),
      [["heartbeat", triggers.heartbeat.schedule], ["reconcile", triggers.reconcile.schedule]],
    );
    for (const name of ["podEvents", "aciEvents"]) assert.equal(typeof eventGridHandler(app, name), "function");
    assert.throws(() => eventGridHandler(app, "heartbeat"), /no Event Grid function named heartbeat/);
  });
});
