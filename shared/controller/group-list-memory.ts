// How often reconcile lists the resource group's container groups, and the last list kept in between.
// ARM pages the list at 100 groups, so at 10,000 pods one list costs 100 reads: listed every tick it
// would take more than half of the 187 reads a tick may spend (docs/decisions/status-polling.md) and
// leave the running pods' rotation the rest. So the list takes at most a quarter of the reads on average:
// every tick up to about 4,600 groups at the default share, every 3 ticks (45 s) at 10,000. A tick in
// between works from the last list, which is safe because nothing is decided on a list's word alone:
// a pod the kept list does not show has its group read (GET) before anything is done for it, and
// orphans are looked for only right after a list (reconcile.ts).
import type { ContainerGroupSummary } from "../aci/container-groups.js";

/** The share of a tick's reads the list may take on average. */
const listShareOfReads = 0.25;

export interface KeptList {
  readonly groups: readonly ContainerGroupSummary[];
  /** The reads the list cost: ARM's pages. */
  readonly pages: number;
  /** The list is read once every this many ticks while its size holds. */
  readonly everyTicks: number;
}

export interface GroupListMemory {
  /**
   * The last list when it may serve this tick (counting the tick), or undefined when a list is due:
   * none yet in this instance, or its pages have been paid for by the ticks since.
   */
  reuse(): KeptList | undefined;
  /** Keeps a list just read, and what it cost. */
  remember(groups: readonly ContainerGroupSummary[], pages: number, readsPerTick: number): KeptList;
}

/** Ticks between lists: a list of `pages` reads every so many ticks spends `listShareOfReads` of the reads. */
export function listEveryTicks(pages: number, readsPerTick: number): number {
  return Math.max(1, Math.ceil(pages / (listShareOfReads * readsPerTick)));
}

export function createGroupListMemory(): GroupListMemory {
  let kept: (KeptList & { ticksSince: number }) | undefined;
  return {
    reuse() {
      if (kept === undefined || kept.ticksSince + 1 >= kept.everyTicks) return undefined;
      kept.ticksSince++;
      return kept;
    },
    remember(groups, pages, readsPerTick) {
      kept = { groups, pages, everyTicks: listEveryTicks(pages, readsPerTick), ticksSince: 0 };
      return kept;
    },
  };
}
