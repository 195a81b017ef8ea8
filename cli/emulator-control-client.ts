// Calls to a running emulator's control surface, over HTTPS with the emulator's CA and its token. Two
// kinds of failure the command tells apart: nothing answers (no run), or the emulator refused.
import { request } from "node:https";
import type { EmulatorControlAccess } from "./emulator-state.js";

/** Nothing answered at the recorded endpoint: the run that wrote the state directory has stopped. */
export class EmulatorUnreachableError extends Error {
  override readonly name = "EmulatorUnreachableError";
}

/** The control surface answered with an error; its message is the emulator's own (it never holds the token). */
export class ControlRefusedError extends Error {
  override readonly name = "ControlRefusedError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const timeoutMs = 10_000;

export function callControl(access: EmulatorControlAccess, method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<unknown> {
  const url = `${access.controlEndpoint}${path}`;
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        ca: access.caCertPem,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${access.token}`,
          ...(payload !== undefined && { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          let json: unknown;
          try {
            json = text === "" ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          if (status < 400) return resolve(json);
          const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
          reject(new ControlRefusedError(status, error?.code ?? "Error", error?.message ?? `HTTP ${status}`));
        });
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    // Connection refused, reset, timed out, or a certificate from another CA (another run on that port).
    req.on("error", (error: NodeJS.ErrnoException) => reject(new EmulatorUnreachableError(`cannot reach the emulator's control surface at ${access.controlEndpoint} (${error.code ?? error.message})`)));
    req.end(payload);
  });
}
