// The connector's ARM client paced by ARM's token buckets (shared/aci/arm-pacing.ts), through the real
// SDK against the emulator's buckets: a burst larger than the bucket goes out at the refill's pace and
// none of it is refused, an urgent read passing it; the same burst unpaced is partly answered 429.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createArmPacer } from "../../shared/aci/arm-pacing.js";
import { createArmThrottle } from "../../shared/aci/arm-throttle.js";
import { createAciClient } from "../../shared/aci/client.js";
import { createAciHealthProbe } from "../../shared/aci/location-health.js";
import { createContainerGroups } from "../../shared/aci/container-groups.js";
import { systemClock } from "../../shared/runtime/clock.js";
import { emulatorCredential } from "../../shared/runtime/credential.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const reads = { bucket: 10, refillPerSecond: 10 };

const clientOf = (emulator: TestEmulator, paced: boolean) =>
  createAciClient({
    settings: { subscriptionId: emulator.subscriptionId, armEndpoint: emulator.endpoint, armCaFile: emulator.caFile },
    credential: emulatorCredential,
    retryOptions: { maxRetries: 0 },
    throttle: createArmThrottle(systemClock),
    ...(paced && { pacer: createArmPacer(systemClock, { reads, writes: { bucket: 200, refillPerSecond: 10 }, deletes: { bucket: 200, refillPerSecond: 10 } }) }),
  });

/** Runs `test` against an emulator with the small read bucket above, stopped afterwards. */
async function onEmulator(test: (emulator: TestEmulator) => Promise<void>): Promise<void> {
  const emulator = await startTestEmulator({ throttling: { reads: { capacity: reads.bucket, refillPerSecond: reads.refillPerSecond } } });
  try {
    await test(emulator);
  } finally {
    await emulator.stop();
  }
}

const groupsOf = (emulator: TestEmulator, client: ReturnType<typeof clientOf>) => createContainerGroups(client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, resourceGroup: "aci-rg" });
const throttledAnswers = (emulator: TestEmulator) => emulator.control.answers().filter((a) => a.status === 429).length;

/** `count` reads sent at once; what each ended as. */
async function burst(emulator: TestEmulator, paced: boolean, count: number): Promise<string[]> {
  const client = clientOf(emulator, paced);
  const read = async () => {
    for await (const _ of client.location.listUsage("westeurope")) void _;
  };
  const outcomes = await Promise.allSettled(Array.from({ length: count }, read));
  return outcomes.map((o) => (o.status === "fulfilled" ? "ok" : "refused"));
}

describe("the connector's ARM client paced by ARM's buckets", () => {
  it("sends a burst of twice the bucket at the refill's pace: every read answered, none throttled", () =>
    onEmulator(async (emulator) => {
      const started = Date.now();
      const outcomes = await burst(emulator, true, 20);
      assert.deepEqual(outcomes, Array(20).fill("ok"));
      assert.equal(throttledAnswers(emulator), 0);
      // 5 at once (half a second of refill is left in the bucket), 15 more at 10 a second.
      assert.ok(Date.now() - started >= 1_400, `20 reads took ${Date.now() - started} ms`);
    }));

  it("answers an ARM event's read (urgent) before the reads of a burst that came first", () =>
    onEmulator(async (emulator) => {
      const groups = groupsOf(emulator, clientOf(emulator, true));
      const answered: string[] = [];
      let sixAnswered: () => void;
      const sixth = new Promise<void>((resolve) => (sixAnswered = resolve));
      const read = (name: string, urgent: boolean) =>
        groups.get(name, { urgent }).then(() => {
          answered.push(name);
          if (answered.length === 6) sixAnswered();
        });
      const doorbells = Array.from({ length: 30 }, (_, i) => read(`doorbell-${i}`, false));
      // The event comes once the doorbells are in line (5 at once, then one every 100 ms): about 24 wait.
      // Counted by answers, not by a timer, so a busy machine that runs late changes nothing.
      await sixth;
      await Promise.all([...doorbells, read("event", true)]);
      // Sent with the next token, or the one after if it came while one was being handed out; a stall of
      // this process lets a few more doorbells go first. Sent in turn, it would be answered last.
      const doorbellsAfterEvent = answered.length - 1 - answered.indexOf("event");
      assert.ok(doorbellsAfterEvent >= 18, answered.join(" "));
      assert.equal(throttledAnswers(emulator), 0);
    }));

  it("sends the heartbeat's probe of ARM past a line of reads longer than its deadline: ARM answers, ACI is available", () =>
    onEmulator(async (emulator) => {
      const client = clientOf(emulator, true);
      const groups = groupsOf(emulator, client);
      // 60 reads at 10 a second: the last waits some 5.5 s in this instance's line, twice the probe's deadline.
      const doorbells = Array.from({ length: 60 }, (_, i) => groups.get(`doorbell-${i}`));
      const probe = createAciHealthProbe(client, { armEndpoint: emulator.endpoint, subscriptionId: emulator.subscriptionId, location: "westeurope" });
      const health = await probe.probe({ abortSignal: AbortSignal.timeout(2_000) });
      await Promise.all(doorbells);
      assert.deepEqual(health, { healthy: true, quota: { containerGroups: 100, standardCores: 100 } });
      assert.equal(throttledAnswers(emulator), 0);
    }));

  it("unpaced, the same burst is refused beyond the bucket", () =>
    onEmulator(async (emulator) => {
      const outcomes = await burst(emulator, false, 20);
      assert.ok(outcomes.filter((o) => o === "refused").length >= 5, outcomes.join(" "));
      assert.ok(emulator.control.answers().some((a) => a.status === 429));
    }));
});
