// ARM and ACI failures by behaviour. Controllers branch on `kind`, never on SDK classes or codes.
import { isRestError, type RestError } from "@azure/core-rest-pipeline";

export const aciErrorKinds = ["notFound", "throttled", "invalid", "conflict", "unavailable", "unauthorized", "failed"] as const;
export type AciErrorKind = (typeof aciErrorKinds)[number];

export class AciError extends Error {
  constructor(
    readonly kind: AciErrorKind,
    message: string,
    /** `throttledKind`: the kind of request ARM throttled (its reads, writes and deletes are counted apart). */
    readonly details: { readonly statusCode?: number; readonly code?: string; readonly retryAfterMs?: number; readonly throttledKind?: "reads" | "writes" | "deletes" } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AciError";
  }
}

/** Turns whatever the SDK threw into an AciError; the message carries ARM's code and text, no secrets. */
export function toAciError(error: unknown, operation: string): AciError {
  if (error instanceof AciError) return error;
  // isRestError, not instanceof: the SDK is CommonJS and loads its own copy of the class.
  if (isRestError(error)) {
    const statusCode = error.statusCode;
    const code = error.code;
    const retryAfterMs = retryAfter(error);
    const message = `${operation} failed: ${statusCode ?? "no response"}${code === undefined ? "" : ` ${code}`}: ${error.message}`;
    return new AciError(aciErrorKindOf(statusCode, code), message, {
      ...(statusCode !== undefined && { statusCode }),
      ...(code !== undefined && { code }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    }, { cause: error });
  }
  // A failed long-running operation rejects with a plain Error (FACTS.md): ACI refused the group.
  const message = error instanceof Error ? error.message : String(error);
  return new AciError("failed", `${operation} failed: ${message}`, {}, { cause: error });
}

export function aciErrorKindOf(statusCode: number | undefined, code: string | undefined): AciErrorKind {
  if (statusCode === 404 || code === "ResourceNotFound" || code === "ResourceGroupNotFound") return "notFound";
  if (statusCode === 429) return "throttled";
  if (statusCode === 401 || statusCode === 403) return "unauthorized";
  // ACI answers 409 ServiceUnavailable when a region is out of capacity: a retry later may succeed.
  if (code === "ServiceUnavailable" || statusCode === undefined || statusCode >= 500) return "unavailable";
  if (statusCode === 409) return "conflict";
  if (statusCode === 400) return "invalid";
  return "failed";
}

function retryAfter(error: RestError): number | undefined {
  const header = error.response?.headers.get("retry-after");
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
