// Waiting for the cluster to reach a state: polls with a generous deadline instead of fixed sleeps, so
// a busy machine makes a test slower, not red.
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
  const suffix = lastError === undefined ? "" : ` (last error: ${(lastError as Error).message})`;
  throw new Error(`timed out after ${(options.timeoutMs ?? 60_000) / 1000}s waiting for ${what}${suffix}`);
}

/** A synchronous condition as waitFor's check: true once `condition()` holds. */
export const until = (condition: () => boolean) => () => Promise.resolve(condition() ? true : undefined);
