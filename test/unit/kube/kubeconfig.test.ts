// A kubeconfig the connector cannot use fails every invocation, so its error lands in every invocation's
// log: it must say which setting is wrong and where, and never quote the file (tokens, keys).
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { KubeconfigError, loadKubeConfig } from "../../../shared/kube/kubeconfig.js";

const fakeToken = "FAKE-TOKEN-7f3c9a1e5b2d4c6a8e0f";
const fakeKey = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCkZBS0VLRVk=";

function kubeconfig(userLines: string): string {
  return `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: c
  context: {cluster: c, user: u}
users:
- name: u
  user:
${userLines}
`;
}

const base64 = (text: string) => ({ kind: "kubeconfig" as const, base64: Buffer.from(text).toString("base64") });

/** The error, checked to be a KubeconfigError that shows no secret however it is printed or logged. */
async function failure(load: Promise<unknown>): Promise<KubeconfigError> {
  const error = await load.then(
    () => assert.fail("loaded"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof KubeconfigError, `not a KubeconfigError: ${String(error)}`);
  for (const shown of [error.message, error.stack ?? "", inspect(error, { depth: 10 }), JSON.stringify(error)]) {
    for (const secret of [fakeToken, fakeKey, fakeToken.slice(0, 12), fakeKey.slice(0, 12)]) assert.ok(!shown.includes(secret), `shows ${secret}: ${shown}`);
  }
  return error;
}

describe("loading a kubeconfig", () => {
  it("names the setting, the mistake and its line and column, and quotes none of the lines around it", async () => {
    const badIndentation = kubeconfig(`    token: ${fakeToken}\n    client-key-data: ${fakeKey}\n   extra: indentation`);
    const error = await failure(loadKubeConfig(base64(badIndentation)));
    assert.equal(error.message, "KUBECONFIG_BASE64 is not a usable kubeconfig: invalid YAML: bad indentation of a mapping entry at line 16, column 4");
  });

  it("names the file too when it comes from KUBECONFIG", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "kubeconfig-")), "config");
    await writeFile(path, kubeconfig(`    token: "${fakeToken}\n    client-key-data: ${fakeKey}`));
    const error = await failure(loadKubeConfig({ kind: "kubeconfig", path }));
    assert.match(error.message, new RegExp(`^KUBECONFIG \\(${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\) is not a usable kubeconfig: invalid YAML: unexpected end of the stream within a double quoted scalar at line \\d+, column \\d+$`));
  });

  it("cuts out what the parser's reason itself quotes from the document", async () => {
    const alias = await failure(loadKubeConfig(base64(kubeconfig(`    token: *${fakeToken}`))));
    assert.equal(alias.message, "KUBECONFIG_BASE64 is not a usable kubeconfig: invalid YAML: unidentified alias (…) at line 14, column 44");
    const tag = await failure(loadKubeConfig(base64(kubeconfig(`    token: !<${fakeToken}> x`))));
    assert.match(tag.message, /invalid YAML: unknown tag \(…\) at line 14/);
  });

  it("says what is missing from a kubeconfig that parses", async () => {
    const noUserName = kubeconfig(`    token: ${fakeToken}`).replace("- name: u\n", "-\n");
    assert.match((await failure(loadKubeConfig(base64(noUserName)))).message, /^KUBECONFIG_BASE64 is not a usable kubeconfig: users\[0\]\.name is missing$/);
    const encodedTwice = Buffer.from(base64(kubeconfig(`    token: ${fakeToken}`)).base64).toString("base64");
    assert.equal((await failure(loadKubeConfig({ kind: "kubeconfig", base64: encodedTwice }))).message, "KUBECONFIG_BASE64 is not a usable kubeconfig: its current-context names no cluster");
  });

  it("says a file cannot be read, and why", async () => {
    const error = await failure(loadKubeConfig({ kind: "kubeconfig", path: "/nonexistent/kubeconfig" }));
    assert.equal(error.message, "KUBECONFIG (/nonexistent/kubeconfig) is not a usable kubeconfig: cannot read it (ENOENT)");
  });

  it("loads a good one", async () => {
    const kc = await loadKubeConfig(base64(kubeconfig(`    token: ${fakeToken}`)));
    assert.equal(kc.getCurrentCluster()?.server, "https://127.0.0.1:6443");
    assert.equal(kc.getCurrentUser()?.token, fakeToken);
  });
});
