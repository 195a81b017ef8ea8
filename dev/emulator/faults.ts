// Faults a test or a person asks for: requests matching an operation answer with an error, arrive late,
// or lose their connection, for the next N requests, for some seconds, or until cleared. Kept apart
// from the ARM surface; the control API sets them.
import type { OperationName } from "./routes.js";

export interface FaultSpec {
  /** The operation name (see routes.ts), e.g. "location.listUsage"; any when omitted. */
  readonly operation?: OperationName;
  /** How many matching requests fail; unbounded when omitted. */
  readonly count?: number;
  /** How long the fault lasts from when it is added (wall-clock, not scaled); unbounded when omitted. */
  readonly seconds?: number;
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  /** Sent as Retry-After (seconds), as ARM does on 429. */
  readonly retryAfterSeconds?: number;
  /** Answer normally, but this much later. */
  readonly delayMs?: number;
  /** Close the connection without an answer. */
  readonly drop?: boolean;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
  /** When it stops applying (ms since the epoch). */
  readonly until: number;
}

export interface FaultBook {
  add(spec: FaultSpec): void;
  clear(): void;
  /** The fault that applies to this request, if any (and counts it down). */
  take(operation: string): FaultSpec | undefined;
}

/** `now` is injected so tests pin time; the emulator uses the wall clock. */
export function createFaultBook(options: { now?: () => number } = {}): FaultBook {
  const now = options.now ?? Date.now;
  let faults: ActiveFault[] = [];
  const live = (f: ActiveFault, t: number) => f.remaining > 0 && t < f.until;
  return {
    add: (spec) =>
      void faults.push({
        spec,
        remaining: spec.count ?? Number.POSITIVE_INFINITY,
        until: spec.seconds === undefined ? Number.POSITIVE_INFINITY : now() + spec.seconds * 1000,
      }),
    clear: () => void (faults = []),
    take(operation) {
      const t = now();
      faults = faults.filter((f) => live(f, t));
      const fault = faults.find((f) => f.spec.operation === undefined || f.spec.operation === operation);
      if (fault === undefined) return undefined;
      fault.remaining -= 1;
      return fault.spec;
    },
  };
}
