import { AppliedIds, type AppliedPagePool } from './applied-ids.js';
import type { Entry } from './log.js';

/** A state machine image as of a log index: what a snapshot holds. Never changed once taken. */
export interface Snapshot {
  index: number;
  term: number;
  kv: ReadonlyMap<string, { value: number; writeId: string }>;
  /** Ids applied, with the index each first took effect at (duplicates of a retried write change nothing). */
  applied: Pick<AppliedIds, 'size' | 'get' | 'clone'>;
  /** The voting members in force at `index` (set by the member taking the snapshot). */
  config?: readonly number[];
}

/** Bytes a snapshot takes on disk and on the wire: per key and per remembered id. */
export function snapshotBytes(s: Snapshot): number {
  return 64 + 64 * s.kv.size + 24 * s.applied.size;
}

/** The replicated key-value map: each key's value and the id of the write that set it. */
export class KvStateMachine {
  private readonly kv: Map<string, { value: number; writeId: string }>;
  private readonly applied: AppliedIds;

  /** `pool`: the group's shared pages of applied ids (a snapshot's record brings its own). */
  constructor(from?: Snapshot, pool?: AppliedPagePool) {
    this.kv = new Map(from?.kv);
    this.applied = from ? from.applied.clone() : new AppliedIds(pool);
  }

  /** Applies the entry at `index`; only the first copy of an id takes effect. */
  apply(index: number, e: Entry): void {
    if (this.applied.has(e.id)) return;
    if (e.key) this.kv.set(e.key, { value: e.value, writeId: e.id });
    this.applied.set(e.id, index);
  }

  /** Where an applied id first took effect, if it has. */
  indexOf(id: string): number | undefined {
    return this.applied.get(id);
  }

  read(key: string): { value: number; writeId: string } | undefined {
    return this.kv.get(key);
  }

  snapshot(index: number, term: number): Snapshot {
    return { index, term, kv: new Map(this.kv), applied: this.applied.clone() };
  }
}
