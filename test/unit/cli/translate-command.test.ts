// `aci-connector translate` as a user runs it, on the seed's files and on a refused pod.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectRoot, seedDir } from "../../support/paths.js";

const run = (...args: string[]) => spawnSync(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "translate", ...args], { encoding: "utf8" });

describe("aci-connector translate", () => {
  it("prints a valid Linux group for the seed's Linux Deployment, and a Windows one for the other", () => {
    const linux = run("-f", join(seedDir, "virtual-kubelet-linux.yaml"));
    assert.equal(linux.status, 0, linux.stderr);
    const group = JSON.parse(linux.stdout) as { name: string; properties: { osType: string; containers: { properties: { image: string } }[] } };
    assert.match(group.name, /^default-aci-helloworld-translated-[0-9a-f]{16}$/);
    assert.equal(group.properties.osType, "Linux");
    assert.equal(group.properties.containers[0]!.properties.image, "microsoft/aci-helloworld");
    const windows = run("-f", join(seedDir, "virtual-kubelet-windows.yaml"));
    assert.equal((JSON.parse(windows.stdout) as { properties: { osType: string } }).properties.osType, "Windows");
  });

  it("redacts secret values, and exits 2 naming every problem of a refused pod", () => {
    const dir = mkdtempSync(join(tmpdir(), "translate-"));
    const good = join(dir, "good.yaml");
    writeFileSync(good, `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  containers:
  - name: c
    image: nginx
    env: [{ name: PW, valueFrom: { secretKeyRef: { name: s, key: pw } } }]
---
apiVersion: v1
kind: Secret
metadata: { name: s }
data: { pw: ${Buffer.from("hunter2").toString("base64")} }
`);
    const ok = run("-f", good);
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(!ok.stdout.includes("hunter2") && !ok.stdout.includes(Buffer.from("hunter2").toString("base64")));
    assert.match(ok.stdout, /"secureValue": "<redacted>"/);

    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  hostNetwork: true\n  containers: [{ name: c, image: nginx, args: [x] }]\n");
    const refused = run("-f", bad);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /spec\.hostNetwork: is not supported/);
    assert.match(refused.stderr, /spec\.containers\[0\]\.args: ACI has a single command/);
  });

  it("refuses a creationTimestamp that is no time, naming the field, without a stack trace", () => {
    const file = manifest("yesterday.yaml", "apiVersion: v1\nkind: Pod\nmetadata: { name: p, creationTimestamp: yesterday }\nspec:\n  containers: [{ name: c, image: nginx }]\n");
    const refused = run("-f", file);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /metadata\.creationTimestamp: must be a time as Kubernetes writes it \(RFC 3339\)/);
    assert.doesNotMatch(refused.stderr, /RangeError|\n\s+at /);
  });

  it("merges a Secret's stringData into its data, as the API server does, stringData winning", () => {
    const config = (registry: string, user: string) => JSON.stringify({ auths: { [registry]: { username: user, password: "registry-pass" } } });
    const file = manifest(
      "string-data.yaml",
      `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  imagePullSecrets: [{ name: pull }]
  containers: [{ name: c, image: new.example.io/app:1 }]
---
apiVersion: v1
kind: Secret
metadata: { name: pull }
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: ${Buffer.from(config("old.example.io", "old-user")).toString("base64")}
stringData:
  .dockerconfigjson: '${config("new.example.io", "new-user")}'
`,
    );
    const translated = run("-f", file);
    assert.equal(translated.status, 0, translated.stderr);
    const group = JSON.parse(translated.stdout) as { properties: { imageRegistryCredentials: unknown[] } };
    assert.deepEqual(group.properties.imageRegistryCredentials, [{ server: "new.example.io", username: "new-user", password: "<redacted>" }]);
    assert.ok(!translated.stdout.includes("registry-pass"));
  });

  it("says in one line, with exit code 2, that the file cannot be read", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "translate-")), "missing.yaml");
    const result = run("-f", missing);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `aci-connector translate: cannot read ${missing}: no such file\n`);
  });

  it("says in one line where YAML does not parse, never quoting the text around it", () => {
    const file = manifest("broken.yaml", 'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData:\n  token: "hunter2\\q-s3cr3t"\n');
    const result = run("-f", file);
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `aci-connector translate: ${file}:5:18: not valid YAML (bad dq escape)\n`);
    const indented = manifest("indent.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n   namespace: x\n");
    assert.match(run("-f", indented).stderr, /^aci-connector translate: \S+indent\.yaml:\d+:\d+: not valid YAML \([a-z ]+\)\n$/);
    // "Billion laughs": each level ten aliases of the one before.
    const levels = ["a: &l0 [x, x, x, x, x, x, x, x, x, x]", ...[1, 2, 3, 4, 5].map((i) => `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(", ")}]`)];
    const bomb = manifest("bomb.yaml", `${levels.join("\n")}\n`);
    assert.equal(run("-f", bomb).stderr, `aci-connector translate: ${bomb}: not valid YAML (an alias that is unresolved or expands too often)\n`);
  });
});

function manifest(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "translate-")), name);
  writeFileSync(file, text);
  return file;
}

describe("aci-connector translate and the identity settings", () => {
  const runWith = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "translate", ...args], { encoding: "utf8", env: { ...process.env, ACI_PULL_IDENTITY: "", ACI_PULL_REGISTRIES: "", ACI_WORKLOAD_IDENTITIES: "", ...env } });
  const ids = "/subscriptions/s/resourceGroups/ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities";
  const file = manifest(
    "api.yaml",
    `apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { azure.workload.identity/use: "true" } }
spec:
  serviceAccountName: api
  containers: [{ name: c, image: contoso.azurecr.io/api:1 }]
`,
  );

  it("reads them from the environment, as the connector does: a labelled pod gets its allowed identity, or is refused", () => {
    const allowList = JSON.stringify({ "shop/api": { clientId: "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b", resourceId: `${ids}/shop-api` } });
    const allowed = runWith({ ACI_PULL_IDENTITY: `${ids}/acr-pull`, ACI_WORKLOAD_IDENTITIES: allowList }, "-f", file);
    assert.equal(allowed.status, 0, allowed.stderr);
    const group = JSON.parse(allowed.stdout) as { identity: { userAssignedIdentities: Record<string, unknown> }; properties: { imageRegistryCredentials: unknown } };
    assert.deepEqual(Object.keys(group.identity.userAssignedIdentities), [`${ids}/acr-pull`, `${ids}/shop-api`]);
    assert.deepEqual(group.properties.imageRegistryCredentials, [{ server: "contoso.azurecr.io", identity: `${ids}/acr-pull` }]);
    const refused = runWith({}, "-f", file);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /spec\.serviceAccountName: service account "shop\/api" may not carry an Azure identity/);
  });

  it("exits 2 naming a bad identity setting", () => {
    const bad = runWith({ ACI_WORKLOAD_IDENTITIES: "nope" }, "-f", file);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /ACI_WORKLOAD_IDENTITIES is not JSON/);
  });
});
