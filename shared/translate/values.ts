// Guards for values that come from outside the process: a manifest's YAML, the API server, ARM's JSON.
// TypeScript's types say what these should be; these functions check what they are.

export type JsonRecord = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonRecord => typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** The objects of a list with their positions in it; anything else in it (or a value that is no list) is skipped. */
export const indexedRecords = (value: unknown): [JsonRecord, number][] =>
  Array.isArray(value) ? value.map((v, i): [unknown, number] => [v, i]).filter((e): e is [JsonRecord, number] => isRecord(e[0])) : [];

/** The value at a key the object itself holds: never one inherited from Object.prototype (`constructor`, `__proto__`). */
export const own = (record: object | undefined, key: string): unknown => (record !== undefined && Object.hasOwn(record, key) ? (record as JsonRecord)[key] : undefined);

/** Standard base64 as Kubernetes writes a Secret's data: Node's decoder would silently skip anything else. */
export const isBase64 = (text: string): boolean => text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);

/** A time as the Kubernetes API writes it (RFC 3339), or a valid Date (what @kubernetes/client-node gives). */
export function timeOf(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== "string" || !/^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
