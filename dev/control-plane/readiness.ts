// Polling a component's health endpoint until it answers 200, with the reason of the last failure.
import { request } from "node:https";

export interface HttpsProbe {
  readonly url: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** For the scheduler and controller-manager, which serve /healthz on a self-signed certificate. */
  readonly insecure?: boolean;
}

export function httpsGet(probe: HttpsProbe): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      probe.url,
      { ca: probe.ca, cert: probe.cert, key: probe.key, rejectUnauthorized: !probe.insecure, timeout: 5000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Resolves once the probe answers 200 and `notReady`, if given, finds nothing missing in the body.
 * Rejects when `deadlineMs` passes or `abandon` settles first (with its reason, e.g. a component that
 * exited and so will never become healthy).
 */
export async function waitUntilHealthy(
  what: string,
  probe: HttpsProbe,
  options: { deadlineMs: number; abandon?: Promise<string>; notReady?: (body: string) => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.deadlineMs;
  let abandoned: string | undefined;
  void options.abandon?.then((reason) => (abandoned = reason));
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (abandoned !== undefined) throw new Error(`${what} cannot become healthy: ${abandoned}`);
    try {
      const { status, body } = await httpsGet(probe);
      const missing = status === 200 ? options.notReady?.(body) : `HTTP ${status}: ${body.slice(0, 300)}`;
      if (missing === undefined) return;
      last = missing;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not healthy after ${options.deadlineMs / 1000}s (last: ${last})`);
}
