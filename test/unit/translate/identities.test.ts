// The identities a container group carries: the connector's pull identity for private registries, and a
// pod's workload identity from the connector's allow-list. docs/decisions/identities.md gives the mapping.
// The workload identity pod is as the azure-workload-identity webhook leaves it (Azure/azure-workload-identity,
// pkg/webhook/consts.go and webhook.go: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE,
// AZURE_AUTHORITY_HOST in every container, and a projected service account token with audience
// api://AzureADTokenExchange mounted at /var/run/secrets/azure/wi).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { podToContainerGroup, type TranslationSettings, type Translation } from "../../../shared/translate/pod-to-container-group.js";
import { TranslationError, type Problem } from "../../../shared/translate/problems.js";
import { problemsOf as refusals, translate as translateWith } from "./translate-pod.js";
import { registryMatches, registryOf } from "../../../shared/translate/pull-identity.js";
import type { WorkloadIdentityGrant } from "../../../shared/translate/workload-identity.js";
import { b64, configMaps, container, linuxNode, podFrom, secrets, settings } from "./realistic-pods.js";

const pullId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/aci-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acr-pull";
const apiId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/shop-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/shop-api";
const apiClientId = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const grant: WorkloadIdentityGrant = { namespace: "shop", serviceAccount: "api", clientId: apiClientId, resourceId: apiId };
const pullIdentity = { resourceId: pullId, registries: ["*.azurecr.io"] };

const translate = (pod: V1Pod, extra: Partial<TranslationSettings>): Translation => translateWith(pod, { settings: extra });
const problemsOf = (pod: V1Pod, extra: Partial<TranslationSettings>): readonly Problem[] => refusals(pod, { settings: extra });

/** A container as the azure-workload-identity webhook mutates it. */
function mutated(c: V1Container, clientId = apiClientId): V1Container {
  return {
    ...c,
    env: [
      ...(c.env ?? []),
      { name: "AZURE_CLIENT_ID", value: clientId },
      { name: "AZURE_TENANT_ID", value: "72f988bf-86f1-41af-91ab-2d7cd011db47" },
      { name: "AZURE_FEDERATED_TOKEN_FILE", value: "/var/run/secrets/azure/wi/token/azure-identity-token" },
      { name: "AZURE_AUTHORITY_HOST", value: "https://login.microsoftonline.com/" },
    ],
    volumeMounts: [...(c.volumeMounts ?? []), { name: "azure-workload-identity-reserved-0a1b2c", mountPath: "/var/run/secrets/azure/wi", readOnly: true }],
  };
}

/** A pod of service account `serviceAccount`, labelled for workload identity, as the webhook leaves it. */
function workloadPod(serviceAccount: string, containers: V1Container[] = [mutated(container())]): V1Pod {
  return podFrom(
    {
      serviceAccountName: serviceAccount,
      containers,
      volumes: [{ name: "azure-workload-identity-reserved-0a1b2c", projected: { sources: [{ serviceAccountToken: { path: "token/azure-identity-token", expirationSeconds: 3600, audience: "api://AzureADTokenExchange" } }] } }],
    },
    { labels: { app: "api", "azure.workload.identity/use": "true" } },
  );
}

const envOf = (t: Translation, i = 0) => Object.fromEntries((t.body.properties.containers[i]!.properties.environmentVariables ?? []).map((v) => [v.name, v.value ?? "<secure>"]));

describe("image registries and their hosts", () => {
  const cases: [string, string | undefined][] = [
    ["myacr.azurecr.io/shop/web:1.4", "myacr.azurecr.io"],
    ["MyAcr.AzureCR.io/web", "myacr.azurecr.io"],
    ["localhost:5000/web", "localhost:5000"],
    ["localhost/web", "localhost"],
    ["nginx", undefined],
    ["library/nginx:1.27", undefined],
    ["mcr.microsoft.com/azuredocs/aci-helloworld", "mcr.microsoft.com"],
  ];
  for (const [image, registry] of cases) it(`${image} -> ${registry ?? "Docker Hub"}`, () => assert.equal(registryOf(image), registry));

  it("*.azurecr.io covers every registry under azurecr.io, not azurecr.io itself nor a look-alike; an exact host only itself", () => {
    assert.equal(registryMatches("myacr.azurecr.io", "*.azurecr.io"), true);
    assert.equal(registryMatches("azurecr.io", "*.azurecr.io"), false);
    assert.equal(registryMatches("evilazurecr.io", "*.azurecr.io"), false);
    assert.equal(registryMatches("myacr.azurecr.io", "myacr.azurecr.io"), true);
    assert.equal(registryMatches("other.azurecr.io", "myacr.azurecr.io"), false);
  });
});

describe("the pull identity", () => {
  it("pulls an ACR image without a pull Secret: a credential naming the identity, and the identity on the group", () => {
    const { body } = translate(podFrom({ containers: [container()] }), { pullIdentity });
    assert.deepEqual(body.properties.imageRegistryCredentials, [{ server: "myregistry.azurecr.io", identity: pullId }]);
    assert.deepEqual(body.identity, { type: "UserAssigned", userAssignedIdentities: { [pullId]: {} } });
  });

  it("gives one credential per registry, init containers' included, and none for registries it does not cover", () => {
    const pod = podFrom({
      initContainers: [container({ name: "migrate", image: "tools.azurecr.io/migrate:2" })],
      containers: [container(), container({ name: "sidecar", image: "myregistry.azurecr.io/shop/sidecar:1" }), container({ name: "proxy", image: "nginx" }), container({ name: "mcr", image: "mcr.microsoft.com/azuredocs/aci-helloworld" })],
    });
    const { body } = translate(pod, { pullIdentity });
    assert.deepEqual(body.properties.imageRegistryCredentials, [
      { server: "tools.azurecr.io", identity: pullId },
      { server: "myregistry.azurecr.io", identity: pullId },
    ]);
  });

  it("leaves a registry to the pod's own pull Secret: the Secret's credential wins, and no identity is needed", () => {
    const { body } = translate(podFrom({ containers: [container()], imagePullSecrets: [{ name: "regcred" }] }), { pullIdentity });
    assert.deepEqual(body.properties.imageRegistryCredentials, [{ server: "myregistry.azurecr.io", username: "puller", password: "pull-secret" }]);
    assert.equal(body.identity, undefined);
  });

  it("covers only the registries listed when ACI_PULL_REGISTRIES names them", () => {
    const { body } = translate(podFrom({ containers: [container()] }), { pullIdentity: { resourceId: pullId, registries: ["other.azurecr.io"] } });
    assert.equal(body.properties.imageRegistryCredentials, undefined);
    assert.equal(body.identity, undefined);
  });

  it("is not used without the setting: the group pulls anonymously, as before", () => {
    const { body } = translate(podFrom({ containers: [container()] }), {});
    assert.equal(body.properties.imageRegistryCredentials, undefined);
    assert.equal(body.identity, undefined);
  });
});

describe("workload identity", () => {
  it("accepted: the group carries the allowed identity; AZURE_CLIENT_ID is its client id; the token file is left out, and the pod is told", () => {
    const translation = translate(workloadPod("api"), { workloadIdentities: [grant] });
    assert.deepEqual(translation.body.identity, { type: "UserAssigned", userAssignedIdentities: { [apiId]: {} } });
    assert.deepEqual(envOf(translation), {
      AZURE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
      AZURE_CLIENT_ID: apiClientId,
    });
    assert.ok(
      translation.notices.includes(`AZURE_FEDERATED_TOKEN_FILE is not set in "app": ACI cannot refresh a projected token; the container group carries identity ${apiClientId} and DefaultAzureCredential gets its tokens from ACI's managed identity endpoint`),
      translation.notices.join("\n"),
    );
    assert.ok(translation.notices.some((n) => n.startsWith('volume "azure-workload-identity-reserved-0a1b2c": the service account token is not mounted')), translation.notices.join("\n"));
  });

  it("names, in one notice, every container whose token file variable was left out", () => {
    const translation = translate(workloadPod("api", [mutated(container()), mutated(container({ name: "worker", image: "myregistry.azurecr.io/shop/worker:1" }))]), { workloadIdentities: [grant] });
    const notices = translation.notices.filter((n) => n.startsWith("AZURE_FEDERATED_TOKEN_FILE"));
    assert.deepEqual(notices.map((n) => n.split(":")[0]), ['AZURE_FEDERATED_TOKEN_FILE is not set in "app", "worker"']);
  });

  it("accepted without the webhook: AZURE_CLIENT_ID is set in every container and init container", () => {
    const pod = podFrom({ serviceAccountName: "api", initContainers: [container({ name: "migrate" })], containers: [container()] }, { labels: { "azure.workload.identity/use": "true" } });
    const translation = translate(pod, { workloadIdentities: [grant] });
    assert.deepEqual(envOf(translation), { AZURE_CLIENT_ID: apiClientId });
    assert.deepEqual(translation.body.properties.initContainers![0]!.properties.environmentVariables, [{ name: "AZURE_CLIENT_ID", value: apiClientId }]);
    assert.deepEqual(translation.notices, []);
  });

  it("carries both the pull identity and the workload identity, each once", () => {
    const { body } = translate(workloadPod("api"), { pullIdentity, workloadIdentities: [grant, { ...grant, serviceAccount: "worker" }] });
    assert.deepEqual(body.identity, { type: "UserAssigned", userAssignedIdentities: { [pullId]: {}, [apiId]: {} } });
  });

  it("does nothing for a pod without the label, even of an allowed service account", () => {
    const { body } = translate(podFrom({ serviceAccountName: "api", containers: [container()] }), { workloadIdentities: [grant] });
    assert.equal(body.identity, undefined);
    assert.equal(body.properties.containers[0]!.properties.environmentVariables, undefined);
  });

  const refused: { description: string; pod: V1Pod; grants: WorkloadIdentityGrant[]; problems: Problem[] }[] = [
    {
      description: "a service account not in the allow-list",
      pod: workloadPod("admin"),
      grants: [grant],
      problems: [
        {
          path: "spec.serviceAccountName",
          message:
            'service account "shop/admin" may not carry an Azure identity on this connector, and the pod asks for one (label azure.workload.identity/use: "true"): in ACI the container group carries the identity itself, so the connector\'s allow-list (ACI_WORKLOAD_IDENTITIES) says which service account may use which; ask for yours to be added, or remove the label',
        },
      ],
    },
    {
      description: "the same service account name in another namespace",
      pod: { ...workloadPod("api"), metadata: { ...workloadPod("api").metadata, namespace: "other" } },
      grants: [grant],
      problems: [{ path: "spec.serviceAccountName", message: 'service account "other/api" may not carry an Azure identity on this connector, and the pod asks for one (label azure.workload.identity/use: "true"): in ACI the container group carries the identity itself, so the connector\'s allow-list (ACI_WORKLOAD_IDENTITIES) says which service account may use which; ask for yours to be added, or remove the label' }],
    },
    {
      description: "no allow-list at all",
      pod: workloadPod("api"),
      grants: [],
      problems: [{ path: "spec.serviceAccountName", message: 'service account "shop/api" may not carry an Azure identity on this connector, and the pod asks for one (label azure.workload.identity/use: "true"): in ACI the container group carries the identity itself, so the connector\'s allow-list (ACI_WORKLOAD_IDENTITIES) says which service account may use which; ask for yours to be added, or remove the label' }],
    },
    {
      description: "an allowed service account whose containers name another identity (its annotation says another client id)",
      pod: workloadPod("api", [mutated(container(), "11111111-2222-4333-8444-555555555555")]),
      grants: [grant],
      problems: [{ path: "spec.containers[0].env[0]", message: `AZURE_CLIENT_ID names another identity than the one service account "shop/api" may use in ACI (client id ${apiClientId}); remove it or set it to that` }],
    },
    {
      description: "another identity's client id from a Secret (compared, never quoted)",
      pod: workloadPod("api", [container({ env: [{ name: "AZURE_CLIENT_ID", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] })]),
      grants: [grant],
      problems: [{ path: "spec.containers[0].env[0]", message: `AZURE_CLIENT_ID names another identity than the one service account "shop/api" may use in ACI (client id ${apiClientId}); remove it or set it to that` }],
    },
  ];
  for (const { description, pod, grants, problems } of refused) {
    it(`refused: ${description}`, () => assert.deepEqual(problemsOf(pod, { workloadIdentities: grants }), problems));
  }

  it("an AZURE_CLIENT_ID from envFrom is named by the container's envFrom", () => {
    const withSecret = new Map([...secrets, ["ids", { metadata: { name: "ids" }, data: { AZURE_CLIENT_ID: b64("11111111-2222-4333-8444-555555555555") } }]]);
    const pod = workloadPod("api", [container({ envFrom: [{ secretRef: { name: "ids" } }] })]);
    assert.throws(
      () => podToContainerGroup({ pod, references: { secrets: withSecret, configMaps }, node: linuxNode, settings: { ...settings, workloadIdentities: [grant] } }),
      (error: unknown) => error instanceof TranslationError && error.problems[0]?.path === "spec.containers[0].envFrom" && !error.message.includes("11111111-2222"),
    );
  });
});
