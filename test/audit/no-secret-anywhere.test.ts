// No secret in logs, Events, pod status or errors: every line the connector emitted in this run's
// integration and bench groups (test/support/test-output.ts), scanned for the values the tests put into
// Secrets, pull secrets and settings.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readConnectorOutput, testSecretValues } from "../support/test-output.js";

describe("no secret anywhere the connector writes", () => {
  it("holds for every log line, error, Event and pod status of the end-to-end tests", (t) => {
    const output = readConnectorOutput();
    if (output.secretsUsed.length === 0) {
      t.skip("no end-to-end test put the test secrets into the cluster in this run (run the integration group first)");
      return;
    }
    const leaks = output.lines.flatMap((line) => Object.entries(testSecretValues).filter(([, value]) => line.includes(value)).map(([name]) => `${name}: ${line.slice(0, 200)}`));
    console.log(`scanned ${output.lines.length} lines from ${output.files.length} connectors; secrets were used by: ${output.secretsUsed.join("; ")}`);
    assert.deepEqual(leaks, []);
    assert.ok(output.lines.some((l) => l.startsWith("event ")) && output.lines.some((l) => l.startsWith("status ")), "the scan saw Events and statuses");
  });
});
