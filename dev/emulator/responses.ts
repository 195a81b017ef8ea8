// ARM's response shapes: the error body every ARM service uses, and JSON replies with ARM's headers.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ArmError";
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  // Set one by one, not through writeHead, so the request log can read them back (getHeader).
  const all = { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": randomUUID(), ...headers };
  for (const [name, value] of Object.entries(all)) res.setHeader(name, value);
  res.writeHead(status);
  res.end(text);
}

export function sendError(res: ServerResponse, error: ArmError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}
