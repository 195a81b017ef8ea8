// The Azure side of install as the commands it gives the Azure CLI (which cannot run here): the
// template's parameters match main.bicep's, secrets travel in a private parameters file that is gone
// afterwards and never on a command line, and the package deployed holds what the Functions host loads.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { deployAzureSide, deploymentParameters, type AzureDeploymentInput } from "../../../cli/azure-deployment.js";
import { functionPackageFiles } from "../../../shared/install/function-package.js";
import { projectRoot } from "../../support/paths.js";

const secret = "sp-secret-never-on-a-command-line";
const token = "webhook-path-token-0123456789abcdefghij";
const input: AzureDeploymentInput = {
  cluster: {
    subscriptionId: "11111111-2222-3333-4444-555555555555",
    connectorName: "virtual-kubelet",
    location: "eastus",
    aciResourceGroup: "myResourceGroup-aci-virtual-kubelet",
    apiServer: "https://myakscluster-dns-1234.hcp.eastus.azmk8s.io:443",
    caBase64: "Q0EgY2VydGlmaWNhdGU=",
  },
  projectRoot,
  clusterId: "c1a55e00-0000-4000-8000-000000000001",
  osType: "Both",
  webhookPathToken: token,
  template: join(projectRoot, "infra", "main.bicep"),
  functionAppLocation: "eastus",
  servicePrincipal: { clientId: "aaaaaaaa-0000-0000-0000-000000000001", objectId: "bbbbbbbb-0000-0000-0000-000000000002", secret },
};

/** main.bicep's parameters: name -> whether it has a default. */
function bicepParameters(): Map<string, boolean> {
  const text = readFileSync(join(projectRoot, "infra", "main.bicep"), "utf8");
  return new Map([...text.matchAll(/^param (\w+) \w+( =)?/gm)].map((m) => [m[1]!, m[2] !== undefined]));
}

describe("install's Azure deployment", () => {
  it("gives main.bicep every parameter it requires, and only parameters it declares", () => {
    const declared = bicepParameters();
    const given = Object.keys(deploymentParameters(input));
    for (const p of given) assert.ok(declared.has(p), `install passes ${p}, which main.bicep does not declare`);
    for (const [p, hasDefault] of declared) if (!hasDefault && p !== "resourceGroupName") assert.ok(given.includes(p), `install does not pass ${p}`);
    assert.equal(deploymentParameters(input).osType?.value, "Both");
    // main.bicep declares (and azd down would delete) the group of that name: never one the user names.
    assert.ok(!given.includes("resourceGroupName"));
  });

  it("passes --subnet-id as main.bicep's aciSubnetId, and nothing for it without one", () => {
    const subnetId = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/s";
    assert.deepEqual(deploymentParameters({ ...input, subnetId }).aciSubnetId, { value: subnetId });
    assert.equal(deploymentParameters(input).aciSubnetId, undefined);
  });

  it("makes the template skip the service principal's assignment it holds already, as a boolean parameter", () => {
    const sp = input.servicePrincipal!;
    assert.deepEqual(deploymentParameters({ ...input, servicePrincipal: { ...sp, hasContributor: true } }).armPrincipalHasContributor, { value: true });
    assert.equal(deploymentParameters({ ...input, servicePrincipal: sp }).armPrincipalHasContributor, undefined);
  });

  it("passes --http-always-ready as main.bicep's httpAlwaysReady, a number, and nothing without it (the template's 0)", () => {
    assert.deepEqual(deploymentParameters({ ...input, httpAlwaysReady: 2 }).httpAlwaysReady, { value: 2 });
    assert.equal(deploymentParameters(input).httpAlwaysReady, undefined);
  });

  it("puts the Function App in its own checked region, the container groups in theirs", () => {
    const parameters = deploymentParameters({ ...input, functionAppLocation: "northeurope" });
    assert.equal(parameters.functionAppLocation?.value, "northeurope");
    assert.equal(parameters.location?.value, "eastus");
  });

  it("runs the deployment, the package and the event subscriptions in order, with no secret on any command line", async () => {
    const calls: string[][] = [];
    let parametersFile: string | undefined;
    let zipBytes = 0;
    const az = (args: readonly string[]) => {
      calls.push([...args]);
      if (args[0] === "deployment" && args[1] === "sub") {
        parametersFile = args[args.indexOf("--parameters") + 1]!.slice(1);
        const parameters = JSON.parse(readFileSync(parametersFile, "utf8")) as { parameters: Record<string, { value: string }> };
        assert.equal(parameters.parameters.armClientSecret?.value, secret);
        assert.equal(parameters.parameters.webhookPathToken?.value, token);
        assert.equal(statSync(parametersFile).mode & 0o077, 0, "the parameters file is private to its owner");
        const out = (value: string) => ({ type: "String", value });
        return Promise.resolve(JSON.stringify({
          AZURE_RESOURCE_GROUP: out("rg-aci-connector-virtual-kubelet"),
          FUNCTION_APP_NAME: out("func-abc"),
          FUNCTION_APP_HOST: out("func-abc.azurewebsites.net"),
          RELAY_TOPIC_NAME: out("evgt-abc"),
          CONNECTOR_PRINCIPAL_ID: out("cccccccc-0000-0000-0000-000000000003"),
        }));
      }
      if (args[0] === "functionapp" && args[1] === "deployment") zipBytes = statSync(args[args.indexOf("--src") + 1]!).size;
      // The host lists the package's functions a while after the zip deployment, one at a time.
      if (args[0] === "functionapp" && args[1] === "function") return Promise.resolve(["", "func-abc/podEvents", "func-abc/podEvents\nfunc-abc/aciEvents\n"][lists++]!);
      // The ACI resource group has a system topic already (Azure allows one per source).
      if (args[0] === "eventgrid") return Promise.resolve("someone-elses-topic\n");
      return Promise.resolve("");
    };
    let lists = 0;
    const progress: string[] = [];
    const deployment = await deployAzureSide(input, az, (line) => progress.push(line), { listPollMs: 1 });

    assert.deepEqual(deployment, { functionAppName: "func-abc", functionAppHost: "func-abc.azurewebsites.net", connectorPrincipalId: "cccccccc-0000-0000-0000-000000000003" });
    assert.deepEqual(calls.map((c) => c.slice(0, 3).join(" ")), ["group exists --name", "group create --name", "deployment sub create", "functionapp deployment source", "functionapp function list", "functionapp function list", "functionapp function list", "eventgrid system-topic list", "deployment group create"]);
    // The ACI resource group did not exist (az answered ""): created before the template references it.
    assert.deepEqual(calls[1]!.slice(0, 6), ["group", "create", "--name", "myResourceGroup-aci-virtual-kubelet", "--location", "eastus"]);
    calls.splice(0, 2);
    assert.deepEqual(progress.filter((l) => l.startsWith("waiting")), ["waiting for func-abc to list podEvents and aciEvents (1/30)", "waiting for func-abc to list aciEvents (2/30)"]);
    for (const call of calls) assert.deepEqual(call.slice(call.indexOf("--subscription"), call.indexOf("--subscription") + 2), ["--subscription", input.cluster.subscriptionId], `${call.slice(0, 3).join(" ")} without --subscription`);
    assert.equal(calls[0]![calls[0]!.indexOf("--name") + 1], "aci-connector-virtual-kubelet-eastus", "the deployment is named by location: ARM refuses a name reused in another location");
    assert.deepEqual(calls[0]!.slice(calls[0]!.indexOf("--template-file"), calls[0]!.indexOf("--template-file") + 2), ["--template-file", input.template]);
    assert.ok(calls[6]!.includes("relayTopicName=evgt-abc") && calls[6]!.includes("aciResourceGroupName=myResourceGroup-aci-virtual-kubelet"));
    assert.equal(calls[5]![calls[5]!.indexOf("--resource-group") + 1], "myResourceGroup-aci-virtual-kubelet");
    assert.ok(calls[6]!.includes("existingSystemTopicName=someone-elses-topic") && calls[6]!.includes("connectorName=virtual-kubelet"), "the existing system topic is subscribed to, by this connector's name");
    for (const call of calls) for (const arg of call) assert.ok(!arg.includes(secret) && !arg.includes(token), `a secret on the command line: ${call.join(" ")}`);
    for (const line of progress) assert.ok(!line.includes(secret) && !line.includes(token));
    assert.ok(zipBytes > 1_000_000, `the package zip has ${zipBytes} bytes`);
    assert.ok(parametersFile !== undefined && !existsSync(parametersFile), "the parameters file is deleted afterwards");
  });

  it("gives up waiting for the functions after its bound, saying which are missing and what to do", async () => {
    const az = (args: readonly string[]) =>
      Promise.resolve(args[1] === "sub" ? JSON.stringify(Object.fromEntries(["AZURE_RESOURCE_GROUP", "FUNCTION_APP_NAME", "FUNCTION_APP_HOST", "RELAY_TOPIC_NAME", "CONNECTOR_PRINCIPAL_ID"].map((k) => [k, { value: k === "FUNCTION_APP_NAME" ? "func-abc" : "x" }]))) : args[1] === "function" ? "func-abc/podEvents" : "");
    await assert.rejects(deployAzureSide(input, az, () => undefined, { listPollMs: 1, listAttempts: 3 }), /^Error: func-abc still does not list aciEvents after 0 s: the package may not have started/);
  });

  it("takes an https template as --template-uri (--chart-url)", async () => {
    const calls: string[][] = [];
    const az = (args: readonly string[]) => {
      calls.push([...args]);
      return Promise.resolve("{}");
    };
    await assert.rejects(deployAzureSide({ ...input, template: "https://example.com/aci-connector.json" }, az, () => undefined), /has no output AZURE_RESOURCE_GROUP: is https:\/\/example.com\/aci-connector.json aci-connector's template\?/);
    const deployment = calls.find((c) => c[0] === "deployment" && c[1] === "sub")!;
    assert.ok(deployment.includes("--template-uri") && deployment.includes("https://example.com/aci-connector.json"));
  });

  it("packages what the Functions host loads and their production dependencies, not tests or dev tools", async () => {
    const files = await functionPackageFiles(projectRoot);
    for (const f of ["host.json", "package.json", "dist/functions/heartbeat.js", "dist/functions/podWebhook.js", "dist/shared/controller/reconcile.js", "node_modules/@azure/functions/package.json", "node_modules/@kubernetes/client-node/package.json"]) {
      assert.ok(files.includes(f), `the package lacks ${f}`);
    }
    for (const prefix of ["dist/test/", "dist/dev/", "dist/cli/", "node_modules/typescript/", "node_modules/eslint/", "test/", ".local/"]) {
      assert.ok(!files.some((f) => f.startsWith(prefix)), `the package holds ${prefix}`);
    }
  });
});
