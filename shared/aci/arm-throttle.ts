// ARM's "wait until" for each kind of request, remembered: when ARM answers 429 with Retry-After it
// processes nothing of that kind before that time, so the connector sends nothing before it either, in
// this call, the next tick, or another function (the memory is shared through the virtual nodes, see
// shared/controller/arm-throttle-sharing.ts). Part of the ARM client's pipeline: every request to ARM
// passes here, and none sleeps inside a call for longer than armBudget.maxInCallWaitMs.
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import type { Clock } from "../runtime/clock.js";
import { armBudget } from "./arm-budget.js";
import { armErrorOf } from "./arm-http.js";
import { AciError } from "./errors.js";

export const armRequestKinds = ["reads", "writes", "deletes"] as const;
export type ArmRequestKind = (typeof armRequestKinds)[number];

/** As ARM counts them: GET is a read, DELETE a delete, everything else a write. */
export function armRequestKindOf(method: string): ArmRequestKind {
  return method === "GET" || method === "HEAD" ? "reads" : method === "DELETE" ? "deletes" : "writes";
}

/** Times (ms since the epoch) before which ARM said it would not process a kind of request. */
export type ArmWaits = Partial<Record<ArmRequestKind, number>>;

export interface ArmThrottle {
  /** The time ARM allows this kind again, if that is still in the future. */
  notBefore(kind: ArmRequestKind): number | undefined;
  /** Keeps the later of what is known and `untilMs`. */
  remember(kind: ArmRequestKind, untilMs: number): void;
  /** The waits still in the future (to share with other functions). */
  current(): ArmWaits;
}

/** `onWait` hears of every new wait ARM asked for (to share it with other instances). */
export function createArmThrottle(clock: Clock, onWait?: () => void): ArmThrottle {
  const waits: ArmWaits = {};
  const future = (kind: ArmRequestKind) => {
    const until = waits[kind];
    return until !== undefined && until > clock.now().getTime() ? until : undefined;
  };
  return {
    notBefore: future,
    remember(kind, untilMs) {
      if (!Number.isFinite(untilMs) || untilMs <= (waits[kind] ?? 0)) return;
      waits[kind] = untilMs;
      onWait?.();
    },
    current: () => Object.fromEntries(armRequestKinds.flatMap((k) => (future(k) === undefined ? [] : [[k, waits[k]!]]))),
  };
}

/** Retry-After in ms (seconds or an HTTP date), or undefined when the response has none. */
export function retryAfterMsOf(response: PipelineResponse, now: number): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === undefined || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Refuses to send before a remembered wait has passed (an AciError "throttled", nothing sent), and
 * turns a 429, or any answer asking for a wait longer than an in-call sleep may be, into that error at
 * once instead of letting the SDK's retry policy sleep through the caller's deadline. Add it per retry,
 * so it sees every attempt.
 */
export function armThrottlePolicy(throttle: ArmThrottle, clock: Clock): PipelinePolicy {
  return {
    name: "aciConnectorArmThrottle",
    async sendRequest(request, next) {
      const kind = armRequestKindOf(request.method);
      const now = () => clock.now().getTime();
      const until = throttle.notBefore(kind);
      if (until !== undefined) {
        throw notSent(kind, `ARM asked the connector to send no ${kind} before ${new Date(until).toISOString()}`, until - now());
      }
      const response = await next(request);
      const waitMs = retryAfterMsOf(response, now());
      if (response.status === 429) {
        const retryAfterMs = waitMs ?? armBudget.defaultRetryAfterMs;
        throttle.remember(kind, now() + retryAfterMs);
        const error = armErrorOf(response, operationOf(request.method, request.url));
        throw new AciError("throttled", error.message, { ...error.details, retryAfterMs, throttledKind: kind });
      }
      if (waitMs !== undefined && waitMs > armBudget.maxInCallWaitMs) {
        throw armErrorOf(response, operationOf(request.method, request.url));
      }
      return response;
    },
  };
}

/** A request held back before it reached ARM, as its callers handle ARM's own 429: retried after `retryAfterMs`. */
export function notSent(kind: ArmRequestKind, why: string, retryAfterMs: number): AciError {
  return new AciError("throttled", `not sent: ${why}`, { statusCode: 429, retryAfterMs, throttledKind: kind });
}

/** "GET Microsoft.ContainerInstance/locations/westeurope/usages": the resource, without subscription or resource group. */
function operationOf(method: string, url: string): string {
  const path = new URL(url).pathname;
  const provider = path.lastIndexOf("/providers/");
  return `${method} ${provider >= 0 ? path.slice(provider + "/providers/".length) : path}`;
}
