// A container group as ARM answered a GET, read defensively. Whatever comes back (a field missing, null,
// of another type, a time that does not parse, an IP that is not one), only well-typed values come out,
// so the pod status built from them is one the API server accepts: a status write must never fail, or
// throw, because of what ARM said.
import { isIP } from "node:net";
import { indexedRecords, isRecord, timeOf, type JsonRecord } from "./values.js";

export interface ObservedState {
  readonly state?: string;
  readonly startTime?: Date;
  readonly finishTime?: Date;
  /** A 32-bit integer, as a container status needs it. */
  readonly exitCode?: number;
  readonly detailStatus?: string;
}

export interface ObservedEvent {
  readonly name: string;
  readonly message?: string;
  readonly type: string;
  readonly lastTimestamp?: Date;
}

export interface ObservedInstance {
  readonly restartCount: number;
  readonly currentState?: ObservedState;
  readonly previousState?: ObservedState;
  readonly events: readonly ObservedEvent[];
}

export interface ObservedGroup {
  readonly name: string;
  readonly provisioningState: string;
  readonly groupState?: string;
  readonly groupEvents: readonly ObservedEvent[];
  /** By container name; undefined for a container listed without an instanceView. */
  readonly containers: ReadonlyMap<string, ObservedInstance | undefined>;
  readonly initContainers: ReadonlyMap<string, ObservedInstance | undefined>;
  readonly ip?: string;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const records = (value: unknown): JsonRecord[] => indexedRecords(value).map(([record]) => record);
const int32 = (value: unknown): number | undefined => (Number.isInteger(value) && Math.abs(value as number) < 2 ** 31 ? (value as number) : undefined);
/** ARM writes RFC 3339 times; anything else is left out rather than sent as an invalid Date. */
const time = (value: unknown): Date | undefined => (typeof value === "string" ? timeOf(value) : undefined);

/** Reads any value as the group a GET returns; a missing group reads as one still being provisioned. */
export function readObservedGroup(group: unknown): ObservedGroup {
  const g = isRecord(group) ? group : {};
  const props = isRecord(g.properties) ? g.properties : {};
  const view = isRecord(props.instanceView) ? props.instanceView : {};
  const ip = isRecord(props.ipAddress) ? text(props.ipAddress.ip) : undefined;
  return {
    name: text(g.name) ?? "",
    provisioningState: text(props.provisioningState) ?? "Pending",
    ...(text(view.state) !== undefined && { groupState: text(view.state) }),
    groupEvents: events(view.events),
    containers: instances(props.containers),
    initContainers: instances(props.initContainers),
    // The API server refuses a podIP that is not an IP address.
    ...(ip !== undefined && isIP(ip) !== 0 && { ip }),
  };
}

function instances(containers: unknown): Map<string, ObservedInstance | undefined> {
  const byName = new Map<string, ObservedInstance | undefined>();
  for (const c of records(containers)) {
    const name = text(c.name);
    if (name === undefined || byName.has(name)) continue;
    const view = isRecord(c.properties) && isRecord(c.properties.instanceView) ? c.properties.instanceView : undefined;
    byName.set(name, view && instance(view));
  }
  return byName;
}

function instance(view: JsonRecord): ObservedInstance {
  const restartCount = int32(view.restartCount);
  const current = state(view.currentState);
  const previous = state(view.previousState);
  return {
    restartCount: restartCount !== undefined && restartCount >= 0 ? restartCount : 0,
    ...(current !== undefined && { currentState: current }),
    ...(previous !== undefined && { previousState: previous }),
    events: events(view.events),
  };
}

function state(value: unknown): ObservedState | undefined {
  if (!isRecord(value)) return undefined;
  const fields: ObservedState = {
    state: text(value.state),
    startTime: time(value.startTime),
    finishTime: time(value.finishTime),
    exitCode: int32(value.exitCode),
    detailStatus: text(value.detailStatus),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

function events(value: unknown): ObservedEvent[] {
  return records(value).map((e) => {
    const message = text(e.message);
    const lastTimestamp = time(e.lastTimestamp);
    return { name: text(e.name) ?? "", type: text(e.type) ?? "", ...(message !== undefined && { message }), ...(lastTimestamp !== undefined && { lastTimestamp }) };
  });
}
