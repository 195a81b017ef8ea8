// Kubernetes API errors by behaviour, so controllers test for "not found" or "conflict" and not for
// the client library's exception class and status codes.
import { ApiException } from "@kubernetes/client-node";

function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? (error as ApiException<unknown>).code : undefined;
}

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
/** 409: the object already exists (create) or changed since it was read (update with resourceVersion). */
export const isConflict = (error: unknown): boolean => statusOf(error) === 409;
/** A precondition such as a UID failed (deleting a pod that was replaced by a namesake). */
export const isPreconditionFailed = (error: unknown): boolean => statusOf(error) === 409 || statusOf(error) === 412;
export const isForbidden = (error: unknown): boolean => statusOf(error) === 403;
/**
 * A write carrying a pod's UID reached a namesake: the API server answers 422 "metadata.uid: field is
 * immutable" (seen from kube-apiserver 1.34 on a pods/status patch), having written nothing.
 */
export function isUidMismatch(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const body = (error as ApiException<unknown>).body;
  return typeof body === "string" && /"field":"metadata\.uid"/.test(body);
}

/** The call's result, or undefined when the object does not exist. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Runs a delete; true when it deleted something, false when there was nothing to delete. */
export async function deletedUnlessNotFound(call: Promise<unknown>): Promise<boolean> {
  return (await unlessNotFound(call.then(() => true))) ?? false;
}

/** A short description of a Kubernetes API failure for logs, events and node conditions. */
export function describeKubeError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = (error as ApiException<unknown>).body;
    const message = typeof body === "string" ? safeMessage(body) : undefined;
    return `HTTP ${(error as ApiException<unknown>).code}${message === undefined ? "" : `: ${message}`}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function safeMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === "string" ? parsed.message : undefined;
  } catch {
    return body.slice(0, 200);
  }
}
