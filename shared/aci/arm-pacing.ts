// ARM's token buckets, kept in the client too: a request waits here for its kind's refill instead of
// being sent into a 429. ARM refills 25 reads, 10 writes and 10 deletes a second per principal and
// region, from buckets of 250, 200 and 200 (../shared/FACTS.md). A burst of doorbells and ARM events (a
// thousand pods bound at once: a read before each create, one after each group starts) asks for more
// than that in its first seconds; sent as it comes, most of it would be refused, each refusal costing
// the pod an Event Grid retry (10 s or more). Paced, the requests wait in line and go out as ARM refills.
//
// Two lines, the urgent one served first: an ARM event's read is what turns a started group into a
// Running pod, and in a burst it would otherwise wait behind a thousand doorbells' reads. Urgent reads
// come at most as fast as groups are written (ARM's 10 writes a second), under the 25 reads refilled, so
// the other line still moves.
//
// A request that would wait longer than `armBudget.pacing.maxWaitMs` when it comes is not sent (an
// AciError "throttled", as for a remembered Retry-After) and its caller backs off as it does for ARM's
// own refusal. Urgent requests coming later may hold a waiting one longer; its caller's deadline (every
// call has one) bounds that. Other instances and tools of the same principal draw on the same bucket,
// so ARM's count of what remains (`x-ms-ratelimit-remaining-subscription-<kind>`) lowers this one's
// when it is lower.
import type { PipelinePolicy, PipelineRequest } from "@azure/core-rest-pipeline";
import type { Clock } from "../runtime/clock.js";
import { armBudget } from "./arm-budget.js";
import { remainingOf } from "./arm-meter.js";
import { armRequestKindOf, armRequestKinds, notSent, type ArmRequestKind } from "./arm-throttle.js";

export interface ArmBucket {
  readonly bucket: number;
  readonly refillPerSecond: number;
}

export interface ArmTokenRequest {
  /** Served before every request that is not. */
  readonly urgent?: boolean;
  /** Longest wait foreseen when the request comes: longer, and it is refused at once, holding no place. */
  readonly maxWaitMs: number;
  /** Ends the wait (rejects with the signal's reason), holding no token. */
  readonly abortSignal?: AbortSignal;
}

export interface ArmPacer {
  /** Resolves `true` once a token of this kind is the caller's, or `false` at once when the wait would be longer than it may. */
  acquire(kind: ArmRequestKind, request: ArmTokenRequest): Promise<boolean>;
  /** ARM said this many of the kind remain in its bucket. */
  remaining(kind: ArmRequestKind, count: number): void;
  /** How long a request that is not urgent, coming now, would wait for a token of this kind. */
  waitMs(kind: ArmRequestKind): number;
}

interface Line {
  tokens: number;
  at: number;
  /** Each waiter's release, in arrival order. */
  readonly urgent: (() => void)[];
  readonly others: (() => void)[];
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * `reserveSeconds` of refill are left in ARM's bucket: a request reaches ARM a little later or sooner
 * than it was paced (connections, queues), and that margin absorbs it instead of a 429.
 */
export function createArmPacer(clock: Clock, buckets: Readonly<Record<ArmRequestKind, ArmBucket>> = armBudget.buckets, reserveSeconds: number = armBudget.pacing.reserveSeconds): ArmPacer {
  const reserve = (kind: ArmRequestKind) => Math.ceil(buckets[kind].refillPerSecond * reserveSeconds);
  const now = () => clock.now().getTime();
  // Full: the first refill caps it at what may be spent.
  const lines = new Map<ArmRequestKind, Line>(armRequestKinds.map((kind) => [kind, { tokens: Number.POSITIVE_INFINITY, at: now(), urgent: [], others: [] }]));

  const refilled = (kind: ArmRequestKind) => {
    const line = lines.get(kind)!;
    const { bucket, refillPerSecond } = buckets[kind];
    const at = now();
    line.tokens = Math.min(bucket - reserve(kind), line.tokens + ((at - line.at) / 1000) * refillPerSecond);
    line.at = at;
    return line;
  };
  /** Until `count` more tokens are there, at the refill's pace. */
  const untilTokens = (kind: ArmRequestKind, line: Line, count: number) => Math.max(0, Math.ceil(((count - line.tokens) / buckets[kind].refillPerSecond) * 1000));

  // Hands out what the bucket holds, urgent line first, and wakes for the next token.
  const serve = (kind: ArmRequestKind) => {
    const line = refilled(kind);
    clearTimeout(line.timer);
    line.timer = undefined;
    while (line.tokens >= 1) {
      const release = line.urgent.shift() ?? line.others.shift();
      if (release === undefined) break;
      line.tokens -= 1;
      release();
    }
    if (line.urgent.length + line.others.length > 0) line.timer = setTimeout(() => serve(kind), untilTokens(kind, line, 1));
  };

  return {
    acquire(kind, { urgent = false, maxWaitMs, abortSignal }) {
      if (abortSignal?.aborted === true) return Promise.reject(abortReason(abortSignal));
      const line = refilled(kind);
      const ahead = line.urgent.length + (urgent ? 0 : line.others.length);
      if (untilTokens(kind, line, ahead + 1) > maxWaitMs) return Promise.resolve(false);
      return new Promise<boolean>((resolve, reject) => {
        const waiters = urgent ? line.urgent : line.others;
        const onAbort = () => {
          waiters.splice(waiters.indexOf(release), 1);
          reject(abortReason(abortSignal!));
        };
        const release = () => {
          abortSignal?.removeEventListener("abort", onAbort);
          resolve(true);
        };
        abortSignal?.addEventListener("abort", onAbort, { once: true });
        waiters.push(release);
        serve(kind);
      });
    },
    remaining(kind, count) {
      const line = refilled(kind);
      line.tokens = Math.min(line.tokens, count - reserve(kind));
    },
    waitMs(kind) {
      const line = refilled(kind);
      return untilTokens(kind, line, line.urgent.length + line.others.length + 1);
    },
  };
}

/** What a wait ended by the caller rejects with: the signal's reason, as a timer of node:timers/promises would. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("The operation was aborted", "AbortError");
}

// Requests marked urgent by their sender (sendArmRequest's `urgent` option); the SDK's retries send
// the same request object again, so each attempt keeps the mark.
const urgentRequests = new WeakSet<PipelineRequest>();

export function markUrgent(request: PipelineRequest): void {
  urgentRequests.add(request);
}

/** Paces every request (each attempt of the SDK's retry policy too) by `pacer`; see the file's head. */
export function armPacingPolicy(pacer: ArmPacer, maxWaitMs: number = armBudget.pacing.maxWaitMs): PipelinePolicy {
  return {
    name: "aciConnectorArmPacing",
    async sendRequest(request, next) {
      const kind = armRequestKindOf(request.method);
      const abortSignal = request.abortSignal as AbortSignal | undefined;
      const served = await pacer.acquire(kind, { urgent: urgentRequests.has(request), maxWaitMs, ...(abortSignal !== undefined && { abortSignal }) });
      if (!served) {
        const refill = armBudget.buckets[kind].refillPerSecond;
        throw notSent(kind, `ARM refills ${refill} ${kind} a second and the requests before this one would hold it more than ${maxWaitMs / 1000} s`, maxWaitMs);
      }
      const response = await next(request);
      const left = remainingOf(response, kind);
      if (left !== undefined) pacer.remaining(kind, left);
      return response;
    },
  };
}
