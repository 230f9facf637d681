import { SlotSetMap } from '../../kernel/index.js';
import type { CatalogEntry } from './catalog.js';

const NONE: readonly number[] = [];

/**
 * Which nodes have shown, since the current garbage-collection sweep began,
 * that they hold each chunk (by listing it in an inventory). A catalog rebuilt
 * after a restart may list copies that were moved or lost since, so deletions
 * (collecting surplus copies, the old copy of a move) wait until enough of the
 * listed holders have been seen. The repairer records and clears; the
 * rebalancer reads.
 */
export class HolderSightings {
  /** Nodes seen holding each chunk, in columns (every chunk stored is seen every sweep). */
  private readonly seen: SlotSetMap;

  constructor(replicationFactor: number) {
    this.seen = new SlotSetMap(Math.max(1, replicationFactor));
  }

  /** A new sweep: nothing is confirmed until nodes report again. */
  clear(): void {
    this.seen.clear();
  }

  saw(chunk: number, node: number): void {
    if (!this.seen.isOpen(chunk)) this.seen.open(chunk, NONE);
    this.seen.add(chunk, node);
  }

  /** How many of the holders the catalog lists have shown, this sweep, that they hold the chunk. */
  confirmedHolders(entry: CatalogEntry): number {
    let n = 0;
    for (const node of entry.replicas) if (this.seen.has(entry.chunk, node)) n++;
    return n;
  }
}
