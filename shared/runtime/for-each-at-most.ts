// Work over a list with a bound on how much runs at once (reads that would not fit a tick one after
// another, without sending them all at once).

/** Runs `work` over the items, `limit` at a time, in their order. */
export async function forEachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
