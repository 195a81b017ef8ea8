// Benchmark: what virtual node heartbeats cost, per node per minute, on the API server and on ARM.
// Time is simulated (the heartbeat's clock advances 10 s per tick, its Azure schedule), so five minutes
// of heartbeats take seconds; the requests are real, counted by the API server and by the emulator.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { virtualNodeName } from "../../shared/translate/virtual-node.js";
import { apiServerRequestCounts, countsSince, type RequestCounts } from "../support/api-server-metrics.js";
import { testCluster } from "../support/cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "../support/connector-under-test.js";
import { startTestEmulator } from "../support/emulator.js";

const cluster = testCluster();
const connectorName = "bench-heartbeat";
const location = "westeurope";
const nodes = (["Linux", "Windows"] as const).map((os) => virtualNodeName({ connectorName, location, os }));
const tickSeconds = 10;

describe("benchmark: heartbeat calls per node per minute", () => {
  let connector: ConnectorUnderTest | undefined;
  after(async () => {
    await connector?.unregister();
  });

  it("prints API server and ARM calls for registration and for steady state", { timeout: 120_000 }, async () => {
    const emulator = await startTestEmulator({ location });
    let now = Date.now();
    connector = await connectorUnderTest({ cluster, emulator, connectorName, location, osTypes: ["Linux", "Windows"], clock: { now: () => new Date(now) } });
    const registering = connector;
    /** One minute of heartbeats, preceded by install's registration of the nodes when asked. */
    const minute = async (register = false): Promise<{ api: RequestCounts; arm: Record<string, number> }> => {
      const before = await apiServerRequestCounts(cluster);
      emulator.control.resetCounters();
      if (register) await registering.register();
      for (let t = 0; t < 60 / tickSeconds; t++) {
        const report = await registering.beat();
        assert.deepEqual(report.nodes.filter((n) => n.outcome === "failed"), []);
        now += tickSeconds * 1000;
      }
      return { api: countsSince(before, await apiServerRequestCounts(cluster)), arm: emulator.control.counters() };
    };

    try {
      const registration = await minute(true);
      const steady = [await minute(), await minute(), await minute(), await minute()];
      const perNodePerMinute = (pick: (m: { api: RequestCounts; arm: Record<string, number> }) => number, minutes: typeof steady) =>
        minutes.reduce((sum, m) => sum + pick(m), 0) / minutes.length / nodes.length;
      const sum = (counts: RequestCounts, verbs: readonly string[]) =>
        [...counts].filter(([k]) => verbs.includes(k.split(" ")[0]!) && /^(\S+) (nodes|leases)/.test(k)).reduce((s, [, v]) => s + v, 0);
      const writes = (m: { api: RequestCounts }) => sum(m.api, ["POST", "PATCH", "PUT", "DELETE"]);
      const reads = (m: { api: RequestCounts }) => sum(m.api, ["GET"]);
      const armReads = (m: { arm: Record<string, number> }) => Object.values(m.arm).reduce((s, v) => s + v, 0);

      const rows = [
        ["", "install + first minute", "steady state (4 min avg)"],
        ["API server writes / node / min", (writes(registration) / nodes.length).toFixed(1), perNodePerMinute(writes, steady).toFixed(1)],
        ["API server reads / node / min", (reads(registration) / nodes.length).toFixed(1), perNodePerMinute(reads, steady).toFixed(1)],
        ["ARM reads / min (all nodes)", String(armReads(registration)), (steady.reduce((s, m) => s + armReads(m), 0) / steady.length).toFixed(1)],
      ];
      console.log(`heartbeat calls, ${nodes.length} nodes, ${tickSeconds} s ticks, status every 60 s:`);
      for (const r of rows) console.log(`  ${r[0]!.padEnd(32)} ${r[1]!.padStart(20)} ${r[2]!.padStart(26)}`);
      console.log(`  steady-state API requests by kind (one minute): ${[...steady[3]!.api].filter(([k]) => /(nodes|leases)/.test(k)).map(([k, v]) => `${k}=${v}`).join(", ")}`);

      // Sanity only (figures are printed, not asserted as goals): every tick renewed every Lease, and
      // ARM was asked at most once a minute.
      assert.ok(perNodePerMinute(writes, steady) >= 6);
      assert.ok(steady.every((m) => armReads(m) <= 1));
    } finally {
      await emulator.stop();
    }
  });
});
