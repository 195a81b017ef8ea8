// ACI_PULL_IDENTITY, ACI_PULL_REGISTRIES and ACI_WORKLOAD_IDENTITIES: read into the settings, every bad
// value named with its setting.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readSettings } from "../../../shared/config/settings.js";
import { translationSettings } from "../../../shared/config/translation-settings.js";
import { settingsProblems, validEnv } from "./settings-env.js";

const valid = validEnv;
const pullId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/aci-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acr-pull";
const apiId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/shop-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/shop-api";
const apiClientId = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";

const problemsOf = (env: Record<string, string>) => settingsProblems({ ...valid, ...env });

describe("identity settings", () => {
  it("none by default: no pull identity, an empty allow-list", () => {
    const settings = readSettings(valid);
    assert.equal(settings.pullIdentity, undefined);
    assert.deepEqual(settings.workloadIdentities, []);
  });

  it("a pull identity covers *.azurecr.io unless ACI_PULL_REGISTRIES lists others", () => {
    assert.deepEqual(readSettings({ ...valid, ACI_PULL_IDENTITY: pullId }).pullIdentity, { resourceId: pullId, registries: ["*.azurecr.io"] });
    assert.deepEqual(readSettings({ ...valid, ACI_PULL_IDENTITY: pullId, ACI_PULL_REGISTRIES: "MyAcr.azurecr.io, registry.contoso.com:5000" }).pullIdentity, {
      resourceId: pullId,
      registries: ["myacr.azurecr.io", "registry.contoso.com:5000"],
    });
  });

  it("reads the allow-list, and hands both to the translation", () => {
    const settings = readSettings({ ...valid, ACI_PULL_IDENTITY: pullId, ACI_WORKLOAD_IDENTITIES: JSON.stringify({ "shop/api": { clientId: apiClientId, resourceId: apiId } }) });
    assert.deepEqual(settings.workloadIdentities, [{ namespace: "shop", serviceAccount: "api", clientId: apiClientId, resourceId: apiId }]);
    assert.ok(Object.isFrozen(settings.workloadIdentities) && Object.isFrozen(settings.workloadIdentities[0]));
    const translation = translationSettings(settings);
    assert.deepEqual(translation.workloadIdentities, settings.workloadIdentities);
    assert.deepEqual(translation.pullIdentity, settings.pullIdentity);
  });

  const refused: { description: string; env: Record<string, string>; problems: string[] }[] = [
    {
      description: "registries without an identity",
      env: { ACI_PULL_REGISTRIES: "*.azurecr.io" },
      problems: ["ACI_PULL_REGISTRIES is set without ACI_PULL_IDENTITY: name the identity that pulls from these registries"],
    },
    {
      description: "a pull identity that is not a user-assigned identity's resource id, and a registry that is no host",
      env: { ACI_PULL_IDENTITY: "acr-pull", ACI_PULL_REGISTRIES: "*.azurecr.io,https://x.io/" },
      problems: [
        "ACI_PULL_IDENTITY must be a user-assigned identity's resource id (/subscriptions/.../resourceGroups/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)",
        'ACI_PULL_REGISTRIES must list registry hosts separated by commas, each exact (myacr.azurecr.io) or a wildcard for its sub-domains (*.azurecr.io); not "https://x.io/"',
      ],
    },
    {
      description: "an allow-list that is not JSON",
      env: { ACI_WORKLOAD_IDENTITIES: "shop/api=abc" },
      problems: ['ACI_WORKLOAD_IDENTITIES is not JSON: it maps "namespace/serviceaccount" to {"clientId": "<guid>", "resourceId": "/subscriptions/.../userAssignedIdentities/<name>"}'],
    },
    {
      description: "an allow-list that is a list",
      env: { ACI_WORKLOAD_IDENTITIES: "[]" },
      problems: ['ACI_WORKLOAD_IDENTITIES must be a JSON object mapping "namespace/serviceaccount" to {"clientId", "resourceId"}'],
    },
    {
      description: "every bad entry, each field named",
      env: { ACI_WORKLOAD_IDENTITIES: JSON.stringify({ api: { clientId: apiClientId, resourceId: apiId }, "shop/worker": { clientId: "worker", resourceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z" }, "shop/ok": { clientId: apiClientId, resourceId: apiId } }) },
      problems: [
        'ACI_WORKLOAD_IDENTITIES["api"]: the key must be "namespace/serviceaccount" (lowercase, as Kubernetes names them)',
        'ACI_WORKLOAD_IDENTITIES["shop/worker"].clientId must be the identity\'s client id, a GUID',
        'ACI_WORKLOAD_IDENTITIES["shop/worker"].resourceId must be a user-assigned identity\'s resource id (/subscriptions/.../resourceGroups/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)',
      ],
    },
  ];
  for (const { description, env, problems } of refused) it(`refuses ${description}`, () => assert.deepEqual(problemsOf(env), problems));
});
