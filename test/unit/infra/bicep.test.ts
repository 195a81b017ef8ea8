// The Bicep compiler cannot be installed here, so this checks what can be checked without it: every
// module and parameter referenced exists, the settings the functions read are all set, and every role
// assignment uses the documented built-in role id it names.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { settingNames } from "../../../shared/config/settings.js";
import { projectRoot } from "../../support/paths.js";

const infra = join(projectRoot, "infra");
const read = (file: string) => readFileSync(file, "utf8");
const bicepFiles = [join(infra, "main.bicep"), ...readdirSync(join(infra, "modules")).map((f) => join(infra, "modules", f))];

/** `param name type [= default]` declarations, with whether each has a default. */
function params(file: string): Map<string, { hasDefault: boolean }> {
  const found = new Map<string, { hasDefault: boolean }>();
  for (const m of read(file).matchAll(/^param (\w+) \w+( =)?/gm)) found.set(m[1]!, { hasDefault: m[2] !== undefined });
  return found;
}

/** `module x 'path' = { ... params: { a: ..., b: ... } }` blocks, with the parameter names they pass. */
function modules(file: string): { path: string; passed: string[] }[] {
  const text = read(file);
  return [...text.matchAll(/^module \w+ '([^']+)' = \{([\s\S]*?)^\}/gm)].map((m) => {
    const body = m[2]!;
    const paramsBlock = /params: \{([\s\S]*)\}\s*$/m.exec(body)?.[1] ?? "";
    // Top-level keys of the params object: `name:` at the first nesting level.
    const passed: string[] = [];
    let depth = 0;
    for (const token of paramsBlock.matchAll(/([{}])|(\w+):/g)) {
      if (token[1] === "{") depth++;
      else if (token[1] === "}") depth--;
      else if (depth === 0 && token[2] !== undefined) passed.push(token[2]);
    }
    return { path: join(dirname(file), m[1]!), passed };
  });
}

// The built-in role definitions the templates may use, from Azure's documentation of built-in roles.
const builtInRoles: Record<string, string> = {
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
  "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
  "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
  "d5a91429-5739-47e2-a06b-3470a27159e7": "EventGrid Data Sender",
  "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
};

describe("infra/ Bicep", () => {
  for (const file of bicepFiles) {
    const name = file.slice(infra.length + 1);
    for (const module of modules(file)) {
      const target = module.path.slice(infra.length + 1);
      it(`${name}: module ${target} exists and gets every parameter it requires, and only those`, () => {
        assert.ok(existsSync(module.path), `${target} is missing`);
        const declared = params(module.path);
        for (const p of module.passed) assert.ok(declared.has(p), `${name} passes ${p}, which ${target} does not declare`);
        for (const [p, { hasDefault }] of declared) {
          if (!hasDefault) assert.ok(module.passed.includes(p), `${name} does not pass ${p}, which ${target} requires`);
        }
      });
    }
  }

  it("main.parameters.json sets exactly main.bicep's parameters, and every required one", () => {
    const declared = params(join(infra, "main.bicep"));
    const given = Object.keys((JSON.parse(read(join(infra, "main.parameters.json"))) as { parameters: object }).parameters);
    for (const p of given) assert.ok(declared.has(p), `main.parameters.json sets ${p}, which main.bicep does not declare`);
    for (const [p, { hasDefault }] of declared) if (!hasDefault) assert.ok(given.includes(p), `main.parameters.json lacks ${p}`);
  });

  it("sets every app setting the functions need in Azure", () => {
    const main = read(join(infra, "main.bicep"));
    const appSettings = /appSettings: \{([\s\S]*?)\n {4}\}/.exec(main)?.[1] ?? "";
    const set = [...appSettings.matchAll(/^\s+(\w+):/gm)].map((m) => m[1]);
    const needed = [
      settingNames.connectorName,
      settingNames.osType,
      settingNames.location,
      settingNames.subscriptionId,
      settingNames.aciResourceGroup,
      settingNames.subnetId,
      settingNames.kubeServer,
      settingNames.kubeCaBase64,
      settingNames.webhookPathToken,
      settingNames.relayTopicEndpoint,
      "AZURE_CLIENT_ID", // DefaultAzureCredential picks the user-assigned identity by it
    ];
    assert.deepEqual(needed.filter((s) => !set.includes(s)), []);
    // Local-only settings never reach Azure: no emulator endpoint, no stored kubeconfig.
    for (const localOnly of [settingNames.armEndpoint, settingNames.armCaFile, settingNames.kubeconfigBase64, settingNames.kubeconfigPath]) {
      assert.ok(!set.includes(localOnly), `${localOnly} must not be set in Azure`);
    }
  });

  it("assigns only documented built-in roles, each named in a comment beside it", () => {
    let assignments = 0;
    for (const file of bicepFiles) {
      const text = read(file);
      for (const m of text.matchAll(/roleDefinitions', ('([0-9a-f-]{36})'|role)\)/g)) {
        const ids = m[2] !== undefined ? [m[2]] : [...text.matchAll(/^\s+'([0-9a-f-]{36})'$/gm)].map((r) => r[1]!);
        for (const id of ids) {
          assignments++;
          const role = builtInRoles[id];
          assert.ok(role !== undefined, `${file}: role ${id} is not a documented built-in role of this list`);
          assert.match(text, new RegExp(`// ${role}: ${id}`), `${file}: role ${id} needs the comment "// ${role}: ${id}"`);
        }
      }
    }
    assert.equal(assignments, 7);
  });
});
