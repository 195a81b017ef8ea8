// Raw HTTPS to the emulator, for what the SDK hides: status codes, headers, exact bodies. Also the
// control surface's client in tests (pass its endpoint and token).
import { request } from "node:https";

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: unknown;
}

export function rawArm(
  target: { endpoint: string; caCertPem: string },
  method: string,
  pathAndQuery: string,
  options: { body?: unknown; authorization?: string | null } = {},
): Promise<RawResponse> {
  const url = pathAndQuery.startsWith("https://") ? pathAndQuery : `${target.endpoint}${pathAndQuery}`;
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    // A length of its own: node sends a DELETE's body neither chunked nor sized otherwise.
    const headers: Record<string, string> = { "content-type": "application/json", ...(payload !== undefined && { "content-length": String(Buffer.byteLength(payload)) }) };
    if (options.authorization !== null) headers.authorization = options.authorization ?? "Bearer test-token";
    const req = request(url, { method, ca: target.caCertPem, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text === "" ? undefined : (JSON.parse(text) as unknown) }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}
