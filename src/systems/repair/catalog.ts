/**
 * Commits a chunk's replica set to the metadata catalog (document 002's
 * UpdateReplication, through Raft), then calls `done`. `replicas` is read
 * when the write is sent: writes for one chunk go one at a time, each
 * carrying the set as it is by then, so they commit in the order made and
 * the last one holds the current set.
 */
export type RecordReplicas = (chunk: number, replicas: () => Iterable<number>, done: () => void) => void;

/** What the metadata node records of one acknowledged chunk. */
export interface CatalogEntry {
  chunk: number;
  bytes: number;
  checksum: number;
  /** Nodes believed to hold a verified replica. */
  replicas: Set<number>;
}

/**
 * The metadata node's record of where each acknowledged chunk's replicas are
 * (document 002's catalog). The orchestrator adds chunks as they are
 * acknowledged; the repairer keeps replica sets in step with failures and
 * repairs. Volatile for now: it lives with the orchestrator on one node.
 */
export class ReplicaCatalog {
  private readonly entries = new Map<number, CatalogEntry>();

  add(chunk: number, bytes: number, checksum: number, replicas: Iterable<number>): CatalogEntry {
    const entry = { chunk, bytes, checksum, replicas: new Set(replicas) };
    this.entries.set(chunk, entry);
    return entry;
  }

  get(chunk: number): CatalogEntry | undefined {
    return this.entries.get(chunk);
  }

  /** Every entry, in order of acknowledgement. */
  all(): IterableIterator<CatalogEntry> {
    return this.entries.values();
  }

  /** Entries with a replica on `node`. */
  on(node: number): CatalogEntry[] {
    return [...this.entries.values()].filter((e) => e.replicas.has(node));
  }
}
