// `--client-secret -`: the secret comes from standard input, whole or not at all, and no error or output
// ever shows it. The command itself is run as a user runs it, its secret piped in.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { readSecretFromStdin } from "../../../cli/secret-input.js";
import { projectRoot } from "../../support/paths.js";

const secret = "piped-secret-Zq8~x3.Kp";
const read = (input: Readable) => readSecretFromStdin(input, "--client-secret", "ACI_CONNECTOR_CLIENT_SECRET");

describe("a secret from standard input", () => {
  it("is the input without its line end, however it is chunked", async () => {
    assert.equal(await read(Readable.from([Buffer.from(`${secret}\n`)])), secret);
    assert.equal(await read(Readable.from([Buffer.from(secret.slice(0, 5)), Buffer.from(`${secret.slice(5)}\r\n`)])), secret);
    assert.equal(await read(Readable.from([Buffer.from(secret)])), secret);
  });

  it("is refused, without showing what was read, when empty, of several lines, too long, or typed at a terminal", async () => {
    const cases: [Readable, RegExp][] = [
      [Readable.from([Buffer.from("\n")]), /^--client-secret -: standard input gave no secret$/],
      [Readable.from([Buffer.from(`${secret}\nsecond-line-${secret}\n`)]), /^--client-secret -: standard input holds more than one line; give the secret alone$/],
      [Readable.from([Buffer.from(secret.repeat(500))]), /^--client-secret -: standard input holds more than 4096 bytes, which is no client secret$/],
      [Object.assign(Readable.from([Buffer.from(secret)]), { isTTY: true }), /^--client-secret - reads the secret from standard input, which is a terminal here: pipe it in .* or set ACI_CONNECTOR_CLIENT_SECRET$/],
    ];
    for (const [input, message] of cases) {
      const error = await read(input).then(() => assert.fail("accepted"), (e: unknown) => e as Error);
      assert.match(error.message, message);
      assert.ok(!error.message.includes(secret.slice(0, 8)));
    }
  });

  const install = (args: string[], stdin: string) =>
    spawnSync(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "install", "--connector-name", "vk", "-n", "cluster", "-g", "rg", "--service-principal", "11111111-2222-3333-4444-555555555555", ...args], {
      encoding: "utf8",
      input: stdin,
      // No Azure sign-in or subscription of this machine's user: the command stops at the Azure side.
      env: { PATH: process.env.PATH, HOME: join(projectRoot, ".local", "no-home") },
      timeout: 60_000,
    });

  it("install takes it piped in and goes on to Azure, never showing it", () => {
    const run = install(["--client-secret", "-"], `${secret}\n`);
    assert.equal(run.status, 1, `it got past its arguments and standard input: ${run.stderr}`);
    assert.match(run.stderr, /^aci-connector install failed: /m);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), "the secret shows");
  });

  it("install refuses the secret as an argument, naming the ways to give it and not the secret", () => {
    const run = install(["--client-secret", secret], "");
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^--client-secret takes no secret on the command line, where ps and shell history show it/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), "the secret shows");
  });
});
