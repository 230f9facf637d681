import type { SimTime } from '../kernel/index.js';
import { F64Column, I32Column, IntColumn } from '../kernel/columns.js';
import type { Invariant } from './invariant.js';
import type { OpIds } from './op-ids.js';

/** The three invariants RaftLogs judges, declared by its owner (see RaftChecker). */
export interface RaftLogInvariants { matching: Invariant; completeness: Invariant; durable: Invariant }

/** A log entry: its term and its command's id, coded (OpIds). */
export interface LogEntry { term: number; code: number }
/** A later term's first entry at an index already seen in another term (rare: only after a leader change with uncommitted entries). */
interface Seen extends LogEntry { prevTerm: number; node: number }

/**
 * A member's shadow log: below `base` it is the committed log (not stored:
 * it was checked equal, and is re-stored here should the committed log ever
 * change below it), from `base` on the entries in `tail`. What a member's
 * log holds beyond the committed one is short, so each shadow log costs
 * little however long the run.
 */
interface ShadowLog { base: number; tail: Array<LogEntry | undefined>; agreed: number; compactAt: number }

/** A term column's value where there is no entry (a gap placeholder's term is -1, and it can be committed). */
const NONE = -2;

/** How much of a tail may be checked against the committed log before its agreeing prefix is dropped. */
const COMPACT_EVERY = 1024;

/**
 * A shadow of every Raft member's log, kept from the members' own reports,
 * and the committed log as leaders commit it. Against these it checks, as
 * each entry is written or committed:
 * - log matching: two entries with the same index and term hold the same
 *   command and follow entries of the same term (by induction, the logs are
 *   then identical up to there);
 * - leader completeness: a new leader's log holds every entry committed so
 *   far, and no leader ever commits something else at a committed index;
 * - acknowledged writes kept: a write acknowledged at an index is the entry
 *   committed there, then and to the end of the run.
 * What it keeps is in columns of numbers, about 40 bytes a log index: the
 * entry first seen there, the committed entry and the write acknowledged
 * there. Below a floor its owner sets (`settle`: no member will write there
 * again), only the committed entry is kept, 12 bytes an index. (`test/check/raft-logs-reference.ts` is the plain
 * version, an array of entries per member; a property test holds the two to
 * the same verdicts.)
 */
export class RaftLogs {
  readonly matching: Invariant;
  readonly completeness: Invariant;
  readonly durable: Invariant;
  private readonly logs = new Map<number, ShadowLog>();
  /** By index, the first entry seen there (its term: NONE if none yet), and the term of the entry before it and who wrote it. */
  private readonly seenTerm = new I32Column(NONE);
  private readonly seenCode = new F64Column();
  private readonly seenPrevTerm = new I32Column();
  private readonly seenNode = new I32Column();
  /** Entries of a second or later term at an index, by index. */
  private readonly seenLater = new Map<number, Seen[]>();
  /** The committed log, by index - 1 (NONE: nothing committed there). */
  private readonly committedTerm = new IntColumn(NONE, undefined, 16);
  private readonly committedCode = new IntColumn();
  /** The write acknowledged at each index (its code; -1: none), so a later change of the committed entry there is caught. */
  private readonly ackedAt = new F64Column(-1);
  /** How many entries from the start of the committed log have no gap: a shadow log's base never passes it. */
  private contiguous = 0;
  /** What a snapshot stands for where the committed log has a gap: visible, never equal to a real entry. */
  private readonly gap: LogEntry;
  /** Indexes up to here are settled: the first entries seen there and the writes acknowledged there are forgotten. */
  private floor = 0;

  /** `compactEvery`: tail entries between attempts to drop an agreeing prefix (small in tests, to exercise it). */
  constructor(private readonly nameOf: (node: number) => string, invariants: RaftLogInvariants, private readonly ids: OpIds, private readonly compactEvery = COMPACT_EVERY) {
    ({ matching: this.matching, completeness: this.completeness, durable: this.durable } = invariants);
    this.gap = { term: -1, code: ids.code('?') };
  }

  private log(node: number): ShadowLog {
    let l = this.logs.get(node);
    if (!l) this.logs.set(node, (l = { base: 0, tail: [], agreed: 0, compactAt: this.compactEvery }));
    return l;
  }

  /** How many entries from the start of the committed log have no gap. */
  get committedContiguous(): number {
    return this.contiguous;
  }

  /** The committed entry at `index` (1-based), if any. */
  committedAt(index: number): LogEntry | undefined {
    return this.committedEntry(index - 1);
  }

  /**
   * No member will write at `floor` or below again (each member's log
   * starts above it, snapshots standing for what is below): what was kept
   * there to check later writes is dropped. A write there after all
   * (which a correct group cannot make) is not held to log matching, and a
   * committed entry changed there is not held against the write
   * acknowledged there (leader completeness still reports the change).
   */
  settle(floor: number): void {
    if (floor <= this.floor) return;
    this.floor = floor;
    for (const c of [this.seenTerm, this.seenCode, this.seenPrevTerm, this.seenNode, this.ackedAt]) c.forget(floor + 1);
    for (const index of this.seenLater.keys()) if (index <= floor) this.seenLater.delete(index);
  }

  private get committedLength(): number {
    return this.committedTerm.length;
  }

  private committedEntry(i: number): LogEntry | undefined {
    const term = this.committedTerm.get(i);
    return term === NONE ? undefined : { term, code: this.committedCode.get(i) };
  }

  /** Entry i (0-based) of a shadow log. */
  private at(l: ShadowLog, i: number): LogEntry | undefined {
    return i < l.base ? this.committedEntry(i) : l.tail[i - l.base];
  }

  private length(l: ShadowLog): number {
    return l.base + l.tail.length;
  }

  /** Drops the start of a long tail where it equals the committed log (`now`: whatever its length). */
  private compact(l: ShadowLog, now = false): void {
    if (!now && l.tail.length < l.compactAt) return;
    let n = 0;
    while (n < l.tail.length && l.base + n < this.contiguous) {
      const e = l.tail[n];
      if (!e || e.term !== this.committedTerm.get(l.base + n) || e.code !== this.committedCode.get(l.base + n)) break;
      n++;
    }
    if (n > 0) {
      l.tail.splice(0, n);
      l.base += n;
    }
    l.compactAt = l.tail.length + this.compactEvery;
  }

  written(now: SimTime, node: number, index: number, term: number, id: string, prevTerm: number): void {
    const l = this.log(node);
    const code = this.ids.code(id);
    // Usually an append at the end.
    if (index - 1 < l.base) {
      l.base = index - 1;
      l.tail.length = 0;
    } else if (this.length(l) !== index - 1) l.tail.length = index - 1 - l.base;
    if (l.agreed >= index) l.agreed = index - 1;
    // Settled indexes keep no first entry to match against (see settle).
    if (index > this.floor) this.matchFirstSeen(now, node, index, term, code, id, prevTerm);
    l.tail.push({ term, code });
    this.compact(l);
  }

  /** Log matching: the entry of `term` at `index` against the first one seen there, which it becomes if it is the first. */
  private matchFirstSeen(now: SimTime, node: number, index: number, term: number, code: number, id: string, prevTerm: number): void {
    const firstTerm = this.seenTerm.get(index);
    let before: Seen | undefined;
    if (firstTerm === term) before = { term, code: this.seenCode.get(index), prevTerm: this.seenPrevTerm.get(index), node: this.seenNode.get(index) };
    else if (firstTerm !== NONE) before = this.seenLater.get(index)?.find((s) => s.term === term);
    if (!before) {
      if (firstTerm === NONE) {
        this.seenTerm.set(index, term);
        this.seenCode.set(index, code);
        this.seenPrevTerm.set(index, prevTerm);
        this.seenNode.set(index, node);
      } else {
        const later = this.seenLater.get(index);
        const s: Seen = { term, code, prevTerm, node };
        if (later) later.push(s);
        else this.seenLater.set(index, [s]);
      }
    } else if (before.code !== code || before.prevTerm !== prevTerm) {
      this.matching.violated(now, `index ${index} term ${term}: ${this.nameOf(before.node)} holds ${this.ids.id(before.code)} after a term-${before.prevTerm} entry, ${this.nameOf(node)} holds ${id} after a term-${prevTerm} entry`);
    }
  }

  /** A log of `length` entries, the committed log up to `upTo` and then `after`; gaps in the committed log kept visible. */
  private replace(node: number, upTo: number, after: Array<LogEntry | undefined>, agreed: number): void {
    const base = Math.min(upTo, this.contiguous);
    const gaps: LogEntry[] = [];
    for (let i = base; i < upTo; i++) gaps.push(this.committedEntry(i) ?? this.gap);
    this.logs.set(node, { base, tail: [...gaps, ...after], agreed, compactAt: gaps.length + after.length + this.compactEvery });
  }

  /** A member restarted with a snapshot up to `base` (committed entries, by definition) and `entries` after it. */
  restored(node: number, base: number, entries: ReadonlyArray<{ term: number; id: string }>): void {
    this.replace(node, base, entries.map((e) => ({ term: e.term, code: this.ids.code(e.id) })), base);
  }

  /** A member installed its leader's snapshot up to `index`: the committed prefix, and its own entries after it only if it agreed at `index`. */
  installed(node: number, index: number, term: number): void {
    const l = this.log(node);
    const keep: Array<LogEntry | undefined> = [];
    if (this.at(l, index - 1)?.term === term) for (let i = index; i < this.length(l); i++) keep.push(this.at(l, i));
    this.replace(node, index, keep, index);
  }

  electedLeader(now: SimTime, node: number, term: number): void {
    const l = this.log(node);
    const committed = this.committedLength;
    l.agreed = committed;
    // Below its base a shadow log is the committed log.
    for (let i = l.base; i < committed; i++) {
      const c = this.committedEntry(i)!;
      const mine = l.tail[i - l.base];
      if (mine?.code === c.code && mine.term === c.term) continue;
      l.agreed = i;
      return this.completeness.violated(now, `${this.nameOf(node)} leads term ${term} without committed entry ${i + 1} (${this.ids.id(c.code)}, term ${c.term}); its log has ${mine ? `${this.ids.id(mine.code)}, term ${mine.term}` : 'nothing'} there`);
    }
  }

  /** A leader advanced its commit index to `index`: what its log holds up to there is committed. */
  committedUpTo(now: SimTime, node: number, index: number): void {
    const l = this.log(node);
    for (let i = l.agreed; i < index; i++) {
      const mine = this.at(l, i);
      if (!mine) break;
      l.agreed = i + 1;
      const c = this.committedEntry(i);
      if (!c) {
        this.commit(i, mine);
        continue;
      }
      if (c.code === mine.code && c.term === mine.term) continue;
      this.completeness.violated(now, `${this.nameOf(node)} commits ${this.ids.id(mine.code)} (term ${mine.term}) at index ${i + 1}, where ${this.ids.id(c.code)} (term ${c.term}) was committed`);
      const acked = this.ackedAt.get(i + 1);
      if (acked === c.code) this.durable.violated(now, `acknowledged write ${this.ids.id(acked)} at index ${i + 1} replaced by ${this.ids.id(mine.code)}`);
      // Shadow logs that stand on the committed entry being replaced keep the old one.
      for (const other of this.logs.values()) {
        if (other.base <= i) continue;
        const held: LogEntry[] = [];
        for (let j = i; j < other.base; j++) held.push(this.committedEntry(j)!);
        other.tail = [...held, ...other.tail];
        other.base = i;
      }
      this.commit(i, mine);
    }
    // A leader's log agrees with the committed one up to `agreed`, usually.
    this.compact(l, l.agreed - l.base >= this.compactEvery);
  }

  private commit(i: number, e: LogEntry): void {
    this.committedTerm.set(i, e.term);
    this.committedCode.set(i, e.code);
    while (this.committedTerm.get(this.contiguous) !== NONE) this.contiguous++;
  }

  /** The entry at `index` of a member's log as its telemetry has shown it. */
  entryAt(node: number, index: number): LogEntry | undefined {
    const l = this.logs.get(node);
    return l && this.at(l, index - 1);
  }

  acknowledged(now: SimTime, id: string, index: number): void {
    const code = this.ids.code(id);
    const c = this.committedEntry(index - 1);
    if (c?.code !== code) this.durable.violated(now, `write ${id} acknowledged at index ${index}, where the committed log holds ${c ? this.ids.id(c.code) : 'nothing yet'}`);
    if (index > this.floor) this.ackedAt.set(index, code);
  }
}
