// Words the connector publishes (an annotation anyone who may read nodes reads) with secrets taken out:
// the values it knows are secret, and the shapes a credential takes in an error message (a bearer token,
// a signed URL's query, a password in a connection string), should an SDK ever quote one.
import { redacted } from "../translate/redact.js";

/** The same placeholder as a redacted container group shows (`aci-connector translate`). */
export const scrubbed = redacted;

/** Each keeps its first group (the credential's name) and loses the rest (its value). */
const shapes: readonly RegExp[] = [
  /\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]+/gi,
  /\b((?:sig|signature|code|token|access_token|password|pwd|secret|client_secret|accountkey|sharedaccesskey)=)[^&\s;"']+/gi,
];

/** `known`: values never to publish; shorter than 8 characters they would match ordinary words, and are not secrets the connector holds. */
export function scrubSecrets(text: string, known: readonly string[]): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...known].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length)) result = result.split(secret).join(scrubbed);
  for (const shape of shapes) result = result.replace(shape, `$1${scrubbed}`);
  return result;
}
