// The group body `aci-connector translate` prints for people to read: no secret value may show, while
// everything else stays as ARM would receive it, so the output still explains the translation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { podToContainerGroup } from "../../../shared/translate/pod-to-container-group.js";
import { redactContainerGroup, redacted } from "../../../shared/translate/redact.js";
import { b64, configMaps, container, linuxNode, podFrom, realisticPods, secrets, secretValues, settings } from "./realistic-pods.js";
import { translate } from "./translate-pod.js";

// The realistic pod that uses a Secret in every way ACI receives one: a secure env value (also in an init
// container), a secret volume, an Azure Files storage key and registry credentials.
const pod = realisticPods()[1]!;
const translated = () => podToContainerGroup({ pod, references: { secrets, configMaps }, node: linuxNode, settings }).body;
const body = translated();

describe("a container group body redacted for people to read", () => {
  it("shows no credential, in plain text or base64", () => {
    const text = JSON.stringify(redactContainerGroup(body));
    // The storage account's name stays: it is part of a public DNS name, not a credential.
    for (const value of secretValues.filter((v) => v !== "mystorage")) assert.ok(!text.includes(value) && !text.includes(b64(value)), `shows ${value}`);
  });

  it("replaces each secret value where it was, and keeps everything else as ARM receives it", () => {
    const copy = redactContainerGroup(body);
    assert.deepEqual(body, translated(), "the body itself was changed");
    // Put back what redaction replaced: the rest must be the body unchanged.
    const p = copy.properties;
    const envs = [...p.containers, ...(p.initContainers ?? [])].flatMap((c) => c.properties.environmentVariables ?? []);
    const secure = envs.filter((e) => e.secureValue !== undefined);
    assert.ok(secure.length >= 2 && secure.every((e) => e.secureValue === redacted), JSON.stringify(secure));
    const secretVolumes = (p.volumes ?? []).filter((v) => v.secret !== undefined);
    assert.ok(secretVolumes.length > 0 && secretVolumes.every((v) => Object.values(v.secret!).every((x) => x === redacted)), JSON.stringify(secretVolumes));
    const keys = (p.volumes ?? []).flatMap((v) => (v.azureFile ? [v.azureFile.storageAccountKey] : []));
    assert.ok(keys.length > 0 && keys.every((k) => k === redacted), JSON.stringify(keys));
    assert.ok((p.imageRegistryCredentials ?? []).length === 2 && p.imageRegistryCredentials!.every((r) => r.password === redacted && r.username !== redacted));

    const restore = (redactedBody: typeof body, from: typeof body) => {
      const r = structuredClone(redactedBody);
      const all = (b: typeof body) => [...b.properties.containers, ...(b.properties.initContainers ?? [])].flatMap((c) => c.properties.environmentVariables ?? []);
      all(r).forEach((e, i) => e.secureValue !== undefined && (e.secureValue = all(from)[i]!.secureValue));
      (r.properties.volumes ?? []).forEach((v, i) => {
        const o = from.properties.volumes![i]!;
        if (v.secret !== undefined) v.secret = o.secret;
        if (v.azureFile !== undefined) v.azureFile.storageAccountKey = o.azureFile!.storageAccountKey;
      });
      (r.properties.imageRegistryCredentials ?? []).forEach((c, i) => (c.password = from.properties.imageRegistryCredentials![i]!.password));
      return r;
    };
    assert.deepEqual(restore(copy, body), body);
  });

  it("says where a value was: a placeholder, not an empty value a reader would take for the real one", () => {
    const env = redactContainerGroup(body).properties.containers[0]!.properties.environmentVariables ?? [];
    assert.deepEqual(env.find((e) => e.name === "DB_PASSWORD"), { name: "DB_PASSWORD", secureValue: "<redacted>" });
  });

  it("adds no password to a credential that has none (a managed identity pulls the image)", () => {
    const pullIdentity = { resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/acr-pull", registries: ["*.azurecr.io"] };
    const withIdentity = translate(podFrom({ containers: [container()] }), { settings: { pullIdentity } }).body;
    assert.deepEqual(redactContainerGroup(withIdentity).properties.imageRegistryCredentials, [{ server: "myregistry.azurecr.io", identity: pullIdentity.resourceId }]);
  });
});
