// An Event Grid subscription for the local run and the tests: the same contract (at-least-once,
// unordered, retried on failure), without the cloud. publish() returns at once; delivery happens
// afterwards. It carries the doorbells to podEvents, and the emulator's ARM events to aciEvents.
import type { PodChanged } from "./pod-changed.js";

export interface InProcessRelayOptions<Event> {
  /** The subscriber: a function's handler. A rejection is retried, as Event Grid retries a failed delivery. */
  readonly deliver: (event: Event) => Promise<void>;
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  readonly onDeadLetter?: (event: Event, error: unknown) => void;
}

export interface InProcessRelay<Event = PodChanged> {
  publish(event: Event, options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** Resolves when every delivery started so far has finished (tests use it to wait for quiet). */
  drain(): Promise<void>;
}

export function createInProcessRelay<Event = PodChanged>(options: InProcessRelayOptions<Event>): InProcessRelay<Event> {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const inFlight = new Set<Promise<void>>();

  const attempt = async (event: Event) => {
    for (let n = 1; ; n++) {
      try {
        await options.deliver(event);
        return;
      } catch (error) {
        if (n >= maxAttempts) {
          options.onDeadLetter?.(event, error);
          return;
        }
        await new Promise((r) => setTimeout(r, retryDelayMs * 2 ** (n - 1)));
      }
    }
  };

  return {
    publish(event) {
      // A macrotask, so the publisher never runs the subscriber on its own stack (as over a network).
      const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(() => attempt(event));
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
      return Promise.resolve();
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
