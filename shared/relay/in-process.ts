// An Event Grid subscription for the local run and the tests: the same contract (at-least-once,
// unordered, retried on failure), without the cloud. publish() returns at once; delivery happens
// afterwards. It carries the doorbells to podEvents, and the emulator's ARM events to aciEvents.
import type { PodChanged } from "./pod-changed.js";

/**
 * Event Grid's own retry schedule after a failed delivery, through the first hour (the pod-events
 * subscription's time to live, infra/modules/event-subscriptions.bicep): 10 s, 30 s, 1 min, 5 min,
 * 10 min, 30 min, 1 h (learn.microsoft.com/azure/event-grid/delivery-and-retry, "Retry schedule").
 */
export const eventGridRetryScheduleMs: readonly number[] = [10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000];

export interface InProcessRelayOptions<Event> {
  /** The subscriber: a function's handler. A rejection is retried, as Event Grid retries a failed delivery. */
  readonly deliver: (event: Event) => Promise<void>;
  /** The wait before each retry; its length is the number of retries (default: Event Grid's). */
  readonly retryScheduleMs?: readonly number[];
  readonly onDeadLetter?: (event: Event, error: unknown) => void;
}

export interface InProcessRelay<Event = PodChanged> {
  publish(event: Event, options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** Resolves when every delivery started so far has finished (tests use it to wait for quiet). */
  drain(): Promise<void>;
  /** Drops the retries still waiting (as a process that exits would) and delivers nothing more. */
  stop(): void;
}

export function createInProcessRelay<Event = PodChanged>(options: InProcessRelayOptions<Event>): InProcessRelay<Event> {
  const schedule = options.retryScheduleMs ?? eventGridRetryScheduleMs;
  const inFlight = new Set<Promise<void>>();
  const waits = new Map<NodeJS.Timeout, () => void>();
  let stopped = false;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => (waits.delete(timer), resolve()), ms);
      waits.set(timer, resolve);
    });

  const attempt = async (event: Event) => {
    for (let retry = 0; !stopped; retry++) {
      try {
        await options.deliver(event);
        return;
      } catch (error) {
        if (retry >= schedule.length) {
          options.onDeadLetter?.(event, error);
          return;
        }
        await sleep(schedule[retry]!);
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
    stop() {
      stopped = true;
      for (const [timer, resolve] of waits) {
        clearTimeout(timer);
        resolve();
      }
      waits.clear();
    },
  };
}
