// Reads a request body as it streams in, and stops as soon as it passes the limit: a caller can make the
// webhook hold at most that many bytes, whatever the body's declared length or chunking.
import { AdmissionReviewError } from "./admission-review.js";

/**
 * The body as text. A 413 AdmissionReviewError when the declared Content-Length is over `maxBytes`
 * (nothing is read) or once more than `maxBytes` arrived (the rest is never read).
 */
export async function readBodyWithin(body: ReadableStream<Uint8Array> | null, declaredLength: string | null, maxBytes: number): Promise<string> {
  const tooLarge = () => new AdmissionReviewError(413, `body larger than ${maxBytes} bytes`);
  if (declaredLength !== null && Number(declaredLength) > maxBytes) throw tooLarge();
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } finally {
    // Released, not cancelled: cancelling would destroy the request's connection, and with it the answer
    // still to be sent on it. The host ends the connection once the answer is out.
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString("utf8");
}
