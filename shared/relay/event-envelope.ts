// What an Event Grid trigger receives, read the same whatever schema the subscription delivers in.
// infra/ subscribes with CloudEvents v1.0 (`type`, `data`); a subscription made by hand may use the Event
// Grid schema (`eventType`, `data`). The Functions Node.js library hands the handler the event's JSON as
// it arrived (an object, or a string it could not parse), so this reads untrusted input and never throws.
import { fieldsOf, refused, shown, type Reading } from "./reading.js";

export interface EventEnvelope {
  /** The event type: CloudEvents' `type`, the Event Grid schema's `eventType`. */
  readonly type: string;
  /** The event's `data`, unread: each consumer checks its own shape. */
  readonly data: unknown;
  /**
   * When the publisher says the event happened: CloudEvents' `time`, the Event Grid schema's `eventTime`
   * (RFC 3339). Absent when missing or unreadable: it only times the event, it decides nothing.
   */
  readonly time?: Date;
}

/** The type and data of one event in either schema, or why the input is not an event. */
export function readEventEnvelope(input: unknown): Reading<EventEnvelope> {
  const parsed = typeof input === "string" ? parseJson(input) : input;
  if (parsed === notJson) return refused(["the event is text that is not JSON"]);
  const fields = fieldsOf(parsed);
  if (fields === undefined) return refused([`the event must be a JSON object, got ${shown(parsed)}`]);
  // A CloudEvents attribute name is lowercase letters and digits only, so a top-level `eventType` can
  // only be the Event Grid schema's; without one, the event is a CloudEvent and its type is `type`.
  const field = fields.eventType !== undefined ? "eventType" : "type";
  const type = fields[field];
  if (typeof type !== "string" || type === "") return refused([`${field} must be a non-empty string, got ${shown(type)}`]);
  const time = typeof fields[field === "eventType" ? "eventTime" : "time"] === "string" ? new Date(fields[field === "eventType" ? "eventTime" : "time"] as string) : undefined;
  return { ok: true, value: { type, data: fields.data, ...(time !== undefined && !Number.isNaN(time.getTime()) && { time }) } };
}

const notJson = Symbol("not JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return notJson; // not JSON, so not an event: the caller says it ignored it
  }
}
