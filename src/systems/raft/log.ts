/**
 * One log entry: a command from a client, tagged with the term it was proposed
 * in. Defined here, below both the wire messages and the state machine, so
 * neither of those has to import the other.
 */
export interface Entry {
  term: number;
  /** Client-chosen unique id of the write. */
  id: string;
  key: string;
  value: number;
  /** A configuration entry: the voting members from this entry on (in force as soon as it is in a log, committed or not). */
  config?: readonly number[];
}

/**
 * A member's log after its latest snapshot: the snapshot stands for every
 * entry up to `base` (whose term is `baseTerm`), and entries[i] is the entry
 * at index base + 1 + i. Appends never touch earlier positions, and anything
 * that removes entries (truncation, compaction) replaces the array, so a
 * stored copy of (entries, length) stays what it was at no copying cost.
 */
export class RaftLog {
  private entries: Entry[];

  constructor(public base = 0, public baseTerm = 0, entries: readonly Entry[] = []) {
    this.entries = entries.slice();
  }

  get lastIndex(): number {
    return this.base + this.entries.length;
  }

  /** The term at `index`: 0 before the first entry, -1 if there is none (or it was compacted away, below `base`). */
  termAt(index: number): number {
    if (index === this.base) return this.baseTerm;
    if (index < this.base) return index === 0 ? 0 : -1;
    return this.entries[index - this.base - 1]?.term ?? -1;
  }

  /** The entry at `index`, if held (not compacted, not past the end). */
  at(index: number): Entry | undefined {
    return index > this.base ? this.entries[index - this.base - 1] : undefined;
  }

  append(e: Entry): void {
    this.entries.push(e);
  }

  /** Drops the entries from `index` on. */
  truncateFrom(index: number): void {
    this.entries = this.entries.slice(0, Math.max(0, index - this.base - 1));
  }

  /** Up to `count` entries from `index` on (index > base). */
  slice(index: number, count: number): Entry[] {
    const from = index - this.base - 1;
    return this.entries.slice(from, from + count);
  }

  /** Forgets entries up to `index` (held in a snapshot now). */
  compact(index: number): void {
    if (index <= this.base) return;
    const term = this.termAt(index);
    this.entries = this.entries.slice(index - this.base);
    this.base = index;
    this.baseTerm = term;
  }

  /** A leader's snapshot replaces everything up to `index`; entries after it are kept only if the log agrees at `index`. */
  install(index: number, term: number): void {
    const keep = this.termAt(index) === term ? this.entries.slice(index - this.base) : [];
    this.entries = keep;
    this.base = index;
    this.baseTerm = term;
  }

  /** The live array and its length, for storing (see the class comment). */
  stored(): { base: number; baseTerm: number; entries: readonly Entry[]; length: number } {
    return { base: this.base, baseTerm: this.baseTerm, entries: this.entries, length: this.entries.length };
  }

  /** The entries after `base`, copied. */
  copy(): Entry[] {
    return this.entries.slice();
  }
}
