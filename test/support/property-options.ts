// fast-check's run options for the property tests: a new seed each run (as the fuzz test draws one), and
// PROPERTY_SEED / PROPERTY_PATH (printed by fast-check with a failure) to replay that failure exactly.
import type { Parameters } from "fast-check";

export function propertyOptions<T>(options: Parameters<T> = {}): Parameters<T> {
  const seed = process.env.PROPERTY_SEED;
  const path = process.env.PROPERTY_PATH;
  return { ...options, ...(seed !== undefined && { seed: Number(seed) }), ...(path !== undefined && { path }) };
}
