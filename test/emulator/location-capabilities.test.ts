// The connector's adapter for a region's capabilities (shared/aci/location-capabilities.ts) against the
// emulator, through the real SDK: what it reads, how long it keeps it, what it does when ARM fails or is
// slow. Time for keeping is the test's clock; the deadline of a read is real time.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { capabilitiesRecordedInEastUs2021 } from "../../dev/emulator/index.js";
import { armBudget } from "../../shared/aci/arm-budget.js";
import { createLocationCapabilities, type CapabilitiesReading } from "../../shared/aci/location-capabilities.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const operation = "location.listCapabilities";
const minute = 60_000;

/** The reading as figures: "os/ip/gpu maxCpu/maxMemoryInGB" per row, or why it is unknown. */
const summary = (reading: CapabilitiesReading) =>
  "capabilities" in reading
    ? reading.capabilities.rows.map((r) => `${r.osType}/${r.ipAddressType}/${r.gpu} ${r.capabilities?.maxCpu}/${r.capabilities?.maxMemoryInGB}`)
    : reading.unknown;

describe("the region's capabilities, read and kept", () => {
  let emulator: TestEmulator;
  const now = { ms: Date.parse("2026-11-25T10:00:00Z") };
  const clock = { now: () => new Date(now.ms) };
  const reads = () => emulator.control.counters()[operation] ?? 0;
  beforeEach(async () => (emulator = await startTestEmulator({ capabilities: { westus: capabilitiesRecordedInEastUs2021 } })));
  afterEach(() => emulator.stop());

  it("reads the region's rows once for many callers, keeps them for an hour, then reads again", async () => {
    const capabilities = createLocationCapabilities(emulator.client, "westus", clock);
    const first = await Promise.all([1, 2, 3, 4, 5].map(() => capabilities.read()));
    assert.equal(reads(), 1, "one read for five waiting callers");
    assert.deepEqual(summary(first[0]!).slice(0, 4), ["NotSpecified/Public/None 4/16", "NotSpecified/Private/None 4/16", "Linux/Public/None 4/16", "Linux/Private/None 72/148"]);
    assert.equal("capabilities" in first[0]! && first[0].capabilities.location, "westus");
    now.ms += armBudget.capabilities.keepMs - 1;
    await capabilities.read();
    assert.equal(reads(), 1, "kept within the hour");
    now.ms += 1;
    await capabilities.read();
    assert.equal(reads(), 2, "read again after it");
  });

  it("keeps the rows it read when a later read fails, and tries again only after a minute", async () => {
    const capabilities = createLocationCapabilities(emulator.client, "westus", clock);
    const before = summary(await capabilities.read());
    emulator.control.injectFault({ operation, status: 503, code: "ServiceUnavailable", message: "down" });
    now.ms += armBudget.capabilities.keepMs;
    assert.deepEqual(summary(await capabilities.read()), before, "the rows read before");
    const afterFailure = reads();
    now.ms += minute - 1;
    await capabilities.read();
    assert.equal(reads(), afterFailure, "no read within the minute after a failure");
    emulator.control.clearFaults();
    now.ms += 1;
    await capabilities.read();
    assert.equal(reads(), afterFailure + 1, "read again a minute after");
  });

  it("says why when none could be read (ARM's status and code), and reads them a minute later", async () => {
    emulator.control.injectFault({ operation, status: 403, code: "AuthorizationFailed", message: "no access" });
    const capabilities = createLocationCapabilities(emulator.client, "westus", clock);
    const reading = await capabilities.read();
    assert.ok("unknown" in reading);
    assert.match(reading.unknown, /^reading ACI's capabilities in westus failed: 403 AuthorizationFailed/);
    emulator.control.clearFaults();
    assert.ok("unknown" in (await capabilities.read()), "not read again at once");
    now.ms += minute;
    assert.equal(summary(await capabilities.read()).length, 8);
  });

  it("gives up on a read after its deadline: unknown, not a caller stuck", { timeout: 30_000 }, async () => {
    emulator.control.injectFault({ operation, delayMs: armBudget.capabilities.readTimeoutMs + 1_000, count: 1 });
    const capabilities = createLocationCapabilities(emulator.client, "westus", clock);
    const started = Date.now();
    const reading = await capabilities.read();
    const took = Date.now() - started;
    assert.ok("unknown" in reading, JSON.stringify(reading));
    assert.ok(took >= armBudget.capabilities.readTimeoutMs - 100 && took < armBudget.capabilities.readTimeoutMs + 4_000, `took ${took} ms`);
  });
});
