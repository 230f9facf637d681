import { I32Column, SlotSets, SlotSetView, type IntSet } from '../../kernel/index.js';
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
  /** Nodes believed to hold a verified replica: change it through the catalog, which keeps an index by node. */
  readonly replicas: IntSet;
}

/**
 * An entry as the catalog keeps it: its replica set is a row of the
 * catalog's slot sets (a Set per chunk, for the whole run, was some 150
 * bytes). Each entry has a row of its own, so an entry replaced by a new
 * acknowledgement of its chunk keeps the set it had.
 */
class Stored implements CatalogEntry {
  constructor(
    private readonly sets: SlotSets,
    /** This entry's row in `sets`. */
    readonly row: number,
    readonly chunk: number,
    readonly bytes: number,
    readonly checksum: number,
    /** Position in acknowledgement order (kept when a chunk is acknowledged again). */
    readonly seq: number,
  ) {}

  get replicas(): SlotSetView {
    return new SlotSetView(this.sets, this.row);
  }
}

/**
 * The metadata node's record of where each acknowledged chunk's replicas are
 * (document 002's catalog). The orchestrator adds chunks as they are
 * acknowledged; the repairer keeps replica sets in step with failures and
 * repairs. Volatile for now: it lives with the orchestrator on one node.
 *
 * An index by node answers `on(node)` from that node's own entries: every
 * node's inventory reply asks it (each node every scrub interval), and a
 * scan of the whole catalog per reply made repair cost grow with all the
 * data stored.
 */
export class ReplicaCatalog {
  /** Entries in order of acknowledgement (by `seq`): a chunk acknowledged again takes its old place. */
  private readonly bySeq: Stored[] = [];
  /** Each chunk's `seq`, -1 for none: a lookup per chunk of every inventory, cheaper than a Map's. */
  private readonly seqOf = new I32Column(-1);
  private readonly byNode = new Map<number, Set<Stored>>();
  private added = 0;
  private readonly sets: SlotSets;
  private rows = 0;
  private readonly listeners: Array<(entry: CatalogEntry) => void> = [];

  /** `slotsPerEntry`: replicas kept in place per entry (the replication factor; more are kept beside). */
  constructor(slotsPerEntry = 3) {
    this.sets = new SlotSets(Math.max(1, slotsPerEntry));
  }

  /** Calls `listener` after each change of an entry's replica set (the metadata shards' publisher). */
  onChange(listener: (entry: CatalogEntry) => void): void {
    this.listeners.push(listener);
  }

  private changed(entry: CatalogEntry): void {
    for (const l of this.listeners) l(entry);
  }

  add(chunk: number, bytes: number, checksum: number, replicas: Iterable<number>): CatalogEntry {
    const old = this.get(chunk) as Stored | undefined;
    if (old) for (const n of old.replicas) this.byNode.get(n)!.delete(old);
    const entry = new Stored(this.sets, this.rows++, chunk, bytes, checksum, old ? old.seq : this.added++);
    this.bySeq[entry.seq] = entry;
    this.seqOf.set(chunk, entry.seq);
    for (const n of replicas) this.link(entry, n);
    this.changed(entry);
    return entry;
  }

  get(chunk: number): CatalogEntry | undefined {
    if (!Number.isInteger(chunk) || chunk < 0) return undefined;
    const seq = this.seqOf.get(chunk);
    return seq < 0 ? undefined : this.bySeq[seq];
  }

  /** Every entry, in order of acknowledgement. */
  all(): IterableIterator<CatalogEntry> {
    return this.bySeq.values();
  }

  /** Entries with a replica on `node`, in order of acknowledgement. */
  on(node: number): CatalogEntry[] {
    const held = this.byNode.get(node);
    if (!held) return [];
    const list = [...held];
    // Usually in order already (entries are linked as acknowledged): sort only when a later link broke it.
    for (let i = 1; i < list.length; i++) if (list[i - 1]!.seq > list[i]!.seq) return list.sort((a, b) => a.seq - b.seq);
    return list;
  }

  /** Records a replica of the entry on `node`. */
  addReplica(entry: CatalogEntry, node: number): void {
    if (this.link(entry, node)) this.changed(entry);
  }

  private link(entry: CatalogEntry, node: number): boolean {
    const stored = entry as Stored;
    if (stored.replicas.has(node)) return false;
    stored.replicas.add(node);
    let held = this.byNode.get(node);
    if (!held) this.byNode.set(node, (held = new Set()));
    held.add(stored);
    return true;
  }

  /** Forgets the entry's replica on `node`; false if it had none there. */
  removeReplica(entry: CatalogEntry, node: number): boolean {
    const stored = entry as Stored;
    if (!stored.replicas.delete(node)) return false;
    this.byNode.get(node)!.delete(stored);
    this.changed(entry);
    return true;
  }
}
