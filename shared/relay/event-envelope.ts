// What an Event Grid trigger receives, read the same whatever schema the subscription delivers in.
// infra/ subscribes with CloudEvents v1.0 (`type`, `data`); a subscription made by hand may use the Event
// Grid schema (`eventType`, `data`). The Functions Node.js library hands the handler the event's JSON as
// it arrived (an object, or a string it could not parse), so this reads untrusted input and never throws.
export interface EventEnvelope {
  /** The event type: CloudEvents' `type`, the Event Grid schema's `eventType`. */
  readonly type: string;
  /** The event's `data`, unread: each consumer checks its own shape. */
  readonly data: unknown;
}

/** The type and data of one event in either schema; undefined for anything that is not an event. */
export function readEventEnvelope(input: unknown): EventEnvelope | undefined {
  const event = typeof input === "string" ? parseJson(input) : input;
  if (typeof event !== "object" || event === null || Array.isArray(event)) return undefined;
  const fields = event as Record<string, unknown>;
  // A CloudEvents attribute name is lowercase letters and digits only, so a top-level `eventType` can
  // only be the Event Grid schema's; without one, the event is a CloudEvent and its type is `type`.
  const type = typeof fields.eventType === "string" ? fields.eventType : fields.type;
  if (typeof type !== "string" || type === "") return undefined;
  return { type, data: fields.data };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON, so not an event: the caller says it ignored it
  }
}
