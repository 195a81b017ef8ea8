// Benchmark: what virtual node heartbeats cost, per node per minute, on the API server and on ARM.
// Time is simulated (the heartbeat's clock advances one tick of its Azure schedule, functions/triggers.ts,
// per beat), so minutes of heartbeats take seconds; the requests are real. The API server counts the
// connector's requests only (its own user and the node users it acts as, through API Priority and
// Fairness: test/support/api-server-metrics.ts); the emulator counts ARM's.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { everySeconds } from "../../functions/schedule.js";
import { triggers } from "../../functions/triggers.js";
import { nodeUser } from "../../shared/kube/node-identity.js";
import { virtualNodeName } from "../../shared/translate/virtual-node.js";
import { countRequestsByUser, countsSince, type RequestCounts, type RequestKind, type RequestsByUser } from "../support/api-server-metrics.js";
import { testCluster } from "../support/cluster.js";
import { connectorUnderTest, type ConnectorUnderTest } from "../support/connector-under-test.js";
import { startTestEmulator } from "../support/emulator.js";

const cluster = testCluster();
const connectorName = "bench-heartbeat";
const location = "westeurope";
const nodes = (["Linux", "Windows"] as const).map((os) => virtualNodeName({ connectorName, location, os }));
const tickSeconds = everySeconds(triggers.heartbeat.schedule);
const readVerbs = ["get", "list", "watch"] as const;
const writeVerbs = ["create", "update", "patch", "delete"] as const;
const kinds: RequestKind[] = [
  ...["nodes", "nodes/status", "leases"].flatMap((resource) => [...readVerbs, ...writeVerbs].map((verb): RequestKind => `${verb} ${resource}`)),
  // The Kubernetes version the node status reports.
  "get /version",
];

describe("benchmark: heartbeat calls per node per minute", () => {
  let connector: ConnectorUnderTest | undefined;
  let counting: RequestsByUser | undefined;
  after(async () => {
    await counting?.remove();
    await connector?.unregister();
  });

  it("prints the connector's API server and ARM calls for its first minute and for steady state", { timeout: 180_000 }, async () => {
    const emulator = await startTestEmulator({ location });
    let now = Date.now();
    connector = await connectorUnderTest({ cluster, emulator, connectorName, location, osTypes: ["Linux", "Windows"], clock: { now: () => new Date(now) } });
    counting = await countRequestsByUser(cluster, { name: "bench-heartbeat", users: [connector.identity.user, ...nodes.map(nodeUser)], kinds });
    const measuring = counting;
    const registering = connector;
    const statusSeconds = connector.settings.nodeStatusIntervalSeconds;
    /** One minute of heartbeats, after install's registration of the nodes when asked (install's calls, as admin, are not the connector's). */
    const minute = async (register = false): Promise<{ api: RequestCounts; arm: Record<string, number> }> => {
      if (register) await registering.register();
      const before = await measuring.snapshot();
      emulator.control.resetCounters();
      for (let t = 0; t < 60 / tickSeconds; t++) {
        const report = await registering.beat();
        assert.deepEqual(report.nodes.filter((n) => n.outcome === "failed"), []);
        now += tickSeconds * 1000;
      }
      return { api: countsSince(before, await measuring.snapshot()), arm: emulator.control.counters() };
    };

    try {
      const first = await minute(true);
      const steady = [await minute(), await minute(), await minute(), await minute()];
      const perNodePerMinute = (pick: (m: { api: RequestCounts; arm: Record<string, number> }) => number, minutes: typeof steady) =>
        minutes.reduce((sum, m) => sum + pick(m), 0) / minutes.length / nodes.length;
      /** Requests on Nodes and Leases with these verbs. */
      const sum = (counts: RequestCounts, verbs: readonly string[]) => [...counts].filter(([k]) => !k.includes(" /") && verbs.includes(k.split(" ")[0]!)).reduce((s, [, v]) => s + v, 0);
      const writes = (m: { api: RequestCounts }) => sum(m.api, writeVerbs);
      const reads = (m: { api: RequestCounts }) => sum(m.api, readVerbs);
      const others = (m: { api: RequestCounts }) => (m.api.get("get /version") ?? 0) + (m.api.get("other") ?? 0);
      const armReads = (m: { arm: Record<string, number> }) => Object.values(m.arm).reduce((s, v) => s + v, 0);

      const rows = [
        ["", "first minute", "steady state (4 min avg)"],
        ["API server writes / node / min", (writes(first) / nodes.length).toFixed(1), perNodePerMinute(writes, steady).toFixed(1)],
        ["API server reads / node / min", (reads(first) / nodes.length).toFixed(1), perNodePerMinute(reads, steady).toFixed(1)],
        ["other (/version, rest) / node / min", (others(first) / nodes.length).toFixed(1), perNodePerMinute(others, steady).toFixed(1)],
        ["ARM reads / min (all nodes)", String(armReads(first)), (steady.reduce((s, m) => s + armReads(m), 0) / steady.length).toFixed(1)],
      ];
      console.log(`heartbeat calls of the connector's own identities, ${nodes.length} nodes, ${tickSeconds} s ticks (functions/triggers.ts), status every ${statusSeconds} s:`);
      for (const r of rows) console.log(`  ${r[0]!.padEnd(32)} ${r[1]!.padStart(14)} ${r[2]!.padStart(26)}`);
      console.log(`  steady-state API requests by kind (one minute): ${[...steady[3]!.api].filter(([, v]) => v > 0).map(([k, v]) => `${k}=${v}`).join(", ")}`);

      // Sanity only (figures are printed, not asserted as goals): every tick renewed every Lease, nothing
      // unexpected was asked, and ARM was asked at most once a minute.
      assert.ok(steady.every((m) => (m.api.get("update leases") ?? 0) + (m.api.get("patch leases") ?? 0) >= nodes.length * (60 / tickSeconds)), "a Lease renewal per node per tick");
      assert.ok(steady.every((m) => armReads(m) <= 1));
    } finally {
      await emulator.stop();
    }
  });
});
