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
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "x-ms-request-id": randomUUID(),
    "x-ms-correlation-request-id": randomUUID(),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ArmError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}
