// Faults a test asks for: the next N requests matching an operation answer with an error, arrive late,
// or lose their connection. Kept apart from the ARM surface; the control API sets them.
export interface FaultSpec {
  /** The operation name (see `operationOf` in server.ts), e.g. "location.listUsage"; any when omitted. */
  readonly operation?: string;
  /** How many matching requests fail; until cleared when omitted. */
  readonly count?: number;
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
}

export interface FaultBook {
  add(spec: FaultSpec): void;
  clear(): void;
  /** The fault that applies to this request, if any (and counts it down). */
  take(operation: string): FaultSpec | undefined;
}

export function createFaultBook(): FaultBook {
  let faults: ActiveFault[] = [];
  return {
    add: (spec) => void faults.push({ spec, remaining: spec.count ?? Number.POSITIVE_INFINITY }),
    clear: () => void (faults = []),
    take(operation) {
      const fault = faults.find((f) => f.remaining > 0 && (f.spec.operation === undefined || f.spec.operation === operation));
      if (fault === undefined) return undefined;
      fault.remaining -= 1;
      faults = faults.filter((f) => f.remaining > 0);
      return fault.spec;
    },
  };
}
