// The emulator's control surface for other processes: AciEmulatorControl over HTTPS on loopback, behind a
// bearer token. A listener of its own, so the ARM surface never answers a control call and a control
// token is never something an ARM client could send by mistake. The token is checked before the body is
// read, and never appears in an answer.
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathTokenMatches } from "../../shared/webhook/path-token.js";
import type { CertificateAuthority } from "../pki.js";
import { NotRunningError, NotSpotError, UnknownTargetError } from "./container-group-state.js";
import { controlPaths, exitProblems, faultProblems, faultRequestFields, logsProblems, usageProblems, type ExitRequest, type LogsRequest, type UsageRequest } from "./control-protocol.js";
import type { AciEmulatorControl } from "./server.js";

export interface ControlServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Logs appended by hand are small; anything bigger is a mistake, not a request. */
const maxBodyBytes = 1024 * 1024;

class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

const evictPath = /^\/groups\/(?<group>[^/]+)\/evict$/;
const target = /^\/groups\/(?<group>[^/]+)\/containers\/(?<container>[^/]+)\/(?<action>exit|logs|usage)$/;

export async function startControlServer(options: { control: AciEmulatorControl; ca: CertificateAuthority; token: string; port?: number }): Promise<ControlServer> {
  const { control, token } = options;

  function handle(method: string, path: string, body: Record<string, unknown>): { status: number; body?: unknown } {
    if (path === controlPaths.groups && method === "GET") return { status: 200, body: control.groups() };
    if (path === controlPaths.faults && method === "POST") {
      refuseIf(faultProblems(body));
      // Only a request's own fields: a body cannot ask for what the protocol does not offer (drops, delays).
      control.injectFault(Object.fromEntries(faultRequestFields.filter((f) => body[f] !== undefined).map((f) => [f, body[f]])));
      return { status: 204 };
    }
    if (path === controlPaths.faults && method === "DELETE") {
      control.clearFaults();
      return { status: 204 };
    }
    const eviction = evictPath.exec(path);
    if (eviction?.groups !== undefined && method === "POST") {
      control.evictGroup(decodeURIComponent(eviction.groups.group!));
      return { status: 204 };
    }
    const match = target.exec(path);
    if (match?.groups !== undefined && method === "POST") {
      const group = decodeURIComponent(match.groups.group!);
      const container = decodeURIComponent(match.groups.container!);
      if (match.groups.action === "exit") {
        refuseIf(exitProblems(body));
        const exit = body as unknown as ExitRequest;
        control.exitContainer(group, container, { exitCode: exit.exitCode, oomKilled: exit.oomKilled === true });
      } else if (match.groups.action === "usage") {
        refuseIf(usageProblems(body));
        const usage = body as unknown as UsageRequest;
        control.setUsage(group, container, { cpuMillicores: usage.cpuMillicores, memoryBytes: usage.memoryBytes });
      } else {
        refuseIf(logsProblems(body));
        control.appendLogs(group, container, (body as unknown as LogsRequest).lines);
      }
      return { status: 204 };
    }
    throw new ControlError(404, "NotFound", `the control surface has no ${method} ${path}`);
  }

  const serving = await options.ca.issueServing({ commonName: "aci-connector emulator control", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (presented === undefined) return send(res, 401, errorBody("Unauthorized", "a bearer token is required (the state directory's control token file)"), { "www-authenticate": "Bearer" });
    if (!pathTokenMatches(token, presented)) return send(res, 403, errorBody("Forbidden", "the bearer token is not this emulator's (is it another run's state directory?)"));
    readJson(req)
      .then((body) => {
        const answer = handle(req.method ?? "GET", new URL(req.url ?? "/", "https://control").pathname, body);
        send(res, answer.status, answer.body);
      })
      .catch((error: unknown) => {
        const e = asControlError(error);
        send(res, e.status, errorBody(e.code, e.message));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  return {
    endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function refuseIf(problems: string[]): void {
  if (problems.length > 0) throw new ControlError(400, "InvalidRequest", problems.join("; "));
}

function asControlError(error: unknown): ControlError {
  if (error instanceof ControlError) return error;
  if (error instanceof UnknownTargetError) return new ControlError(404, "NotFound", error.message);
  if (error instanceof NotRunningError) return new ControlError(409, "NotRunning", error.message);
  if (error instanceof NotSpotError) return new ControlError(409, "NotSpot", error.message);
  return new ControlError(500, "InternalError", (error as Error).message);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxBodyBytes) reject(new ControlError(413, "TooLarge", `a control request's body is limited to ${maxBodyBytes} bytes`));
      else chunks.push(c);
    });
    req.on("error", reject);
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text === "") return resolve({});
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        resolve(parsed as Record<string, unknown>);
      } catch {
        reject(new ControlError(400, "InvalidRequest", "the body must be a JSON object"));
      }
    });
  });
}

const errorBody = (code: string, message: string) => ({ error: { code, message } });
/** Answers sent before the body was read (a refused token, too large a body): the connection is not worth keeping. */
const unreadBody = new Set([401, 403, 413]);

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(text !== "" && { "content-type": "application/json; charset=utf-8" }),
    ...(unreadBody.has(status) && { connection: "close" }),
    ...headers,
  });
  res.end(text);
}
