// What the connector emitted during a test run (log lines, errors, Events and pod statuses it wrote),
// kept in files so the audit group can read every one at the end of the run (test/audit/).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** test/run.ts puts a fresh directory for this run's connector output here. */
export const testOutputEnvVar = "ACI_CONNECTOR_TEST_OUTPUT";

/** Secret values the end-to-end tests put into Secrets, pull secrets, settings and tokens. Distinctive, so a scan finds any copy. */
export const testSecretValues = {
  envSecret: "t0p-s3cr3t-env-9f2c41d7",
  pullPassword: "t0p-s3cr3t-pull-77ab10e3",
  fileSecret: "t0p-s3cr3t-file-c0ffee42",
} as const;

/** Writes one file of what a connector emitted; nothing when the run keeps no output. */
export function saveConnectorOutput(name: string, lines: readonly string[]): void {
  const dir = process.env[testOutputEnvVar];
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}-${process.pid}-${Date.now()}.log`), `${lines.join("\n")}\n`);
}

/** Notes that the secret values were really used in this run (so a clean scan means something). */
export function noteSecretsUsed(what: string): void {
  saveConnectorOutput("secrets-used", [what]);
}

export function readConnectorOutput(): { files: string[]; lines: string[]; secretsUsed: string[] } {
  const dir = process.env[testOutputEnvVar];
  if (dir === undefined) return { files: [], lines: [], secretsUsed: [] };
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".log"));
  } catch {
    return { files: [], lines: [], secretsUsed: [] };
  }
  const read = (f: string) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l !== "");
  return {
    files: names.filter((f) => !f.startsWith("secrets-used-")),
    lines: names.filter((f) => !f.startsWith("secrets-used-")).flatMap(read),
    secretsUsed: names.filter((f) => f.startsWith("secrets-used-")).flatMap(read),
  };
}
