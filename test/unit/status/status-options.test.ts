// `aci-connector status`'s arguments: the target as remove takes it, the output, --watch and its interval,
// every bad one named at once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultWatchSeconds, parseStatusOptions } from "../../../cli/status/options.js";

describe("aci-connector status arguments", () => {
  it("reads the local run once, as text, by default", () => {
    const parsed = parseStatusOptions(["--local"], {});
    assert.ok(parsed.ok);
    assert.equal(parsed.options.target.local, true);
    assert.equal(parsed.options.target.stateDir, ".local");
    assert.equal(parsed.options.output, "text");
    assert.equal(parsed.options.watchSeconds, undefined);
  });

  const good: { args: string[]; output: string; watchSeconds?: number }[] = [
    { args: ["--local", "--output", "json"], output: "json" },
    { args: ["--local", "-o", "json", "--watch"], output: "json", watchSeconds: defaultWatchSeconds },
    { args: ["--local", "--watch", "--interval=2", "--state-dir", "/tmp/x"], output: "text", watchSeconds: 2 },
    { args: ["--connector-name", "vk", "--name", "aks1", "--resource-group", "rg", "--output=json"], output: "json" },
  ];
  for (const c of good) {
    it(`takes ${c.args.join(" ")}`, () => {
      const parsed = parseStatusOptions(c.args, {});
      assert.ok(parsed.ok, parsed.ok ? "" : parsed.error);
      assert.equal(parsed.options.output, c.output);
      assert.equal(parsed.options.watchSeconds, c.watchSeconds);
    });
  }

  it("names every bad argument at once", () => {
    const parsed = parseStatusOptions(["--output", "yaml", "--interval", "0", "--subscription", "not-a-guid"], {});
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.error!.split("\n"), [
      '--output must be text or json (got "yaml")',
      '--interval must be a whole number of seconds from 1 to 3600 (got "0")',
      "--interval goes with --watch",
      "--connector-name is required (or --local for the local run)",
      "--name is required (or --local for the local run)",
      "--resource-group is required (or --local for the local run)",
      '--subscription="not-a-guid" must be a subscription id, a GUID',
    ]);
  });

  it("asks for help with -h", () => assert.deepEqual(parseStatusOptions(["--local", "-h"], {}), { ok: false, help: true }));
});
