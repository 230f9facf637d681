import type { CatalogEntry } from './catalog.js';

/**
 * Which nodes have shown, since the current garbage-collection sweep began,
 * that they hold each chunk (by listing it in an inventory). A catalog rebuilt
 * after a restart may list copies that were moved or lost since, so deletions
 * (collecting surplus copies, the old copy of a move) wait until enough of the
 * listed holders have been seen. The repairer records and clears; the
 * rebalancer reads.
 */
export class HolderSightings {
  private readonly seen = new Map<number, Set<number>>();

  /** A new sweep: nothing is confirmed until nodes report again. */
  clear(): void {
    this.seen.clear();
  }

  saw(chunk: number, node: number): void {
    let nodes = this.seen.get(chunk);
    if (!nodes) this.seen.set(chunk, (nodes = new Set()));
    nodes.add(node);
  }

  /** How many of the holders the catalog lists have shown, this sweep, that they hold the chunk. */
  confirmedHolders(entry: CatalogEntry): number {
    const nodes = this.seen.get(entry.chunk);
    return nodes ? [...entry.replicas].filter((n) => nodes.has(n)).length : 0;
  }
}
