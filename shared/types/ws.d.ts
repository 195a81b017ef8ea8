// The small part of `ws` (8.x) that aci-connector uses: a client for ACI's exec WebSocket
// (cli/exec-session.ts) and a server for the emulator's (dev/emulator/exec-server.ts). @types/ws is not
// installed; this declares only what is called, so the compiler still checks every use of it.
declare module "ws" {
  import type { EventEmitter } from "node:events";
  import type { IncomingMessage } from "node:http";
  import type { Duplex } from "node:stream";
  import type { SecureContextOptions } from "node:tls";

  type RawData = Buffer | ArrayBuffer | Buffer[];

  interface ClientOptions extends SecureContextOptions {
    /** Milliseconds to wait for the opening handshake. */
    handshakeTimeout?: number;
    rejectUnauthorized?: boolean;
    maxPayload?: number;
  }

  class WebSocket extends EventEmitter {
    static readonly CONNECTING: 0;
    static readonly OPEN: 1;
    static readonly CLOSING: 2;
    static readonly CLOSED: 3;
    constructor(address: string | URL, options?: ClientOptions);
    readonly readyState: 0 | 1 | 2 | 3;
    send(data: string | Buffer | Uint8Array, options?: { binary?: boolean }, callback?: (error?: Error) => void): void;
    send(data: string | Buffer | Uint8Array, callback?: (error?: Error) => void): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    ping(data?: Buffer | string, mask?: boolean, callback?: (error?: Error) => void): void;
    on(event: "open", listener: () => void): this;
    on(event: "message", listener: (data: RawData, isBinary: boolean) => void): this;
    on(event: "close", listener: (code: number, reason: Buffer) => void): this;
    on(event: "error", listener: (error: Error) => void): this;
    on(event: "pong", listener: (data: Buffer) => void): this;
    on(event: "unexpected-response", listener: (request: unknown, response: IncomingMessage) => void): this;
    once(event: "open", listener: () => void): this;
    once(event: "message", listener: (data: RawData, isBinary: boolean) => void): this;
    once(event: "close", listener: (code: number, reason: Buffer) => void): this;
    once(event: "error", listener: (error: Error) => void): this;
  }

  class WebSocketServer extends EventEmitter {
    constructor(options: { noServer: true; maxPayload?: number });
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, callback: (socket: WebSocket, request: IncomingMessage) => void): void;
    close(callback?: (error?: Error) => void): void;
    readonly clients: Set<WebSocket>;
  }

  export { WebSocket, WebSocketServer, type RawData, type ClientOptions };
}
