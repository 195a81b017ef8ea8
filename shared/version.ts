// The package version, read from package.json at run time so it is never copied by hand.
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function readPackageVersion(): string {
  if (cached === undefined) {
    const url = new URL("../../package.json", import.meta.url); // dist/shared/version.js -> package.json
    const parsed = JSON.parse(readFileSync(url, "utf8")) as { version?: unknown };
    if (typeof parsed.version !== "string") throw new Error(`package.json at ${url.pathname} has no version`);
    cached = parsed.version;
  }
  return cached;
}
