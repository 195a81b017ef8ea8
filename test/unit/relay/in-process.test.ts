import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createInProcessRelay, eventGridRetryScheduleMs } from "../../../shared/relay/in-process.js";
import type { PodChanged } from "../../../shared/relay/pod-changed.js";

const event: PodChanged = { namespace: "default", name: "p" };

describe("the in-process relay", () => {
  it("delivers after publish returns, not on the publisher's stack", async () => {
    const delivered: PodChanged[] = [];
    const relay = createInProcessRelay({ deliver: (e) => (delivered.push(e), Promise.resolve()) });
    await relay.publish(event);
    assert.deepEqual(delivered, []);
    await relay.drain();
    assert.deepEqual(delivered, [event]);
  });

  it("retries a failed delivery (at least once), then gives up to the dead-letter callback", async () => {
    let attempts = 0;
    const deadLetters: unknown[] = [];
    const relay = createInProcessRelay({
      deliver: () => (++attempts < 3 ? Promise.reject(new Error(`attempt ${attempts}`)) : Promise.resolve()),
      retryScheduleMs: [1, 1, 1],
      onDeadLetter: (_e, error) => deadLetters.push(error),
    });
    await relay.publish(event);
    await relay.drain();
    assert.equal(attempts, 3);
    assert.equal(deadLetters.length, 0);

    let hopelessAttempts = 0;
    const hopeless = createInProcessRelay({
      deliver: () => (hopelessAttempts++, Promise.reject(new Error("always"))),
      retryScheduleMs: [1],
      onDeadLetter: (_e, error) => deadLetters.push(error),
    });
    await hopeless.publish(event);
    await hopeless.drain();
    assert.equal(hopelessAttempts, 2, "the first attempt and one retry for each wait in the schedule");
    assert.deepEqual(deadLetters.map((e) => (e as Error).message), ["always"]);
  });

  it("retries as Event Grid does unless told otherwise: after 10 s, 30 s, 1, 5, 10 and 30 minutes and an hour", () => {
    assert.deepEqual(eventGridRetryScheduleMs, [10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000]);
  });

  it("waits the schedule's time before each retry", async () => {
    const at: number[] = [];
    const relay = createInProcessRelay({ deliver: () => (at.push(performance.now()), Promise.reject(new Error("down"))), retryScheduleMs: [50, 150] });
    await relay.publish(event);
    await relay.drain();
    assert.equal(at.length, 3);
    // Timers may fire a millisecond early, never much.
    assert.ok(at[1]! - at[0]! >= 49 && at[2]! - at[1]! >= 149, `retries after ${at[1]! - at[0]!} and ${at[2]! - at[1]!} ms`);
  });

  it("stop() drops the retries still waiting, and nothing more is delivered", async () => {
    let attempts = 0;
    const deadLetters: unknown[] = [];
    const relay = createInProcessRelay({ deliver: () => (attempts++, Promise.reject(new Error("down"))), onDeadLetter: (_e, error) => deadLetters.push(error) });
    await relay.publish(event);
    while (attempts === 0) await new Promise((r) => setImmediate(r));
    relay.stop();
    // Event Grid's first retry would be 10 s away: drain returns at once instead.
    const started = performance.now();
    await relay.drain();
    assert.ok(performance.now() - started < 1_000);
    await relay.publish(event);
    await relay.drain();
    assert.deepEqual([attempts, deadLetters.length], [1, 0]);
  });
});
