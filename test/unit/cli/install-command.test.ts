// `aci-connector install` as a user runs it, on this machine without an Azure sign-in: what it must
// settle before it reaches the Azure CLI (its arguments, the secret) and what it must never print.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { projectRoot } from "../../support/paths.js";

const secret = "piped-secret-Zq8~x3.Kp";

function install(args: string[], stdin = "") {
  return spawnSync(process.execPath, [join(projectRoot, "bin", "aci-connector.js"), "install", ...args], {
    encoding: "utf8",
    input: stdin,
    // No Azure sign-in or subscription of this machine's user: a command that gets past its arguments
    // stops at the Azure side (the Azure CLI missing, or not signed in).
    env: { PATH: process.env.PATH, HOME: join(projectRoot, ".local", "no-home") },
    timeout: 60_000,
  });
}

const cluster = ["-n", "cluster", "-g", "rg"];
const principal = ["--service-principal", "11111111-2222-3333-4444-555555555555"];

describe("aci-connector install, before Azure", () => {
  it("reports a bad connector name, and nothing about the Azure CLI, which it has not reached", () => {
    const run = install(["--connector-name", "bad name!", ...cluster]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^--connector-name="bad name!" must be lowercase letters, digits and inner hyphens, at most 30 characters\n/);
    assert.doesNotMatch(run.stderr, /Azure CLI|az login|sign-in/);
  });

  it("takes the service principal's secret piped in, goes on to Azure, and never shows it", () => {
    const run = install(["--connector-name", "vk", ...cluster, ...principal, "--client-secret", "-"], `${secret}\n`);
    assert.equal(run.status, 1, `it got past its arguments and standard input: ${run.stderr}`);
    assert.match(run.stderr, /^aci-connector install failed: /m);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), "the secret shows");
  });

  it("refuses the secret as an argument, naming the ways to give it and not the secret", () => {
    const run = install(["--connector-name", "vk", ...cluster, ...principal, "--client-secret", secret]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^--client-secret takes no secret on the command line, where ps and shell history show it/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), "the secret shows");
  });

  it("says why a piped secret is refused, before Azure and without the secret", () => {
    const run = install(["--connector-name", "vk", ...cluster, ...principal, "--client-secret", "-"], `${secret}\nsecond line\n`);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, "--client-secret -: standard input holds more than one line; give the secret alone\n");
  });
});
