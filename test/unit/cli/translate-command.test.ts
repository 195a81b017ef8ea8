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
});
