// The kubelet's log options (tailLines, limitBytes, timestamps, sinceSeconds, sinceTime, follow,
// previous) read from the query, and applied to what ACI's log API returns. Pure.
//
// ACI's ListLogs takes only `tail` and `timestamps`: the connector always asks for timestamps, filters
// by time itself, and strips them again unless the caller asked for them.

export interface LogQuery {
  readonly follow: boolean;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  /** Lines stamped before this time are left out (from sinceSeconds or sinceTime). */
  readonly since?: Date;
}

export class LogQueryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
    this.name = "LogQueryError";
  }
}

/** The query as the kubelet reads it; every problem named at once. */
export function readLogQuery(params: URLSearchParams, now: Date): LogQuery {
  const problems: string[] = [];
  const bool = (name: string): boolean => {
    const v = params.get(name);
    if (v === null || v === "" || v === "false" || v === "0") return false;
    if (v === "true" || v === "1") return true;
    problems.push(`${name} must be true or false`);
    return false;
  };
  const count = (name: string, min: number): number | undefined => {
    const v = params.get(name);
    if (v === null || v === "") return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) {
      problems.push(`${name} must be a whole number of at least ${min}`);
      return undefined;
    }
    return n;
  };
  const follow = bool("follow");
  const previous = bool("previous");
  const timestamps = bool("timestamps");
  const tailLines = count("tailLines", 0);
  const limitBytes = count("limitBytes", 1);
  const sinceSeconds = count("sinceSeconds", 1);
  const sinceTimeText = params.get("sinceTime");
  let since: Date | undefined;
  if (sinceSeconds !== undefined) since = new Date(now.getTime() - sinceSeconds * 1000);
  if (sinceTimeText !== null && sinceTimeText !== "") {
    if (sinceSeconds !== undefined) problems.push("at most one of sinceTime or sinceSeconds may be specified");
    const t = new Date(sinceTimeText);
    if (Number.isNaN(t.getTime())) problems.push("sinceTime must be an RFC 3339 time");
    else since = t;
  }
  if (problems.length > 0) throw new LogQueryError(problems);
  return {
    follow,
    previous,
    timestamps,
    ...(tailLines !== undefined && { tailLines }),
    ...(limitBytes !== undefined && { limitBytes }),
    ...(since !== undefined && { since }),
  };
}

export interface StampedLine {
  /** The time as ACI wrote it (RFC 3339), kept verbatim for `timestamps=true`. */
  readonly stamp: string;
  readonly time: number;
  readonly text: string;
}

/** ACI's `timestamps=true` content, one line each; a line without a readable stamp keeps the previous line's time. */
export function parseStampedLog(content: string): StampedLine[] {
  const lines = content.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let lastTime = 0;
  let lastStamp = "";
  return lines.map((line) => {
    const space = line.indexOf(" ");
    const stamp = space > 0 ? line.slice(0, space) : "";
    const time = stamp === "" ? NaN : Date.parse(stamp);
    if (Number.isNaN(time)) return { stamp: lastStamp, time: lastTime, text: line };
    lastTime = time;
    lastStamp = stamp;
    return { stamp, time, text: line.slice(space + 1) };
  });
}

/** The lines the kubelet would print for this query (without limitBytes: the stream applies that). */
export function selectLines(lines: readonly StampedLine[], query: Pick<LogQuery, "since" | "tailLines">): StampedLine[] {
  const since = query.since?.getTime();
  const kept = since === undefined ? [...lines] : lines.filter((l) => l.time >= since);
  return query.tailLines === undefined ? kept : query.tailLines === 0 ? [] : kept.slice(-query.tailLines);
}

export function formatLines(lines: readonly StampedLine[], timestamps: boolean): string {
  return lines.map((l) => `${timestamps && l.stamp !== "" ? `${l.stamp} ` : ""}${l.text}\n`).join("");
}

/**
 * What is new in a later read of the same log: the lines after the last one already sent. ACI's log is
 * a window (at most 4 MB), so the position is found by time, and by how many lines with that time were
 * already sent.
 */
export interface LogCursor {
  readonly time: number;
  readonly countAtTime: number;
}

export function linesAfter(lines: readonly StampedLine[], cursor: LogCursor | undefined): { fresh: StampedLine[]; cursor: LogCursor | undefined } {
  let seenAtTime = 0;
  const fresh: StampedLine[] = [];
  for (const line of lines) {
    if (cursor === undefined || line.time > cursor.time) fresh.push(line);
    else if (line.time === cursor.time && ++seenAtTime > cursor.countAtTime) fresh.push(line);
  }
  return { fresh, cursor: advance(cursor, fresh) };
}

/** The cursor after these lines were sent. */
export function advance(cursor: LogCursor | undefined, sent: readonly StampedLine[]): LogCursor | undefined {
  let next = cursor;
  for (const line of sent) next = next !== undefined && next.time === line.time ? { time: line.time, countAtTime: next.countAtTime + 1 } : { time: line.time, countAtTime: 1 };
  return next;
}
