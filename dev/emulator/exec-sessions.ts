// ACI's exec as the emulator serves it: Containers_ExecuteCommand hands out a WebSocket URI and a
// password (the REST spec's example, Containers_ExecuteCommand.json at 2023-05-01:
// `{"password": "password", "webSocketUri": "wss://web-socket-uri"}`), and the socket behind the URI
// expects that password as its first message before anything runs, as every client of the real service
// sends it (azure-cli's container custom.py `_start_exec_pipe_linux`, azure-aci's RunInContainer). Then
// input goes in and output comes out as plain messages, and the socket closes when the process ends:
// ACI's protocol carries no exit status and no resize message, so neither does this one.
//
// Served on the emulator's own HTTPS listener (wss), at /exec/{id}; each URI opens one session, once.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { containerView, runCommand, shellPrompt, type ContainerView, type ShellState } from "./exec-shell.js";

export interface ExecTarget {
  /** The group's name and stored definition, secrets included. */
  readonly group: string;
  readonly properties: Record<string, unknown>;
  readonly container: string;
  readonly command: string;
}

export interface ExecSessions {
  /** A new session for this command: what the exec POST answers. */
  open(target: ExecTarget, endpointHost: string): { webSocketUri: string; password: string };
  /** The HTTPS server's `upgrade` requests: /exec/{id} becomes a session, anything else is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every open session (the emulator is stopping). */
  close(): void;
}

export const execLimits = {
  /** An exec URI not connected to within this long is gone. */
  unusedSessionMs: 5 * 60_000,
  /** The password must be the first message, within this long. */
  passwordWaitMs: 10_000,
} as const;

/** The close code for a refused password or none in time: the endpoint's policy was violated (RFC 6455). */
export const refusedCloseCode = 1008;

export function createExecSessions(now: () => number = Date.now): ExecSessions {
  const pending = new Map<string, { password: string; target: ExecTarget; expiresAt: number }>();
  const server = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const live = new Set<WebSocket>();

  function serve(ws: WebSocket, session: { password: string; target: ExecTarget }): void {
    live.add(ws);
    ws.on("close", () => live.delete(ws));
    const view = containerView(session.target.properties, session.target.container, hostnameOf(session.target.group));
    const state: ShellState = { lastStatus: 0 };
    let authenticated = false;
    let inShell = false;
    let pendingInput = "";
    const waiting = setTimeout(() => ws.close(refusedCloseCode, "no password was sent"), execLimits.passwordWaitMs);
    ws.on("close", () => clearTimeout(waiting));
    ws.on("message", (data: RawData) => {
      const text = asText(data);
      if (!authenticated) {
        clearTimeout(waiting);
        if (text !== session.password) return ws.close(refusedCloseCode, "the exec password is wrong");
        authenticated = true;
        if (view === undefined) return ws.close(1011, `container ${session.target.container} is gone`);
        return start(view);
      }
      if (!inShell || view === undefined) return;
      pendingInput += text;
      // A pseudo-terminal's line discipline: Enter may come as \r (a raw terminal) or \n, and ^D at the
      // start of a line is the end of input.
      for (;;) {
        if (pendingInput.startsWith("\x04")) return ws.close(1000);
        const end = pendingInput.search(/[\r\n]/);
        if (end < 0) return;
        const line = pendingInput.slice(0, end);
        pendingInput = pendingInput.slice(end + 1).replace(/^\n/, "");
        if (!runInShell(line, view)) return;
      }
    });

    function start(container: ContainerView): void {
      const outcome = runCommand(session.target.command, container, state);
      if (outcome.kind === "shell") {
        inShell = true;
        ws.send(shellPrompt);
        return;
      }
      if (outcome.kind === "done" && outcome.output !== "") ws.send(outcome.output);
      ws.close(1000);
    }

    /** Runs one line of the shell; false once the session has ended. */
    function runInShell(line: string, container: ContainerView): boolean {
      const outcome = runCommand(line, container, state);
      if (outcome.kind === "exit") {
        ws.close(1000);
        return false;
      }
      ws.send(`${outcome.kind === "done" ? outcome.output : ""}${shellPrompt}`);
      return true;
    }
  }

  return {
    open(target, endpointHost) {
      for (const [id, session] of pending) if (session.expiresAt <= now()) pending.delete(id);
      const id = randomUUID();
      const password = randomBytes(24).toString("base64url");
      pending.set(id, { password, target, expiresAt: now() + execLimits.unusedSessionMs });
      return { webSocketUri: `wss://${endpointHost}/exec/${id}`, password };
    },
    handleUpgrade(req, socket, head) {
      const id = /^\/exec\/([0-9a-f-]{36})$/.exec(new URL(req.url ?? "/", "https://emulator").pathname)?.[1];
      const session = id === undefined ? undefined : pending.get(id);
      if (id === undefined || session === undefined || session.expiresAt <= now()) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      pending.delete(id);
      server.handleUpgrade(req, socket, head, (ws) => serve(ws, session));
    },
    close() {
      pending.clear();
      for (const ws of live) ws.terminate();
      server.close();
    },
  };
}

/**
 * The host name a process in the group sees. ACI's look like `caas-83e6c883014b427f9b277a2bba3b7b5f-708716530-2qv47`
 * (the prompt in Microsoft's "Execute a command in a running Azure container instance"): the emulator
 * makes one of that shape, stable for a group name.
 */
export function hostnameOf(group: string): string {
  const hash = createHash("sha256").update(group).digest("hex");
  const digits = String(parseInt(hash.slice(32, 40), 16) % 1_000_000_000).padStart(9, "1");
  const suffix = [...hash.slice(40, 45)].map((c) => "bcdfghjklmnpqrstvwxz2456789"[parseInt(c, 16)]).join("");
  return `caas-${hash.slice(0, 32)}-${digits}-${suffix}`;
}

function asText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data).toString("utf8");
}
