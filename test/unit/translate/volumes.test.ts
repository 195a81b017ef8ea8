// Pod volumes as ACI volumes, each case alone: what ACI can mount (its Volume object in the ARM spec,
// Microsoft.ContainerInstance containerInstance.json: emptyDir, secret, azureFile, gitRepo) and the field
// a refusal names. Missing Secrets, ConfigMaps and keys follow the kubelet: a required one holds the pod
// back, an optional one is left out (kubelet volume plugins secret/configmap/projected, `optional`).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Secret, V1Volume } from "@kubernetes/client-node";
import { b64, container, podFrom, secrets } from "./realistic-pods.js";
import { problemsOf, translate, type TranslateOptions } from "./translate-pod.js";

const withVolumes = (volumes: V1Volume[]) => podFrom({ containers: [container()], volumes });
const volumesOf = (volumes: V1Volume[], options?: TranslateOptions) => translate(withVolumes(volumes), options).body.properties.volumes;
const refusal = (volumes: V1Volume[], options?: TranslateOptions) => problemsOf(withVolumes(volumes), options).map(({ path, message }) => ({ path, message }));
const subFolder = (file: string) => `"${file}" is in a sub-folder; ACI secret volumes hold files at their top level only`;

describe("volumes: how many", () => {
  // "Volumes per container group: 20" (learn.microsoft.com/azure/container-instances/container-instances-resource-and-quota-limits).
  const scratch = (n: number): V1Volume[] => Array.from({ length: n }, (_, i) => ({ name: `scratch-${i}`, emptyDir: {} }));

  it("takes 20 volumes", () => {
    assert.equal(volumesOf(scratch(20))?.length, 20);
  });

  it("refuses 21 at spec.volumes", () => {
    assert.deepEqual(refusal(scratch(21)), [{ path: "spec.volumes", message: "ACI allows at most 20 volumes per container group, the pod has 21" }]);
  });
});

describe("volumes: what is carried", () => {
  it("a gitRepo's directory and revision", () => {
    const gitRepo = { repository: "https://github.com/Azure-Samples/aci-helloworld", directory: "src", revision: "8f1d2c3" };
    assert.deepEqual(volumesOf([{ name: "code", gitRepo }]), [{ name: "code", gitRepo }]);
  });

  it("an Azure Files CSI volume read-only", () => {
    const csi = { driver: "file.csi.azure.com", readOnly: true, volumeAttributes: { shareName: "reports", secretName: "files" } };
    assert.deepEqual(volumesOf([{ name: "reports", csi }]), [
      { name: "reports", azureFile: { shareName: "reports", storageAccountName: "mystorage", storageAccountKey: "storage-key==", readOnly: true } },
    ]);
  });

  it("a Secret's listed keys under their paths, and only those", () => {
    const secret = { secretName: "db", items: [{ key: "password", path: "db-password" }] };
    assert.deepEqual(volumesOf([{ name: "creds", secret }]), [{ name: "creds", secret: { "db-password": b64("hunter2") } }]);
  });

  it("an optional Secret that does not exist: an empty volume, and the pod told", () => {
    const translation = translate(withVolumes([{ name: "creds", secret: { secretName: "nope", optional: true } }]));
    assert.deepEqual(translation.body.properties.volumes, [{ name: "creds", secret: {} }]);
    assert.deepEqual(translation.skippedReferences, [{ path: "spec.volumes[0].secret.secretName", kind: "Secret", name: "nope" }]);
  });

  it("an optional Secret's missing key: the file left out, and the pod told", () => {
    const secret = { secretName: "db", optional: true, items: [{ key: "password", path: "p" }, { key: "token", path: "t" }] };
    const translation = translate(withVolumes([{ name: "creds", secret }]));
    assert.deepEqual(translation.body.properties.volumes, [{ name: "creds", secret: { p: b64("hunter2") } }]);
    assert.deepEqual(translation.skippedReferences, [{ path: "spec.volumes[0].secret.items[1].key", kind: "Secret", name: "db", key: "token" }]);
  });
});

describe("volumes: each refusal names its field", () => {
  const onlyName = new Map<string, V1Secret>([...secrets, ["half", { metadata: { name: "half" }, data: { azurestorageaccountname: b64("mystorage") } }]]);
  const onlyKey = new Map<string, V1Secret>([...secrets, ["half", { metadata: { name: "half" }, data: { azurestorageaccountkey: b64("storage-key==") } }]]);
  const needsKeys = 'Secret "half" needs the keys azurestorageaccountname and azurestorageaccountkey';
  const cases: [string, V1Volume, { path: string; message: string }, TranslateOptions?][] = [
    ["a volume name that is no DNS label", { name: "Data", emptyDir: {} }, { path: "spec.volumes[0].name", message: "must be a DNS label: at most 63 lowercase letters, digits and '-'" }],
    ["a memory-backed emptyDir", { name: "cache", emptyDir: { medium: "Memory" } }, { path: "spec.volumes[0].emptyDir.medium", message: "ACI has no memory-backed volumes" }],
    ["a gitRepo without a repository", { name: "code", gitRepo: { repository: "" } }, { path: "spec.volumes[0].gitRepo.repository", message: "is required" }],
    ["a required Secret that does not exist", { name: "creds", secret: { secretName: "nope" } }, { path: "spec.volumes[0].secret.secretName", message: 'Secret "nope" not found' }],
    ["a Secret volume without a name", { name: "creds", secret: {} }, { path: "spec.volumes[0].secret.secretName", message: "is required" }],
    ["an item without a key", { name: "creds", secret: { secretName: "db", items: [{ path: "p" } as never] } }, { path: "spec.volumes[0].secret.items[0].key", message: "is required" }],
    ["an item without a path", { name: "creds", secret: { secretName: "db", items: [{ key: "password" } as never] } }, { path: "spec.volumes[0].secret.items[0].path", message: "is required" }],
    ["an item in a sub-folder", { name: "creds", secret: { secretName: "db", items: [{ key: "password", path: "db/password" }] } }, { path: "spec.volumes[0].secret.items[0].path", message: subFolder("db/password") }],
    ["a required Secret's missing key", { name: "creds", secret: { secretName: "db", items: [{ key: "token", path: "t" }] } }, { path: "spec.volumes[0].secret.items[0].key", message: 'Secret "db" has no key "token"' }],
    ["a downwardAPI item without a path", { name: "info", downwardAPI: { items: [{ fieldRef: { fieldPath: "metadata.name" } } as never] } }, { path: "spec.volumes[0].downwardAPI.items[0].path", message: "is required" }],
    ["a downwardAPI item in a sub-folder", { name: "info", downwardAPI: { items: [{ path: "pod/name", fieldRef: { fieldPath: "metadata.name" } }] } }, { path: "spec.volumes[0].downwardAPI.items[0].path", message: subFolder("pod/name") }],
    [
      "a downwardAPI item of a container's resources",
      { name: "info", downwardAPI: { items: [{ path: "cpu", resourceFieldRef: { resource: "limits.cpu", containerName: "app" } }] } },
      { path: "spec.volumes[0].downwardAPI.items[0]", message: "only fieldRef to pod metadata, spec.nodeName and spec.serviceAccountName is supported" },
    ],
    ["a projected Secret without a name", { name: "all", projected: { sources: [{ secret: {} }] } }, { path: "spec.volumes[0].projected.sources[0].secret.name", message: "is required" }],
    ["a projected ConfigMap that does not exist", { name: "all", projected: { sources: [{ configMap: { name: "nope" } }] } }, { path: "spec.volumes[0].projected.sources[0].configMap.name", message: 'ConfigMap "nope" not found' }],
    [
      "a projected downwardAPI item in a sub-folder",
      { name: "all", projected: { sources: [{ downwardAPI: { items: [{ path: "pod/name", fieldRef: { fieldPath: "metadata.name" } }] } }] } },
      { path: "spec.volumes[0].projected.sources[0].downwardAPI.items[0].path", message: subFolder("pod/name") },
    ],
    [
      "a projected source of another kind (clusterTrustBundle)",
      { name: "all", projected: { sources: [{ clusterTrustBundle: { path: "ca.pem", signerName: "example.com/signer" } }] } },
      { path: "spec.volumes[0].projected.sources[0]", message: "only secret, configMap, downwardAPI and serviceAccountToken sources are supported" },
    ],
    ["an azureFile without a share", { name: "share", azureFile: { secretName: "files", shareName: "" } }, { path: "spec.volumes[0].azureFile.shareName", message: "the Azure Files share name is required" }],
    ["an azureFile without a Secret", { name: "share", azureFile: { secretName: "", shareName: "uploads" } }, { path: "spec.volumes[0].azureFile.secretName", message: "is required" }],
    [
      "a CSI driver other than Azure Files",
      { name: "disk", csi: { driver: "disk.csi.azure.com" } },
      { path: "spec.volumes[0].csi.driver", message: 'only the Azure Files CSI driver (file.csi.azure.com) can be mounted by ACI, not "disk.csi.azure.com"' },
    ],
    ["an Azure Files CSI volume without a share", { name: "reports", csi: { driver: "file.csi.azure.com", volumeAttributes: { secretName: "files" } } }, { path: "spec.volumes[0].csi.volumeAttributes.shareName", message: "the Azure Files share name is required" }],
    [
      "an Azure Files CSI volume's Secret that does not exist",
      { name: "reports", csi: { driver: "file.csi.azure.com", volumeAttributes: { shareName: "reports", secretName: "nope" } } },
      { path: "spec.volumes[0].csi.volumeAttributes.secretName", message: 'Secret "nope" not found' },
    ],
    ["an azureFile Secret without the key", { name: "share", azureFile: { secretName: "half", shareName: "uploads" } }, { path: "spec.volumes[0].azureFile.secretName", message: needsKeys }, { secrets: onlyName }],
    ["an azureFile Secret without the account name", { name: "share", azureFile: { secretName: "half", shareName: "uploads" } }, { path: "spec.volumes[0].azureFile.secretName", message: needsKeys }, { secrets: onlyKey }],
    [
      "a volume kind ACI has no counterpart for (nfs)",
      { name: "nfs", nfs: { server: "10.0.0.4", path: "/exports" } },
      { path: "spec.volumes[0].nfs", message: "nfs volumes are not supported: ACI supports emptyDir, secret, configMap, projected, downwardAPI, azureFile, file.csi.azure.com and gitRepo" },
    ],
  ];
  for (const [description, volume, expected, options] of cases) {
    it(description, () => {
      assert.deepEqual(refusal([volume], options), [expected]);
    });
  }

  it("an azureFile Secret without one key names that key as the missing one", () => {
    const missingKey = (options: TranslateOptions) => problemsOf(withVolumes([{ name: "share", azureFile: { secretName: "half", shareName: "uploads" } }]), options)[0]?.missingReference;
    assert.deepEqual(missingKey({ secrets: onlyName }), { kind: "Secret", name: "half", key: "azurestorageaccountkey" });
    assert.deepEqual(missingKey({ secrets: onlyKey }), { kind: "Secret", name: "half", key: "azurestorageaccountname" });
  });
});
