// End to end on the real control plane and the emulator: the identities a container group carries.
// The connector runs with a pull identity (ACI_PULL_IDENTITY, covering *.azurecr.io by default) and an
// allow-list granting one service account an identity (ACI_WORKLOAD_IDENTITIES). The emulator treats
// contoso.azurecr.io as private, pullable by the pull identity only (AcrPull). The workload identity pod is
// written as the azure-workload-identity webhook leaves it (its env and projected token volume), since no
// such webhook runs here. docs/decisions/identities.md
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, type V1Pod, type V1PodSpec } from "@kubernetes/client-node";
import { emulatedClientId } from "../../dev/emulator/index.js";
import { groupNameOf } from "../../shared/controller/pod-sync.js";
import { testCluster } from "../support/cluster.js";
import { startRunningConnector, type RunningConnector } from "../support/running-connector.js";
import { waitFor } from "../support/wait.js";

const cluster = testCluster();
const core = cluster.admin.makeApiClient(CoreV1Api);
const namespace = "identities";
const subscription = "/subscriptions/00000000-0000-0000-0000-00000000ac1e/resourceGroups/aci-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
const pullId = `${subscription}/acr-pull`;
const apiId = `${subscription}/identities-api`;
const apiClientId = emulatedClientId(apiId);

function podOn(node: string, name: string, spec: Pick<V1PodSpec, "containers" | "serviceAccountName" | "volumes">, labels: Record<string, string> = {}): V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      ...spec,
      nodeSelector: { "kubernetes.io/hostname": node },
      tolerations: [{ key: "virtual-kubelet.io/provider", operator: "Equal", value: "azure", effect: "NoSchedule" }],
    },
  };
}

/** A pod labelled for workload identity, as the azure-workload-identity webhook mutates it (pkg/webhook/consts.go). */
function workloadPod(node: string, name: string, serviceAccountName: string): V1Pod {
  return podOn(
    node,
    name,
    {
      serviceAccountName,
      containers: [
        {
          name: "app",
          image: "mcr.microsoft.com/azuredocs/aci-helloworld",
          env: [
            { name: "AZURE_CLIENT_ID", value: apiClientId },
            { name: "AZURE_TENANT_ID", value: "72f988bf-0000-4000-8000-00000000e1a7" },
            { name: "AZURE_FEDERATED_TOKEN_FILE", value: "/var/run/secrets/azure/wi/token/azure-identity-token" },
            { name: "AZURE_AUTHORITY_HOST", value: "https://login.microsoftonline.com/" },
          ],
          volumeMounts: [{ name: "azure-workload-identity-reserved-0a1b2c", mountPath: "/var/run/secrets/azure/wi", readOnly: true }],
        },
      ],
      volumes: [{ name: "azure-workload-identity-reserved-0a1b2c", projected: { sources: [{ serviceAccountToken: { path: "token/azure-identity-token", expirationSeconds: 3600, audience: "api://AzureADTokenExchange" } }] } }],
    },
    { "azure.workload.identity/use": "true" },
  );
}

const readPod = (name: string) => core.readNamespacedPod({ namespace, name });
const running = (name: string) => waitFor(`${name} Running`, async () => ((await readPod(name)).status?.phase === "Running" ? readPod(name) : undefined), { timeoutMs: 90_000, intervalMs: 500 });

describe("identities on container groups", () => {
  let connector: RunningConnector;
  let linuxNode: string;
  before(async () => {
    connector = await startRunningConnector(cluster, {
      connectorName: "identities",
      webhook: false,
      env: { ACI_PULL_IDENTITY: pullId, ACI_WORKLOAD_IDENTITIES: JSON.stringify({ [`${namespace}/api`]: { clientId: apiClientId, resourceId: apiId } }) },
      emulator: { privateRegistries: { "contoso.azurecr.io": { acrPull: [pullId] } } },
    });
    linuxNode = connector.connector.nodeNames[0]!;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    for (const name of ["api", "admin"]) await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  });
  after(async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await connector.stop();
  });

  it("a pod of a private *.azurecr.io image runs with no pull Secret: its group pulls with the connector's pull identity", { timeout: 120_000 }, async () => {
    await core.createNamespacedPod({ namespace, body: podOn(linuxNode, "from-acr", { containers: [{ name: "app", image: "contoso.azurecr.io/shop/web:1.4" }] }) });
    const pod = await running("from-acr");
    const group = await connector.emulator.client.containerGroups.get(connector.emulator.resourceGroup, groupNameOf(pod));
    assert.deepEqual(group.imageRegistryCredentials, [{ server: "contoso.azurecr.io", identity: pullId }]);
    assert.deepEqual(Object.keys(group.identity?.userAssignedIdentities ?? {}), [pullId]);
  });

  it("a workload identity pod runs with the allowed identity on its group, AZURE_CLIENT_ID its client id, no token file, and an Event saying so", { timeout: 120_000 }, async () => {
    await core.createNamespacedPod({ namespace, body: workloadPod(linuxNode, "api", "api") });
    const pod = await running("api");
    const group = await connector.emulator.client.containerGroups.get(connector.emulator.resourceGroup, groupNameOf(pod));
    assert.equal(group.identity?.userAssignedIdentities?.[apiId]?.clientId, apiClientId, "the group carries the identity, whose client id ACI reports");
    const env = Object.fromEntries((group.containers[0]?.environmentVariables ?? []).map((v) => [v.name, v.value]));
    assert.deepEqual(env, { AZURE_TENANT_ID: "72f988bf-0000-4000-8000-00000000e1a7", AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/", AZURE_CLIENT_ID: apiClientId });
    const notes = (await core.listNamespacedEvent({ namespace, fieldSelector: "involvedObject.name=api,reason=Adapted" })).items.map((e) => e.message ?? "");
    assert.ok(notes.some((n) => n.startsWith('AZURE_FEDERATED_TOKEN_FILE is not set in "app"')), notes.join("\n"));
  });

  it("a pod asking for an identity its service account is not allowed is refused, naming the field, and nothing reaches ACI", { timeout: 120_000 }, async () => {
    await core.createNamespacedPod({ namespace, body: workloadPod(linuxNode, "borrower", "admin") });
    const status = await waitFor("borrower refused", async () => {
      const s = (await readPod("borrower")).status;
      return s?.reason === "UnsupportedPodSpec" ? s : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    assert.equal(status.phase, "Pending");
    assert.match(status.message ?? "", /^spec\.serviceAccountName: service account "identities\/admin" may not carry an Azure identity on this connector/);
    const created = connector.emulator.control.history().created.map((c) => c.tags.PodName);
    assert.ok(!created.includes("borrower"), `no group for the borrower: ${created.join(", ")}`);
  });
});
