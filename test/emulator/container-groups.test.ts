// The emulator through the real @azure/arm-containerinstance client, and through raw HTTPS for what the
// SDK hides. Request bodies are the shapes the REST spec's examples and azure-cli's recordings send.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ContainerGroup } from "@azure/arm-containerinstance";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { rawArm } from "../support/raw-arm.js";

const api = "api-version=2023-05-01";
const poll = { updateIntervalInMs: 50 };

function helloWorld(overrides: Partial<ContainerGroup> = {}): ContainerGroup {
  return {
    location: "westeurope",
    osType: "Linux",
    restartPolicy: "Always",
    containers: [
      {
        name: "aci-helloworld",
        image: "mcr.microsoft.com/azuredocs/aci-helloworld",
        resources: { requests: { cpu: 1, memoryInGB: 1.5 } },
        ports: [{ port: 80, protocol: "TCP" }],
        environmentVariables: [
          { name: "PLAIN", value: "visible" },
          { name: "SECRET", secureValue: "s3cr3t" },
        ],
      },
    ],
    ipAddress: { type: "Public", ports: [{ port: 80, protocol: "TCP" }], dnsNameLabel: "hello-aci-test" },
    tags: { "aci-connector/namespace": "default" },
    ...overrides,
  };
}

describe("ACI emulator: container groups", () => {
  let emulator: TestEmulator;
  let groupsPath: string;

  before(async () => {
    emulator = await startTestEmulator({ pageSize: 2 });
    groupsPath = `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups`;
  });
  after(() => emulator.stop());

  it("creates through the SDK's long-running operation, then reports the group running with its IP and FQDN", async () => {
    const created = await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "hello", helloWorld(), poll);
    assert.equal(created.provisioningState, "Succeeded");
    const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "hello");
    assert.equal(group.instanceView?.state, "Running");
    const container = group.containers[0]!;
    assert.equal(container.instanceView?.currentState?.state, "Running");
    assert.ok(container.instanceView?.currentState?.startTime instanceof Date);
    assert.deepEqual(container.instanceView?.events?.map((e) => e.name), ["Pulling", "Pulled", "Created", "Started"]);
    assert.match(group.ipAddress?.ip ?? "", /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(group.ipAddress?.fqdn, "hello-aci-test.westeurope.azurecontainer.io");
    assert.equal(group.id, `${groupsPath}/hello`);
  });

  it("answers a PUT with 201 then 200, provisioningState Pending and an Azure-AsyncOperation URL at subscription level", async () => {
    const body = { location: "westeurope", tags: {}, properties: { osType: "Linux", containers: [{ name: "c", properties: { image: "nginx", resources: { requests: { cpu: 1, memoryInGB: 1 } } } }] } };
    const first = await rawArm(emulator, "PUT", `${groupsPath}/raw-put?${api}`, { body });
    assert.equal(first.status, 201);
    assert.equal((first.json as { properties: { provisioningState: string } }).properties.provisioningState, "Pending");
    const operation = String(first.headers["azure-asyncoperation"]);
    assert.match(operation, new RegExp(`^https://127\\.0\\.0\\.1:\\d+/subscriptions/${emulator.subscriptionId}/providers/Microsoft\\.ContainerInstance/locations/westeurope/operations/[0-9a-f-]{36}\\?${api}$`));
    assert.equal(first.headers.location, undefined);
    const status = await rawArm(emulator, "GET", operation);
    assert.equal(status.status, 200);
    assert.ok(["InProgress", "Succeeded"].includes((status.json as { status: string }).status));
    const second = await rawArm(emulator, "PUT", `${groupsPath}/raw-put?${api}`, { body });
    assert.equal(second.status, 200);
  });

  it("never echoes secrets: secureValue, registry passwords, secret volume contents", async () => {
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(
      emulator.resourceGroup,
      "secrets",
      helloWorld({
        imageRegistryCredentials: [{ server: "myregistry.azurecr.io", username: "user", password: "registry-password" }],
        volumes: [{ name: "creds", secret: { "token.txt": Buffer.from("volume-secret").toString("base64") } }],
      }),
      poll,
    );
    const raw = await rawArm(emulator, "GET", `${groupsPath}/secrets?${api}`);
    const text = JSON.stringify(raw.json);
    for (const secret of ["s3cr3t", "registry-password", Buffer.from("volume-secret").toString("base64")]) assert.ok(!text.includes(secret), `${secret} was echoed`);
    const props = (raw.json as { properties: { volumes: unknown[]; containers: { properties: { environmentVariables: unknown[] } }[] } }).properties;
    assert.deepEqual(props.volumes, [{ name: "creds", secret: {} }]);
    assert.deepEqual(props.containers[0]!.properties.environmentVariables, [{ name: "PLAIN", value: "visible" }, { name: "SECRET" }]);
  });

  it("lists in pages with an absolute nextLink and no instanceView, as the real service does", async () => {
    for (const name of ["page-a", "page-b"]) await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, name, helloWorld(), poll);
    const names: string[] = [];
    for await (const g of emulator.client.containerGroups.listByResourceGroup(emulator.resourceGroup)) names.push(g.name!);
    assert.deepEqual(names.sort(), ["hello", "page-a", "page-b", "raw-put", "secrets"]);

    const first = await rawArm(emulator, "GET", `${groupsPath}?${api}`);
    const page = first.json as { value: { properties: Record<string, unknown> }[]; nextLink?: string };
    assert.equal(page.value.length, 2);
    assert.match(page.nextLink ?? "", /^https:\/\/127\.0\.0\.1:\d+\/subscriptions\//);
    for (const item of page.value) {
      assert.equal(item.properties.instanceView, undefined);
      for (const c of item.properties.containers as { properties: Record<string, unknown> }[]) assert.equal(c.properties.instanceView, undefined);
    }
  });

  it("deletes through the SDK (200), then answers 204 and 404 ResourceNotFound", async () => {
    await emulator.client.containerGroups.beginDeleteAndWait(emulator.resourceGroup, "page-a", poll);
    await assert.rejects(emulator.client.containerGroups.get(emulator.resourceGroup, "page-a"), (e: { statusCode?: number; code?: string }) => e.statusCode === 404 && e.code === "ResourceNotFound");
    const again = await rawArm(emulator, "DELETE", `${groupsPath}/page-a?${api}`);
    assert.equal(again.status, 204);
  });

  it("refuses a request without a bearer token (401) and an api-version it does not know (400)", async () => {
    const anonymous = await rawArm(emulator, "GET", `${groupsPath}?${api}`, { authorization: null });
    assert.equal(anonymous.status, 401);
    assert.equal((anonymous.json as { error: { code: string } }).error.code, "AuthenticationFailed");
    const old = await rawArm(emulator, "GET", `${groupsPath}?api-version=2017-08-01-preview`);
    assert.equal(old.status, 400);
    assert.equal((old.json as { error: { code: string } }).error.code, "NoRegisteredProviderFound");
  });

  const refusals: { description: string; name: string; group: ContainerGroup; code: string }[] = [
    { description: "a name with a double hyphen", name: "bad--name", group: helloWorld(), code: "InvalidContainerGroupName" },
    { description: "an upper-case name", name: "Hello", group: helloWorld(), code: "InvalidContainerGroupName" },
    {
      description: "a container limit above the group's total request",
      name: "over-limit",
      group: helloWorld({ containers: [{ name: "c", image: "nginx", resources: { requests: { cpu: 1, memoryInGB: 1 }, limits: { cpu: 2 } } }] }),
      code: "ContainerLimitGreaterThanContainerGroupTotalRequest",
    },
    {
      description: "more CPU than a Linux group may have",
      name: "too-big",
      group: helloWorld({ containers: [{ name: "c", image: "nginx", resources: { requests: { cpu: 8, memoryInGB: 1 } } }] }),
      code: "ResourceRequestsExceedsLimit",
    },
    {
      description: "more than 5 ports on the group's IP address",
      name: "six-ports",
      group: helloWorld({ ipAddress: { type: "Public", ports: [80, 443, 8080, 8443, 9090, 9091].map((port) => ({ port, protocol: "TCP" })) } }),
      code: "ContainerGroupIpAddressPortCountExceedsLimit",
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.description} with ${r.code}`, async () => {
      await assert.rejects(emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, r.name, r.group, poll), (e: { statusCode?: number; code?: string }) => {
        assert.equal(e.statusCode, 400);
        assert.equal(e.code, r.code);
        return true;
      });
    });
  }

  it("refuses a request body over ARM's 4 MB with 413 RequestContentTooLarge, and takes one just under it", async () => {
    const withValue = (bytes: number) => helloWorld({ containers: [{ name: "c", image: "nginx", resources: { requests: { cpu: 1, memoryInGB: 1 } }, environmentVariables: [{ name: "BIG", value: "x".repeat(bytes) }] }] });
    await assert.rejects(emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, "too-large", withValue(4 * 1024 * 1024), poll), (e: { statusCode?: number; code?: string; message?: string }) => {
      assert.equal(e.statusCode, 413);
      assert.equal(e.code, "RequestContentTooLarge");
      assert.equal(e.message, "The request content size exceeds the maximum size of 4 MB.");
      return true;
    });
    const created = await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "just-fits", withValue(4 * 1024 * 1024 - 1024), poll);
    assert.equal(created.provisioningState, "Succeeded");
    await emulator.client.containerGroups.beginDeleteAndWait(emulator.resourceGroup, "just-fits", poll);
  });

  it("fails a group whose image cannot be pulled with InaccessibleImage", async () => {
    const bad = helloWorld({ containers: [{ name: "c", image: "registry.invalid/nothing:latest", resources: { requests: { cpu: 1, memoryInGB: 1 } } }] });
    await assert.rejects(emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "unpullable", bad, poll), /InaccessibleImage|long-running operation has failed/);
    const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "unpullable");
    assert.equal(group.provisioningState, "Failed");
    assert.equal(group.containers[0]!.instanceView?.currentState?.state, "Waiting");
    assert.equal(group.containers[0]!.instanceView?.events?.at(-1)?.type, "Warning");
  });

  it("reports the location's usages and quotas", async () => {
    const usages = new Map<string, { currentValue?: number; limit?: number }>();
    for await (const u of emulator.client.location.listUsage("westeurope")) usages.set(u.name!.value!, u);
    assert.equal(usages.get("ContainerGroups")?.limit, 100);
    assert.equal(usages.get("ContainerGroups")?.currentValue, emulator.control.groupNames().length);
    assert.equal(usages.get("StandardCores")?.limit, 100);
  });

  it("returns container logs with tail and timestamps", async () => {
    emulator.control.appendLogs("hello", "aci-helloworld", ["one", "two", "three"]);
    const tail = await emulator.client.containers.listLogs(emulator.resourceGroup, "hello", "aci-helloworld", { tail: 2 });
    assert.equal(tail.content, "two\nthree\n");
    const stamped = await emulator.client.containers.listLogs(emulator.resourceGroup, "hello", "aci-helloworld", { tail: 1, timestamps: true });
    assert.match(stamped.content ?? "", /^\d{4}-\d{2}-\d{2}T\S+ three\n$/);
  });
});

describe("ACI emulator: container lifecycle under restart policies", () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.stop());

  const create = (name: string, restartPolicy: "Always" | "OnFailure" | "Never") =>
    emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, name, helloWorld({ restartPolicy }), poll);

  it("Never: an exit 0 makes the group Succeeded with the exit code and times", async () => {
    await create("job-ok", "Never");
    emulator.control.exitContainer("job-ok", "aci-helloworld", { exitCode: 0 });
    const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "job-ok");
    const state = group.containers[0]!.instanceView?.currentState;
    assert.equal(group.instanceView?.state, "Succeeded");
    assert.equal(state?.state, "Terminated");
    assert.equal(state?.exitCode, 0);
    assert.equal(state?.detailStatus, "Completed");
    assert.ok(state?.finishTime instanceof Date && state.startTime instanceof Date);
  });

  it("Never: an exit 3 makes the group Failed with exit code 3", async () => {
    await create("job-fail", "Never");
    emulator.control.exitContainer("job-fail", "aci-helloworld", { exitCode: 3 });
    const group = await emulator.client.containerGroups.get(emulator.resourceGroup, "job-fail");
    assert.equal(group.instanceView?.state, "Failed");
    assert.equal(group.containers[0]!.instanceView?.currentState?.exitCode, 3);
  });

  it("Always: a crash restarts the container, counting restarts and keeping the previous state", async () => {
    await create("crashy", "Always");
    emulator.control.exitContainer("crashy", "aci-helloworld", { exitCode: 137, oomKilled: true });
    emulator.control.exitContainer("crashy", "aci-helloworld", { exitCode: 1 });
    const view = (await emulator.client.containerGroups.get(emulator.resourceGroup, "crashy")).containers[0]!.instanceView!;
    assert.equal(view.restartCount, 2);
    assert.equal(view.currentState?.state, "Running");
    assert.equal(view.previousState?.exitCode, 1);
    assert.equal(view.previousState?.detailStatus, "Error");
  });

  it("OnFailure: a clean exit is final, a failure restarts", async () => {
    await create("on-failure", "OnFailure");
    emulator.control.exitContainer("on-failure", "aci-helloworld", { exitCode: 2 });
    let view = (await emulator.client.containerGroups.get(emulator.resourceGroup, "on-failure")).containers[0]!.instanceView!;
    assert.equal(view.restartCount, 1);
    emulator.control.exitContainer("on-failure", "aci-helloworld", { exitCode: 0 });
    view = (await emulator.client.containerGroups.get(emulator.resourceGroup, "on-failure")).containers[0]!.instanceView!;
    assert.equal(view.currentState?.state, "Terminated");
    assert.equal(view.restartCount, 1);
  });
});

describe("ACI emulator: quotas, exec, capabilities and cached images", () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator({ quota: { containerGroups: 2, standardCores: 3, createsPer5Min: 3 } })));
  after(() => emulator.stop());

  it("refuses a group over the regional quota with ContainerGroupQuotaReached, naming limit and usage", async () => {
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "q1", helloWorld(), poll);
    await assert.rejects(
      emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, "q-cores", helloWorld({ containers: [{ name: "c", image: "nginx", resources: { requests: { cpu: 3, memoryInGB: 1 } } }] }), poll),
      (e: { statusCode?: number; code?: string; message?: string }) =>
        e.statusCode === 409 && e.code === "ContainerGroupQuotaReached" && /quota 'StandardCores' exceeded in region 'westeurope'. Limit: '3', Usage: '1' Requested: '3'/.test(e.message ?? ""),
    );
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(emulator.resourceGroup, "q2", helloWorld(), poll);
    await assert.rejects(
      emulator.client.containerGroups.beginCreateOrUpdate(emulator.resourceGroup, "q3", helloWorld(), poll),
      (e: { code?: string; message?: string }) => e.code === "ContainerGroupQuotaReached" && /quota 'ContainerGroups'/.test(e.message ?? ""),
    );
  });

  it("counts creations down in the pt5m/pt1h headers", async () => {
    await emulator.client.containerGroups.beginDeleteAndWait(emulator.resourceGroup, "q2", poll);
    const path = `/subscriptions/${emulator.subscriptionId}/resourceGroups/${emulator.resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/q4?api-version=2023-05-01`;
    const body = { location: "westeurope", properties: { osType: "Linux", containers: [{ name: "c", properties: { image: "nginx", resources: { requests: { cpu: 1, memoryInGB: 1 } } } }] } };
    const created = await rawArm(emulator, "PUT", path, { body });
    assert.equal(created.status, 201);
    // q1, q2 and q4: three of the three allowed in five minutes.
    assert.equal(created.headers["x-ms-ratelimit-remaining-subscription-resource-requests-pt5m"], "0");
  });

  it("answers exec with a websocket URI and password, capabilities and cached images", async () => {
    const exec = await emulator.client.containers.executeCommand(emulator.resourceGroup, "q1", "aci-helloworld", { command: "/bin/sh", terminalSize: { rows: 24, cols: 80 } });
    assert.match(exec.webSocketUri ?? "", /^wss:\/\/127\.0\.0\.1:\d+\/exec\//);
    assert.ok((exec.password ?? "").length > 0);
    const capabilities = [];
    for await (const c of emulator.client.location.listCapabilities("westeurope")) capabilities.push(`${c.osType}:${c.capabilities?.maxCpu}`);
    assert.deepEqual(capabilities, ["Linux:4", "Windows:4"]);
    const images = [];
    for await (const i of emulator.client.location.listCachedImages("westeurope")) images.push(i.osType);
    assert.ok(images.includes("Windows"));
  });
});

describe("ACI emulator: tags, stop, start, restart, Windows", () => {
  let emulator: TestEmulator;
  before(async () => (emulator = await startTestEmulator()));
  after(() => emulator.stop());

  it("patches tags, stops (Stopped), starts and restarts a Windows group", async () => {
    await emulator.client.containerGroups.beginCreateOrUpdateAndWait(
      emulator.resourceGroup,
      "iis",
      helloWorld({ osType: "Windows", containers: [{ name: "iis", image: "mcr.microsoft.com/windows/servercore/iis:nanoserver", resources: { requests: { cpu: 1, memoryInGB: 1.5 } } }] }),
      poll,
    );
    const patched = await emulator.client.containerGroups.update(emulator.resourceGroup, "iis", { tags: { owner: "test" } });
    assert.deepEqual(patched.tags, { owner: "test" });
    assert.equal(patched.osType, "Windows");

    await emulator.client.containerGroups.stop(emulator.resourceGroup, "iis");
    assert.equal((await emulator.client.containerGroups.get(emulator.resourceGroup, "iis")).instanceView?.state, "Stopped");
    await emulator.client.containerGroups.beginStartAndWait(emulator.resourceGroup, "iis", poll);
    assert.equal((await emulator.client.containerGroups.get(emulator.resourceGroup, "iis")).instanceView?.state, "Running");
    await emulator.client.containerGroups.beginRestartAndWait(emulator.resourceGroup, "iis", poll);
    const restarted = await emulator.client.containerGroups.get(emulator.resourceGroup, "iis");
    assert.equal(restarted.containers[0]!.instanceView?.restartCount, 1);
  });
});
