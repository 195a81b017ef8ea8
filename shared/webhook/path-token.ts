// The webhook's URL carries an unguessable path segment: the API server cannot send a Functions key
// (webhook URLs may not have a query string), so the path is the shared secret.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const minPathTokenLength = 32;

export function newPathToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Compares in constant time; hashing first makes unequal lengths take the same time too. */
export function pathTokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
