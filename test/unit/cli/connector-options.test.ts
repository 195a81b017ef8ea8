// install and remove take the seed's az aks install-connector / remove-connector arguments, with the
// seed's names, short forms and defaults, and refuse what cannot work with every problem named.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { azureOnlyArguments, clientSecretEnv, connectorHelp, parseConnectorOptions } from "../../../cli/connector-options.js";

const seedInstall = ["--resource-group", "myResourceGroup", "--name", "myAKSCluster", "--connector-name", "virtual-kubelet", "--os-type", "Both"];

describe("install and remove arguments", () => {
  it("reads the seed's install command as the seed means it", () => {
    const parsed = parseConnectorOptions("install", seedInstall, {});
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.options, {
      osType: "Both",
      local: false,
      stateDir: ".local",
      connectorName: "virtual-kubelet",
      clusterName: "myAKSCluster",
      resourceGroup: "myResourceGroup",
    });
  });

  it("takes the short forms -n, -g and -l, and defaults --os-type to Linux for install and every OS for remove", () => {
    const install = parseConnectorOptions("install", ["-n", "c", "-g", "rg", "-l", "EastUS", "--connector-name", "vk"], {});
    assert.ok(install.ok);
    assert.deepEqual([install.options.clusterName, install.options.resourceGroup, install.options.location, install.options.osType], ["c", "rg", "eastus", "Linux"]);
    const remove = parseConnectorOptions("remove", ["-n", "c", "-g", "rg", "--connector-name", "vk"], {});
    assert.ok(remove.ok);
    assert.equal(remove.options.osType, "Both");
    const windows = parseConnectorOptions("remove", ["--local", "--os-type", "windows"], {});
    assert.ok(windows.ok);
    assert.equal(windows.options.osType, "Windows");
  });

  it("names every missing or bad argument at once; --local needs none of Azure's", () => {
    const parsed = parseConnectorOptions("install", ["--os-type", "Solaris"], {});
    assert.ok(!parsed.ok);
    assert.equal(parsed.error, [
      "--os-type must be one of Linux, Windows, Both",
      "--connector-name is required (or --local for the local run)",
      "--name is required (or --local for the local run)",
      "--resource-group is required (or --local for the local run)",
    ].join("\n"));
    assert.ok(parseConnectorOptions("install", ["--local"], {}).ok);
  });

  it("takes --http-always-ready as a count of instances from 0 to 40 (the plan's scale limit), and nothing without it", () => {
    const given = parseConnectorOptions("install", [...seedInstall, "--http-always-ready", "1"], {});
    assert.ok(given.ok);
    assert.equal(given.options.httpAlwaysReady, 1);
    const none = parseConnectorOptions("install", seedInstall, {});
    assert.ok(none.ok && none.options.httpAlwaysReady === undefined);
    for (const bad of ["-1", "41", "one", "1.5"]) {
      const refused = parseConnectorOptions("install", [...seedInstall, `--http-always-ready=${bad}`], {});
      assert.ok(!refused.ok);
      assert.equal(refused.error, `--http-always-ready="${bad}" must be a whole number from 0 to 40`);
    }
  });

  it("takes a service principal's secret from the environment or standard input, never from the command line", () => {
    const principal = ["--service-principal", "11111111-2222-3333-4444-555555555555"];
    const fromEnv = parseConnectorOptions("install", [...seedInstall, ...principal], { [clientSecretEnv]: "env-secret-value" });
    assert.ok(fromEnv.ok);
    assert.equal(fromEnv.options.clientSecret, "env-secret-value");
    const fromStdin = parseConnectorOptions("install", [...seedInstall, ...principal, "--client-secret", "-"], { [clientSecretEnv]: "env-secret-value" });
    assert.ok(fromStdin.ok);
    assert.equal(fromStdin.options.clientSecretFromStdin, true);
    assert.equal(fromStdin.options.clientSecret, undefined, "the standard input named on the command line wins over the environment");
    const stray = parseConnectorOptions("remove", ["--local"], { [clientSecretEnv]: "env-secret-value" });
    assert.ok(stray.ok, "a secret in the environment alone asks for nothing");
    assert.equal(stray.options.clientSecret, undefined);
    for (const literal of [["--client-secret", "argv-secret-value"], ["--client-secret=argv-secret-value"]]) {
      const refused = parseConnectorOptions("install", [...seedInstall, ...principal, ...literal], { [clientSecretEnv]: "env-secret-value" });
      assert.ok(!refused.ok);
      assert.equal(refused.error, `--client-secret takes no secret on the command line, where ps and shell history show it: give --client-secret - and write the secret to standard input, or set ${clientSecretEnv}`);
    }
    const alone = parseConnectorOptions("install", [...seedInstall, "--client-secret", "-"], {});
    assert.ok(!alone.ok);
    assert.equal(alone.error, `--service-principal and --client-secret - (or ${clientSecretEnv}) go together`);
    const missing = parseConnectorOptions("install", [...seedInstall, ...principal], {});
    assert.ok(!missing.ok);
    assert.equal(missing.error, `--service-principal and --client-secret - (or ${clientSecretEnv}) go together`);
    const unknown = parseConnectorOptions("remove", ["--local", "--client-secret", "argv-secret-value"], {});
    assert.ok(!unknown.ok);
    assert.match(unknown.error ?? "", /Unknown option '--client-secret'/);
    assert.doesNotMatch(unknown.error ?? "", /argv-secret-value/);
    const stranded = parseConnectorOptions("install", [...seedInstall, "argv-secret-value"], {});
    assert.ok(!stranded.ok);
    assert.doesNotMatch(stranded.error ?? "", /argv-secret-value/);
    assert.match(stranded.error ?? "", /^unexpected argument/);
  });

  it("names every value that cannot work, before anything runs", () => {
    const parsed = parseConnectorOptions("install", [
      "--connector-name", "bad name!", "-n", "my cluster", "-g", "rg/1", "--aci-resource-group", "aci.",
      "--location", "West Europe", "--subscription", "my-subscription", "--kubeconfig", "/nonexistent/kubeconfig", "--chart-url", "template.yaml",
    ], {});
    assert.ok(!parsed.ok);
    assert.equal(parsed.error, [
      '--connector-name="bad name!" must be lowercase letters, digits and inner hyphens, at most 30 characters',
      '--location="west europe" must be a region name such as westeurope (no spaces)',
      '--name="my cluster" is not an AKS cluster name (letters, digits, - and _, at most 63)',
      '--resource-group="rg/1" is not a resource group name (letters, digits, - _ . ( ), at most 90, not ending in .)',
      '--aci-resource-group="aci." is not a resource group name (letters, digits, - _ . ( ), at most 90, not ending in .)',
      '--subscription="my-subscription" must be a subscription id, a GUID',
      "--kubeconfig /nonexistent/kubeconfig: no such file",
      "--chart-url template.yaml: must be a .bicep or .json file that exists, or an https URL of an ARM JSON template",
    ].join("\n"));
    const principal = parseConnectorOptions("install", [...seedInstall, "--service-principal", "my-app"], { [clientSecretEnv]: "env-secret-value" });
    assert.ok(!principal.ok);
    assert.equal(principal.error, `--service-principal="my-app" must be the service principal's application (client) id, a GUID`);
    assert.ok(parseConnectorOptions("install", [...seedInstall, "--chart-url", "https://example.com/main.json", "--subscription", "00000000-0000-0000-0000-000000000001"], {}).ok);
  });

  it("refuses a connector name whose node name would not fit a hostname label in the given location, with the most it allows", () => {
    const name = "aci-connector-production"; // 24 characters
    const parsed = parseConnectorOptions("install", ["--connector-name", name, "-n", "c", "-g", "rg", "-l", "AustraliaSoutheast", "--os-type", "Both"], {});
    assert.ok(!parsed.ok);
    assert.equal(parsed.error, `--connector-name="${name}" is too long for location australiasoutheast: its node virtual-kubelet-${name}-windows-australiasoutheast (67 characters) would not fit the 63 characters of its kubernetes.io/hostname label; in australiasoutheast a connector name has at most 20 characters`);
    assert.ok(parseConnectorOptions("install", ["--connector-name", name, "-n", "c", "-g", "rg", "-l", "westeurope", "--os-type", "Both"], {}).ok);
    assert.ok(parseConnectorOptions("remove", ["--connector-name", name, "-n", "c", "-g", "rg", "-l", "australiasoutheast"], {}).ok, "remove takes away what exists");
  });

  it("takes --subnet-id for install, refuses one that is not a subnet's resource id, and sends a local run's to npm start", () => {
    const subnet = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/virtual-node-aci";
    const parsed = parseConnectorOptions("install", [...seedInstall, "--subnet-id", subnet], {});
    assert.ok(parsed.ok);
    assert.equal(parsed.options.subnetId, subnet);
    const bad = parseConnectorOptions("install", [...seedInstall, "--subnet-id", "aks-vnet/virtual-node-aci"], {});
    assert.ok(!bad.ok);
    assert.match(bad.error ?? "", /^--subnet-id must be a subnet resource id/);
    const local = parseConnectorOptions("install", ["--local", "--subnet-id", subnet], {});
    assert.ok(!local.ok);
    assert.match(local.error ?? "", /npm start -- --subnet-id ID/);
    assert.ok(!parseConnectorOptions("remove", ["--local", "--subnet-id", subnet], {}).ok, "remove has no subnet to take");
  });

  it("says which Azure arguments a local run ignores", () => {
    const parsed = parseConnectorOptions("install", ["--local", ...seedInstall], {});
    assert.ok(parsed.ok);
    assert.deepEqual(azureOnlyArguments(parsed.options), ["--name", "--resource-group"]);
    const secret = parseConnectorOptions("install", ["--local", "--service-principal", "11111111-2222-3333-4444-555555555555", "--client-secret", "-"], {});
    assert.ok(secret.ok);
    assert.deepEqual(azureOnlyArguments(secret.options), ["--service-principal", "--client-secret"]);
  });

  it("documents every argument of the seed's commands and what it maps to", () => {
    const install = connectorHelp("install");
    for (const flag of ["--connector-name", "--name", "--resource-group", "--os-type", "--aci-resource-group", "--location", "--service-principal", "--client-secret", "--chart-url", "--image-tag", "-n,", "-g,", "-l,"]) {
      assert.ok(install.includes(flag), `install --help lacks ${flag}`);
    }
    assert.match(install, /--chart-url SOURCE\s+maps to the template deployed/);
    assert.match(install, /--image-tag VERSION\s+maps to the function package's version/);
    const remove = connectorHelp("remove");
    for (const flag of ["--connector-name", "--name", "--resource-group", "--os-type", "--aci-resource-group", "--location"]) assert.ok(remove.includes(flag), `remove --help lacks ${flag}`);
    assert.ok(!remove.includes("--client-secret"));
  });
});
