// When reconcile last read each container group, kept by the process between ticks: running pods are
// re-read least recently read first, so with R reads left per tick each of N running pods is read at
// least every N / R ticks, whatever the reads the changing groups took. A new instance knows nothing and
// starts in name order; the first N / R ticks then read every pod once and the order settles. It also keeps
// how many reads the process had sent when the last tick ended, so that the reads other functions send
// between ticks can be counted against the next one.
export interface ReadLedger {
  /** When the group was last read, in ms since the epoch; undefined if never by this process. */
  lastRead(group: string): number | undefined;
  record(group: string, atMs: number): void;
  /** Forgets every group not in `groups`, so the ledger holds no more than the pods it serves. */
  keepOnly(groups: ReadonlySet<string>): void;
  /** The reads the process had sent (the ARM client's meter) when the last tick ended; undefined before one did. */
  readsAtTickEnd(): number | undefined;
  tickEnded(readsSent: number): void;
}

export function createReadLedger(): ReadLedger {
  const reads = new Map<string, number>();
  let readsAtTickEnd: number | undefined;
  return {
    lastRead: (group) => reads.get(group),
    record: (group, atMs) => void reads.set(group, atMs),
    keepOnly(groups) {
      for (const name of reads.keys()) if (!groups.has(name)) reads.delete(name);
    },
    readsAtTickEnd: () => readsAtTickEnd,
    tickEnded: (readsSent) => void (readsAtTickEnd = readsSent),
  };
}

/** Never read first, then the least recently read; ties in name order. */
export function leastRecentlyReadFirst<T>(ledger: ReadLedger, items: readonly T[], nameOf: (item: T) => string): T[] {
  const at = (item: T) => ledger.lastRead(nameOf(item)) ?? Number.NEGATIVE_INFINITY;
  // Group names are unique, so a tie in time is never a tie in name.
  return [...items].sort((a, b) => at(a) - at(b) || (nameOf(a) < nameOf(b) ? -1 : 1));
}
