import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createInProcessRelay } from "../../../shared/relay/in-process.js";
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
      retryDelayMs: 1,
      onDeadLetter: (_e, error) => deadLetters.push(error),
    });
    await relay.publish(event);
    await relay.drain();
    assert.equal(attempts, 3);
    assert.equal(deadLetters.length, 0);

    let hopelessAttempts = 0;
    const hopeless = createInProcessRelay({
      deliver: () => (hopelessAttempts++, Promise.reject(new Error("always"))),
      retryDelayMs: 1,
      maxAttempts: 2,
      onDeadLetter: (_e, error) => deadLetters.push(error),
    });
    await hopeless.publish(event);
    await hopeless.drain();
    assert.equal(hopelessAttempts, 2, "maxAttempts counts every attempt, the first included");
    assert.deepEqual(deadLetters.map((e) => (e as Error).message), ["always"]);
  });

  it("makes five attempts unless told otherwise, then dead-letters once", async () => {
    let attempts = 0;
    const deadLetters: unknown[] = [];
    const relay = createInProcessRelay({ deliver: () => (attempts++, Promise.reject(new Error("down"))), retryDelayMs: 1, onDeadLetter: (_e, error) => deadLetters.push(error) });
    await relay.publish(event);
    await relay.drain();
    assert.equal(attempts, 5);
    assert.equal(deadLetters.length, 1);
  });
});
