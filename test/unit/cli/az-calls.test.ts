// Rules for every Azure CLI call of install (cli/*.ts) and azd's hooks (infra/hooks/*.sh), read from the
// source so that a new call cannot break them unnoticed: each names the subscription (az's own default
// may be another one), and a subscription-scope deployment is named by its location (ARM refuses a
// deployment name reused in another location: InvalidDeploymentLocation).
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { projectRoot } from "../../support/paths.js";

/** Calls that act on no subscription, and why. */
const withoutSubscription: Record<string, string> = {
  "ad sp show": "Microsoft Graph: the service principal is the tenant's, not a subscription's",
  "account show": "reads az's default subscription, asked only when neither --subscription nor AZURE_SUBSCRIPTION_ID names one",
};

interface AzCall {
  readonly file: string;
  /** The command's words ("group exists"), and the call's whole text. */
  readonly command: string;
  readonly text: string;
}

/** `az([...])` array literals of a TypeScript file, bracket-matched (strings may hold brackets). */
function tsCalls(file: string): AzCall[] {
  const source = readFileSync(file, "utf8");
  const calls: AzCall[] = [];
  for (const m of source.matchAll(/\baz\(\[/g)) {
    let depth = 0;
    let quote: string | undefined;
    let end = m.index + 3;
    for (; end < source.length; end++) {
      const c = source[end]!;
      if (quote !== undefined) {
        if (c === "\\") end++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'" || c === "`") quote = c;
      else if (c === "[") depth++;
      else if (c === "]" && --depth === 0) break;
    }
    const text = source.slice(m.index + 3, end + 1);
    // The command is the run of plain words it starts with, up to the first option or value.
    const words = /^\[\s*((?:"[a-z][a-z-]*",?\s*)+)/.exec(text)?.[1]?.match(/[a-z][a-z-]*/g) ?? [];
    calls.push({ file, command: words.join(" "), text });
  }
  return calls;
}

/** `az ...` commands of a shell script, continuation lines joined. */
function shellCalls(file: string): AzCall[] {
  const lines = readFileSync(file, "utf8").replace(/\\\n\s*/g, " ").split("\n").filter((l) => !/^\s*#/.test(l));
  return lines.flatMap((line) => [...line.matchAll(/(?:^|[\s($])az ([a-z][a-z-]*(?: [a-z][a-z-]*)*)(.*)/g)].map((m) => ({ file, command: m[1]!, text: m[0] })));
}

const cliFiles = readdirSync(join(projectRoot, "cli")).filter((f) => f.endsWith(".ts")).map((f) => join(projectRoot, "cli", f));
const hookFiles = readdirSync(join(projectRoot, "infra", "hooks")).map((f) => join(projectRoot, "infra", "hooks", f));
const calls = [...cliFiles.flatMap(tsCalls), ...hookFiles.flatMap(shellCalls)];
const exempt = (call: AzCall) => Object.keys(withoutSubscription).some((c) => call.command.startsWith(c));

describe("the Azure CLI calls of install and azd's hooks", () => {
  it("are all found: as many as the files' `az(` and `az ` mentions", () => {
    for (const file of cliFiles) assert.equal(tsCalls(file).length, readFileSync(file, "utf8").match(/\baz\(/g)?.length ?? 0, `${file}: a call the parser missed`);
    // The shell scripts have no such count to compare with: the calls they are known to make must be found.
    const hookCommands = new Set(calls.filter((c) => c.file.endsWith(".sh")).map((c) => c.command));
    for (const command of ["provider show", "provider register", "group exists", "group create", "functionapp function list", "eventgrid system-topic list", "deployment group create"]) {
      assert.ok(hookCommands.has(command), `no hook call of az ${command} found`);
    }
  });

  it("name the subscription, but for the ones that act on none", () => {
    const missing = calls.filter((c) => !exempt(c) && !/--subscription|\.\.\.(?:\w+\.)?subscription\b/.test(c.text));
    assert.deepEqual(missing.map((c) => `${relative(projectRoot, c.file)}: az ${c.command}`), []);
    for (const call of calls.filter(exempt)) assert.doesNotMatch(call.text, /--subscription/, `${call.command} is listed as acting on no subscription`);
  });

  it("name each subscription-scope deployment by its location", () => {
    const deployments = calls.filter((c) => /^deployment sub/.test(c.command));
    assert.ok(deployments.length > 0);
    for (const d of deployments) assert.match(d.text, /"--name", `[^`]*\$\{[\w.]*location\}[^`]*`/, `${d.file}: a subscription deployment whose name does not follow its location`);
  });
});
