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

/** `param name type [= default]` declarations, with whether each has a default and is @secure(). */
function params(file: string): Map<string, { hasDefault: boolean; secure: boolean }> {
  const found = new Map<string, { hasDefault: boolean; secure: boolean }>();
  for (const m of read(file).matchAll(/((?:^@.*\n)*)^param (\w+) \w+( =)?/gm)) {
    found.set(m[2]!, { hasDefault: m[3] !== undefined, secure: /^@secure\(\)/m.test(m[1]!) });
  }
  return found;
}

/**
 * The top-level entries of a Bicep object literal's body, `key: value` separated by new lines or commas,
 * comments left out. Brackets and strings are followed, so nested objects and '${...}' stay in one value.
 */
function entries(body: string): { key: string; value: string }[] {
  const found: { key: string; value: string }[] = [];
  let depth = 0;
  let inString = false;
  let current = "";
  const end = () => {
    const m = /^\s*(\w+):\s*([\s\S]*?)\s*$/.exec(current);
    if (m !== null) found.push({ key: m[1]!, value: m[2]! });
    current = "";
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === "\\") current += body[i++];
      else if (c === "'") inString = false;
    } else if (c === "'") inString = true;
    else if (c === "/" && body[i + 1] === "/") {
      while (i < body.length && body[i] !== "\n") i++;
      if (depth === 0) end();
      continue;
    } else if ("{[(".includes(c)) depth++;
    else if ("}])".includes(c)) depth--;
    else if (depth === 0 && (c === "\n" || c === ",")) {
      end();
      continue;
    }
    current += c;
  }
  end();
  return found;
}

/** `module x 'path' = { ... params: { a: ..., b: ... } }` blocks (also `= if (...) {` and `= [for ...: {`), with the parameters they pass. */
function modules(file: string): { path: string; passed: { key: string; value: string }[] }[] {
  const text = read(file);
  return [...text.matchAll(/^module \w+ '([^']+)' = (?:\[for [^\n]*?: )?(?:if \(.*\) )?\{([\s\S]*?)^\}\]?$/gm)].map((m) => {
    const paramsBlock = /params: \{([\s\S]*)\}\s*$/m.exec(m[2]!)?.[1] ?? "";
    return { path: join(dirname(file), m[1]!), passed: entries(paramsBlock) };
  });
}

/** A file's @secure() parameters, and its variables built from them. */
function secretNames(file: string): Set<string> {
  const names = new Set([...params(file)].filter(([, p]) => p.secure).map(([name]) => name));
  const vars = [...read(file).matchAll(/^var (\w+) = ([\s\S]*?)(?=^\S)/gm)];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [, name, value] of vars) {
      if (!names.has(name!) && [...names].some((s) => new RegExp(`\\b${s}\\b`).test(value!))) grew = names.add(name!) !== undefined;
    }
  }
  return names;
}

// The built-in role definitions the templates may use, from Azure's documentation of built-in roles.
const builtInRoles: Record<string, string> = {
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
  "974c5e8b-45b9-4653-ba55-5f855dd0fb88": "Storage Queue Data Contributor",
  "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3": "Storage Table Data Contributor",
  "d5a91429-5739-47e2-a06b-3470a27159e7": "EventGrid Data Sender",
  "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
  "43d0d8ad-25c7-4714-9337-8ba259a9fe05": "Monitoring Reader",
  "f1a07417-d97a-45cb-824c-7a7467783830": "Managed Identity Operator",
  "7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
};

/**
 * Every module reference of the templates, by file, as a reader of infra/ sees them. The tests below are
 * made from the parsed references: this list makes sure the parsing finds them all, so a change in the
 * templates' layout cannot make those tests vanish without a failure.
 */
const expectedModules: Record<string, readonly string[]> = {
  "main.bicep": ["modules/identity.bicep", "modules/monitoring.bicep", "modules/workbook.bicep", "modules/storage.bicep", "modules/relay-topic.bicep", "modules/aci-access.bicep", "modules/subnet-access.bicep", "modules/identity-operator.bicep", "modules/acr-pull.bicep", "modules/function-app.bicep"],
  "modules/event-subscriptions.bicep": ["modules/aci-events.bicep"],
};

describe("infra/ Bicep", () => {
  it("parses every module reference and parameter the tests below are made from", () => {
    const found = Object.fromEntries(
      bicepFiles.map((file) => [file.slice(infra.length + 1), modules(file).map((m) => m.path.slice(infra.length + 1))] as const).filter(([, refs]) => refs.length > 0),
    );
    assert.deepEqual(found, expectedModules);
    for (const file of bicepFiles) {
      const text = read(file);
      // A plain count of the lines that start a module or a parameter, against what the parsers found.
      assert.equal(modules(file).length, text.match(/^module /gm)?.length ?? 0, `${file}: a module the parser missed`);
      assert.equal(params(file).size, text.match(/^param /gm)?.length ?? 0, `${file}: a parameter the parser missed`);
      for (const m of modules(file)) assert.ok(m.passed.length > 0, `${file}: no parameters parsed for ${m.path}`);
    }
  });

  for (const file of bicepFiles) {
    const name = file.slice(infra.length + 1);
    for (const module of modules(file)) {
      const target = module.path.slice(infra.length + 1);
      it(`${name}: module ${target} exists and gets every parameter it requires, and only those`, () => {
        assert.ok(existsSync(module.path), `${target} is missing`);
        const declared = params(module.path);
        const passed = module.passed.map((p) => p.key);
        for (const p of passed) assert.ok(declared.has(p), `${name} passes ${p}, which ${target} does not declare`);
        for (const [p, { hasDefault }] of declared) {
          if (!hasDefault) assert.ok(passed.includes(p), `${name} does not pass ${p}, which ${target} requires`);
        }
      });

      it(`${name}: module ${target} gets secrets only in @secure() parameters (deployment history keeps the others)`, () => {
        const secrets = secretNames(file);
        const declared = params(module.path);
        for (const { key, value } of module.passed) {
          const carried = [...secrets].filter((s) => new RegExp(`\\b${s}\\b`).test(value));
          if (carried.length > 0) assert.ok(declared.get(key)?.secure, `${name} passes ${carried.join(", ")} in ${key}, which ${target} does not declare @secure()`);
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

  /** The app settings main.bicep gives the Function App, the plain ones and the secret ones. */
  function appSettingsOfMain(): { plain: string[]; secret: string[] } {
    const functionApp = modules(join(infra, "main.bicep")).find((m) => m.path.endsWith("function-app.bicep"))!;
    const keysOf = (param: string) => entries(/^\{([\s\S]*)\}$/.exec(functionApp.passed.find((p) => p.key === param)?.value ?? "{}")![1]!).map((e) => e.key);
    return { plain: keysOf("appSettings"), secret: keysOf("secretAppSettings") };
  }

  it("sets every app setting the functions need in Azure", () => {
    const { plain, secret } = appSettingsOfMain();
    const set = [...plain, ...secret];
    const needed = [
      settingNames.connectorName,
      settingNames.clusterId,
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

  it("passes the secret settings from @secure() parameters, in the secure one and only there", () => {
    const { plain, secret } = appSettingsOfMain();
    assert.deepEqual(secret.sort(), [settingNames.armClientSecret, settingNames.webhookPathToken].sort());
    assert.deepEqual(plain.filter((s) => secret.includes(s)), []);
    const mainParams = params(join(infra, "main.bicep"));
    for (const p of ["webhookPathToken", "armClientSecret"]) assert.ok(mainParams.get(p)?.secure, `main.bicep's ${p} must be @secure()`);
    for (const file of bicepFiles) {
      for (const output of read(file).matchAll(/^output (\w+) .*$/gm)) {
        for (const s of secretNames(file)) assert.doesNotMatch(output[0], new RegExp(`\\b${s}\\b`), `${file}: output ${output[1]} shows ${s}`);
      }
    }
  });

  it("declares no resource group the user may own: only the connector's own rg-<environment>, which azd down deletes", () => {
    // azd deletes every resource group a subscription deployment declares (Azure/azure-dev,
    // cli/azd/pkg/azapi/standard_deployments.go, createdResourceGroupsFromDeployment); a user's ACI
    // resource group or a subnet's network group must only ever be referenced (`existing`, resourceGroup()).
    for (const file of bicepFiles) {
      const declared = [...read(file).matchAll(/^resource (\w+) 'Microsoft\.Resources\/resourceGroups@[^']+'( existing)? = /gm)];
      const created = declared.filter((m) => m[2] === undefined).map((m) => m[1]);
      assert.deepEqual(created, file.endsWith("main.bicep") ? ["rg"] : [], `${file} declares resource groups ${created.join(", ")}`);
    }
    const main = read(join(infra, "main.bicep"));
    assert.match(main, /^resource rg 'Microsoft\.Resources\/resourceGroups@[^']+' = \{\n {2}name: resourceGroupName$/m);
    assert.match(main, /^param resourceGroupName string = 'rg-\$\{environmentName\}'$/m, "named after the environment, not by the user");
    assert.match(main, /^resource aciRg 'Microsoft\.Resources\/resourceGroups@[^']+' existing = \{\n {2}name: aciResourceGroupName\n\}$/m);
    const given = Object.keys((JSON.parse(read(join(infra, "main.parameters.json"))) as { parameters: object }).parameters);
    assert.ok(!given.includes("resourceGroupName"), "azd must not be told to declare a group the user names");
  });

  it("keeps HTTP functions always ready only when asked: the `http` scale group, 0 by default on both paths", () => {
    const main = read(join(infra, "main.bicep"));
    assert.match(main, /^param httpAlwaysReady int = 0$/m);
    const passed = modules(join(infra, "main.bicep")).find((m) => m.path.endsWith("function-app.bicep"))!.passed;
    assert.equal(passed.find((p) => p.key === "httpAlwaysReady")?.value, "httpAlwaysReady");
    const app = read(join(infra, "modules", "function-app.bicep"));
    assert.match(app, /^ {8}alwaysReady: httpAlwaysReady > 0 \? \[ \{ name: 'http', instanceCount: httpAlwaysReady \} \] : \[\]$/m);
    // azd reads the parameter from its environment; it turns the string into the int (armParameterFileValue).
    const given = (JSON.parse(read(join(infra, "main.parameters.json"))) as { parameters: Record<string, { value: string }> }).parameters;
    assert.equal(given.httpAlwaysReady?.value, "${ACI_CONNECTOR_HTTP_ALWAYS_READY=0}");
  });

  it("subscribes aciEvents per connector, to the ACI resource group's existing system topic when there is one (one per source)", () => {
    const events = read(join(infra, "modules", "aci-events.bicep"));
    assert.match(events, /^resource systemTopic 'Microsoft\.EventGrid\/systemTopics@[^']+' = if \(empty\(existingSystemTopicName\)\) \{/m, "created only when none exists");
    assert.match(events, /^ {2}name: '\$\{systemTopicName\}\/aci-events-\$\{connectorName\}'$/m, "named by connector, on whichever topic");
    const passed = modules(join(infra, "modules", "event-subscriptions.bicep")).find((m) => m.path.endsWith("aci-events.bicep"))!.passed.map((p) => p.key);
    assert.deepEqual(passed.sort(), ["connectorName", "existingSystemTopicName", "functionResourceId"]);
  });

  it("skips the service principal's Contributor assignment when install found one (RoleAssignmentExists otherwise)", () => {
    const access = modules(join(infra, "main.bicep")).find((m) => m.path.endsWith("aci-access.bicep"))!;
    assert.equal(access.passed.find((p) => p.key === "servicePrincipalObjectId")?.value, "armPrincipalHasContributor ? '' : armPrincipalObjectId");
    assert.match(read(join(infra, "modules", "aci-access.bicep")), /^resource servicePrincipalContributor [^\n]* = if \(!empty\(servicePrincipalObjectId\)\) \{/m);
  });

  it("VNet mode: both ARM identities may join the subnet, through a role of that one action assigned on the subnet alone", () => {
    const main = read(join(infra, "main.bicep"));
    assert.match(main, /^module subnetAccess 'modules\/subnet-access\.bicep' = if \(!empty\(aciSubnetId\)\) \{/m, "granted only with a subnet");
    const passed = Object.fromEntries(modules(join(infra, "main.bicep")).find((m) => m.path.endsWith("subnet-access.bicep"))!.passed.map((p) => [p.key, p.value]));
    assert.equal(passed.principalId, "identity.outputs.principalId");
    assert.equal(passed.servicePrincipalObjectId, "armPrincipalObjectId");
    const access = read(join(infra, "modules", "subnet-access.bicep"));
    assert.match(access, /actions: \[ 'Microsoft\.Network\/virtualNetworks\/subnets\/join\/action' \], notActions: \[\]/);
    assert.equal(access.match(/\bactions:/g)?.length, 1, "one role, one action list");
    const assignments = [...access.matchAll(/^resource \w+ 'Microsoft\.Authorization\/roleAssignments@[^']+' = (?:if \(.*\) )?\{([\s\S]*?)^\}/gm)];
    assert.equal(assignments.length, 2);
    for (const [, body] of assignments) {
      assert.match(body!, /^\s+scope: subnet$/m, "assigned on the subnet, not its network or resource group");
      assert.match(body!, /roleDefinitionId: joinSubnet\.id/);
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
    assert.equal(assignments, 11);
  });

  it("identities: the connector may assign each identity of its settings, on that identity alone; the pull identity gets AcrPull on each registry given, on the registry alone", () => {
    const main = read(join(infra, "main.bicep"));
    const { plain } = appSettingsOfMain();
    for (const setting of [settingNames.pullIdentity, settingNames.pullRegistries, settingNames.workloadIdentities]) assert.ok(plain.includes(setting), `${setting} is set`);
    assert.match(main, /^var assignedIdentityIds = union\(empty\(aciPullIdentityId\) \? \[\] : \[ aciPullIdentityId \], map\(items\(aciWorkloadIdentities\), entry => entry\.value\.resourceId\)\)$/m, "the pull identity and every allowed identity, each once");
    assert.match(main, /^module identityOperator 'modules\/identity-operator\.bicep' = \[for \(id, i\) in assignedIdentityIds: \{$/m);
    assert.match(main, /^module acrPull 'modules\/acr-pull\.bicep' = \[for \(acrId, i\) in acrIds: \{$/m);
    const operatorPassed = Object.fromEntries(modules(join(infra, "main.bicep")).find((m) => m.path.endsWith("identity-operator.bicep"))!.passed.map((p) => [p.key, p.value]));
    assert.deepEqual(operatorPassed, { identityName: "last(split(id, '/'))", principalId: "identity.outputs.principalId", servicePrincipalObjectId: "armPrincipalObjectId" });
    for (const [file, target] of [["identity-operator.bicep", "assigned"], ["acr-pull.bicep", "registry"]] as const) {
      const text = read(join(infra, "modules", file));
      const assignments = [...text.matchAll(/^resource \w+ 'Microsoft\.Authorization\/roleAssignments@[^']+' = (?:if \(.*\) )?\{([\s\S]*?)^\}/gm)];
      assert.ok(assignments.length > 0, file);
      for (const [, body] of assignments) assert.match(body!, new RegExp(`^\\s+scope: ${target}$`, "m"), `${file}: assigned on the ${target} resource alone`);
    }
    assert.match(read(join(infra, "modules", "acr-pull.bicep")), /principalId: reference\(pullIdentityId, '[^']+'\)\.principalId/, "AcrPull goes to the pull identity, not the connector");
  });

  it("lets the connector's identity read its container groups' metrics: Monitoring Reader on the ACI resource group (kubectl top, HPA)", () => {
    const main = modules(join(infra, "main.bicep")).find((m) => m.path.endsWith("aci-access.bicep"));
    assert.ok(main !== undefined);
    assert.match(read(join(infra, "main.bicep")), /module aciAccess 'modules\/aci-access\.bicep' = \{\s*scope: aciRg/);
    assert.equal(main.passed.find((p) => p.key === "principalId")?.value, "identity.outputs.principalId");
    const access = read(join(infra, "modules", "aci-access.bicep"));
    const assignment = /resource \w+ 'Microsoft\.Authorization\/roleAssignments@[^']+' = \{[^}]*?'43d0d8ad-25c7-4714-9337-8ba259a9fe05'\)\s*principalId: principalId\b/.exec(access);
    assert.ok(assignment !== null, "Monitoring Reader assigned to principalId (the connector's identity) in aci-access.bicep");
    // Local-only: the emulator's CA never reaches Azure (the endpoint defaults from ACI_LOCATION).
    const { plain, secret } = appSettingsOfMain();
    assert.ok(![...plain, ...secret].includes(settingNames.metricsCaFile));
  });
});
