import type { SimTime } from '../../src/kernel/index.js';
import type { Invariant } from '../../src/check/invariant.js';

/** The three invariants RaftLogs judges, declared by its owner (see RaftChecker). */
export interface RaftLogInvariants { matching: Invariant; completeness: Invariant; durable: Invariant }

interface LogEntry { term: number; id: string }
/** The first entry seen at an index in a term; also what every shadow log holding that entry points to (one object, not one per member). */
interface Seen extends LogEntry { prevTerm: number; node: number }

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
 */
/**
 * The plain statement of what src/check/raft-logs.ts checks: an array of
 * entries per member and per index, as the checker was before it kept its
 * whole-run state in columns. The property test holds the two to the same
 * verdicts, word for word.
 */
export class ReferenceRaftLogs {
  readonly matching: Invariant;
  readonly completeness: Invariant;
  readonly durable: Invariant;
  private readonly logs = new Map<number, LogEntry[]>();
  /**
   * By index, per term seen there: the command first seen and the term of
   * the entry before it. Almost always one term, kept as the entry itself;
   * an array only when a second term shows up (an empty array per index
   * was most of this checker's memory).
   */
  private readonly seen: Array<Seen | Seen[] | undefined> = [];
  private readonly committed: LogEntry[] = [];
  /** Per member, how much of its log is known to agree with the committed log (so commits cost O(new entries)). */
  private readonly agreed = new Map<number, number>();
  /** Acknowledged writes by index, so a later change of the committed entry there is caught. */
  private readonly ackedAt = new Map<number, string>();

  constructor(private readonly nameOf: (node: number) => string, invariants: RaftLogInvariants) {
    ({ matching: this.matching, completeness: this.completeness, durable: this.durable } = invariants);
  }

  private log(node: number): LogEntry[] {
    let l = this.logs.get(node);
    if (!l) this.logs.set(node, (l = []));
    return l;
  }

  written(now: SimTime, node: number, index: number, term: number, id: string, prevTerm: number): void {
    const log = this.log(node);
    // Usually an append at the end; truncating a large array costs, so only when it is one.
    if (log.length !== index - 1) log.length = index - 1;
    if ((this.agreed.get(node) ?? 0) >= index) this.agreed.set(node, index - 1);
    const atIndex = this.seen[index];
    const before = atIndex === undefined ? undefined : Array.isArray(atIndex) ? atIndex.find((s) => s.term === term) : atIndex.term === term ? atIndex : undefined;
    if (!before) {
      const first: Seen = { term, id, prevTerm, node };
      this.seen[index] = atIndex === undefined ? first : Array.isArray(atIndex) ? (atIndex.push(first), atIndex) : [atIndex, first];
      return void log.push(first);
    }
    if (before.id !== id || before.prevTerm !== prevTerm) {
      log.push({ term, id });
      this.matching.violated(now, `index ${index} term ${term}: ${this.nameOf(before.node)} holds ${before.id} after a term-${before.prevTerm} entry, ${this.nameOf(node)} holds ${id} after a term-${prevTerm} entry`);
    } else log.push(before);
  }

  /** A member restarted with a snapshot up to `base` (committed entries, by definition) and `entries` after it. */
  restored(node: number, base: number, entries: ReadonlyArray<LogEntry>): void {
    this.logs.set(node, [...this.committedPrefix(base), ...entries.map((e) => ({ term: e.term, id: e.id }))]);
    this.agreed.set(node, base);
  }

  /** A member installed its leader's snapshot up to `index`: the committed prefix, and its own entries after it only if it agreed at `index`. */
  installed(node: number, index: number, term: number): void {
    const log = this.log(node);
    const keep = log[index - 1]?.term === term ? log.slice(index) : [];
    this.logs.set(node, [...this.committedPrefix(index), ...keep]);
    this.agreed.set(node, index);
  }

  private committedPrefix(length: number): LogEntry[] {
    // A snapshot holds only committed entries, all of which a leader's commit has shown; a gap would be a checker bug, kept visible.
    return Array.from({ length }, (_, i) => this.committed[i] ?? { term: -1, id: '?' });
  }

  electedLeader(now: SimTime, node: number, term: number): void {
    const log = this.log(node);
    this.agreed.set(node, this.committed.length);
    for (let i = 0; i < this.committed.length; i++) {
      const c = this.committed[i]!;
      const mine = log[i];
      if (mine?.id === c.id && mine.term === c.term) continue;
      this.agreed.set(node, i);
      return this.completeness.violated(now, `${this.nameOf(node)} leads term ${term} without committed entry ${i + 1} (${c.id}, term ${c.term}); its log has ${mine ? `${mine.id}, term ${mine.term}` : 'nothing'} there`);
    }
  }

  /** A leader advanced its commit index to `index`: what its log holds up to there is committed. */
  committedUpTo(now: SimTime, node: number, index: number): void {
    const log = this.log(node);
    for (let i = this.agreed.get(node) ?? 0; i < index; i++) {
      const mine = log[i];
      if (!mine) return;
      this.agreed.set(node, i + 1);
      const c = this.committed[i];
      if (!c) {
        this.committed[i] = mine;
        continue;
      }
      if (c.id === mine.id && c.term === mine.term) continue;
      this.completeness.violated(now, `${this.nameOf(node)} commits ${mine.id} (term ${mine.term}) at index ${i + 1}, where ${c.id} (term ${c.term}) was committed`);
      const acked = this.ackedAt.get(i + 1);
      if (acked === c.id) this.durable.violated(now, `acknowledged write ${acked} at index ${i + 1} replaced by ${mine.id}`);
      this.committed[i] = mine;
    }
  }

  /** The entry at `index` of a member's log as its telemetry has shown it. */
  entryAt(node: number, index: number): LogEntry | undefined {
    return this.logs.get(node)?.[index - 1];
  }

  acknowledged(now: SimTime, id: string, index: number): void {
    const c = this.committed[index - 1];
    if (c?.id !== id) this.durable.violated(now, `write ${id} acknowledged at index ${index}, where the committed log holds ${c ? c.id : 'nothing yet'}`);
    this.ackedAt.set(index, id);
  }
}
