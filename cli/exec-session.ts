// One exec session over ACI's WebSocket, as azure-cli's `az container exec` holds it
// (src/azure-cli/azure/cli/command_modules/container/custom.py, `_start_exec_pipe_linux`): connect to
// the webSocketUri, send the password as the first (text) message, then standard input as binary
// messages and every message received to standard output, until the socket closes. azure-cli sends no
// resize and reads no exit status: ACI's protocol has neither, so neither does this.
//
// The URI and the password are never printed: errors describe what failed, not where.
import type { Readable, Writable } from "node:stream";
import { WebSocket, type RawData } from "ws";

export interface ExecSessionOptions {
  /** The CA to trust besides the system's (the local emulator's). */
  readonly ca?: string;
  /** The opening handshake's deadline. */
  readonly connectTimeoutMs: number;
  /** A ping this often; a connection that has not answered the previous one by then is dead. */
  readonly pingEveryMs: number;
}

export type ExecSessionEnd = { readonly kind: "closed" } | { readonly kind: "failed"; readonly message: string };

/** The end of input as a terminal sends it (^D): ACI's socket has no half-close, its pseudo-terminal reads this as EOF. */
const endOfTransmission = Buffer.from([0x04]);

export function runExecSession(exec: { readonly webSocketUri: string; readonly password: string }, io: { stdin?: Readable; stdout: Writable }, options: ExecSessionOptions): Promise<ExecSessionEnd> {
  return new Promise((resolve) => {
    const ws = new WebSocket(exec.webSocketUri, { handshakeTimeout: options.connectTimeoutMs, ...(options.ca !== undefined && { ca: options.ca }) });
    let opened = false;
    let settled = false;
    let answered = true;
    let pinger: NodeJS.Timeout | undefined;
    const send = (data: Buffer) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(data, { binary: true });
    };
    const onData = (chunk: Buffer | string) => send(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    const onEnd = () => send(endOfTransmission);
    const finish = (end: ExecSessionEnd) => {
      if (settled) return;
      settled = true;
      clearInterval(pinger);
      io.stdin?.off("data", onData).off("end", onEnd);
      io.stdin?.pause();
      resolve(end);
    };

    ws.once("open", () => {
      opened = true;
      // Before anything else: ACI starts the command only once the password has arrived.
      ws.send(exec.password);
      io.stdin?.on("data", onData).on("end", onEnd);
      pinger = setInterval(() => {
        if (!answered) {
          ws.terminate();
          finish({ kind: "failed", message: `the exec connection stopped answering (no pong within ${Math.round(options.pingEveryMs / 1000)} s)` });
          return;
        }
        answered = false;
        ws.ping();
      }, options.pingEveryMs);
    });
    ws.on("pong", () => (answered = true));
    ws.on("message", (data: RawData) => {
      io.stdout.write(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
    });
    ws.once("close", (code, reason) => {
      // 1000 normal, 1005 closed without a code: the command ended. Anything else is ACI refusing or failing.
      if (code === 1000 || code === 1005) return finish({ kind: "closed" });
      const why = reason.toString("utf8").trim();
      finish({ kind: "failed", message: `ACI closed the exec session: ${why === "" ? "no reason given" : why} (WebSocket close code ${code})` });
    });
    ws.once("error", (error) => {
      ws.terminate();
      finish({ kind: "failed", message: opened ? `the exec connection failed: ${error.message}` : `the exec session's WebSocket could not be opened: ${error.message}` });
    });
  });
}
