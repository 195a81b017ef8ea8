// What was read from an untrusted event, or every reason it was not, each naming its field: a function
// that ignores an event says which field made it ignore it, so a broken publisher is found from one log
// line. Never thrown: a malformed event is not retried (it would be just as malformed next time).
export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

export const refused = (problems: readonly string[]): Reading<never> => ({ ok: false, problems });

/** A value from the event, for a problem's words: its kind, or a string quoted and cut short (no log flooding). */
export function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The object's fields, or undefined when the value is not a JSON object (null and arrays are not). */
export function fieldsOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
