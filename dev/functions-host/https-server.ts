// The local host's HTTP trigger: serves functions' HTTP handlers over HTTPS on loopback at their routes
// (host.json's routePrefix is empty), as the Functions host does with HTTP streams enabled, handing each
// the same HttpRequest (its body a stream of the connection, never buffered here) and InvocationContext
// objects, and streaming a response body as it is produced. A client certificate, when the client
// presents one, reaches the handler as App Service forwards it: base64 DER in X-ARR-ClientCert (a
// header of that name from the client itself is dropped, as App Service drops it).
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { Readable } from "node:stream";
import functions, { type HttpHandler, type HttpRequest, type HttpRequestInit, type HttpResponseInit } from "@azure/functions";
import type { CertificateAuthority } from "../pki.js";

export interface HttpFunctionRoute {
  readonly name: string;
  /** A Functions route template such as `api/pod-webhook/{token}` or `exec/{*rest}`. */
  readonly route: string;
  readonly methods: readonly string[];
  readonly handler: HttpHandler;
}

export interface HttpsFunctionServer {
  /** https://127.0.0.1:<port> */
  readonly origin: string;
  stop(): Promise<void>;
}

// The package is CommonJS and its classes are not detectable as named exports from ESM.
const { HttpRequest: HttpRequestClass, InvocationContext } = functions;

export async function startHttpsFunctionServer(options: {
  ca: CertificateAuthority;
  routes: readonly HttpFunctionRoute[];
  port?: number;
  log?: (line: string) => void;
}): Promise<HttpsFunctionServer> {
  const serving = await options.ca.issueServing({ commonName: "aci-connector local functions", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] });
  const compiled = options.routes.map((definition) => ({ definition, pattern: routePattern(definition.route) }));

  // Asked for, never required: whether a certificate is good is the handler's decision (the kubelet API
  // checks it against the cluster's CA; the webhook needs none).
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    const match = compiled
      .map((c) => { const m = c.pattern.exec(url.pathname); return { definition: c.definition, params: m === null ? undefined : { ...m.groups } }; })
      .find((m) => m.params !== undefined && m.definition.methods.includes(req.method ?? ""));
    if (match === undefined) {
      writeResponse(req, res, { status: 404 });
      return;
    }
    const peer = (req.socket as TLSSocket).getPeerCertificate?.();
    delete req.headers["x-arr-clientcert"];
    if (peer?.raw !== undefined) req.headers["x-arr-clientcert"] = peer.raw.toString("base64");
    const request = streamedRequest(req, url, { ...match.params });
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: match.definition.name,
      logHandler: (level, ...args) => options.log?.(`${level} [${match.definition.name}] ${args.map(String).join(" ")}`),
    });
    Promise.resolve(match.definition.handler(request, context))
      .then((response) => writeResponse(req, res, response as HttpResponseInit))
      .catch((error: unknown) => {
        options.log?.(`error [${match.definition.name}] ${(error as Error).message}`);
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function routePattern(route: string): RegExp {
  const source = route
    .split("/")
    .map((segment) => {
      const param = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(segment);
      if (param) return `(?<${param[1]}>[^/]+)`;
      const catchAll = /^\{\*([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(segment);
      if (catchAll) return `(?<${catchAll[1]}>.*)`;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^/${source}/?$`);
}

/**
 * The request as functions/podWebhook.ts gets it with HTTP streams enabled: the body is the connection
 * itself, read only as far as the handler reads it. Built as @azure/functions' own createStreamRequest
 * builds a streamed request (its `nativeRequest` init field is internal to the 4.x package, pinned in
 * package.json; test/unit/webhook/ serves a request through this server to catch a change).
 */
function streamedRequest(req: IncomingMessage, url: URL, params: Record<string, string>): HttpRequest {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const nativeRequest = new Request(url, {
    method,
    headers,
    // duplex "half": a streamed request body (Node's fetch requires it to be said).
    ...(hasBody && { body: Readable.toWeb(req), duplex: "half" }),
  });
  return new HttpRequestClass({ nativeRequest, params } as HttpRequestInit);
}

function writeResponse(req: IncomingMessage, res: ServerResponse, response: HttpResponseInit): void {
  const headers: Record<string, string> = {};
  new Headers(response.headers).forEach((value, key) => (headers[key] = value));
  // Answered before the body was read to its end (a wrong path secret, a body over the limit): the
  // connection cannot carry another request, so it closes once the answer is out instead of reading on.
  if (!req.complete) headers.connection = "close";
  if (response.jsonBody !== undefined) {
    headers["content-type"] ??= "application/json";
    res.writeHead(response.status ?? 200, headers).end(JSON.stringify(response.jsonBody));
    return;
  }
  const body = response.body;
  if (body instanceof ReadableStream) {
    // Streamed as produced (`logs -f`); a client that goes away cancels the stream, ending its producer.
    res.writeHead(response.status ?? 200, headers);
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    res.once("close", () => void reader.cancel().catch(() => undefined));
    void (async () => {
      try {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) res.write(chunk.value);
        res.end();
      } catch {
        res.destroy();
      }
    })();
    return;
  }
  res.writeHead(response.status ?? 200, headers).end(typeof body === "string" ? body : undefined);
}
