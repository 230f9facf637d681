import { F64Column, I32Column, U8Column } from '../../kernel/index.js';

/** One chunk's final outcome as the orchestrator records it. */
export interface LoggedOutcome {
  chunk: number;
  outcome: 'acked' | 'failed';
  /** Replicas the chunk was acknowledged with (empty when failed). */
  replicas: number[];
  bytes: number;
  reason: string;
}

const OUTCOMES = ['acked', 'failed'] as const;
/** Entries per column page: 1,024 outcomes, some 20 KB. */
const PAGE_BITS = 10;

/**
 * The outcome log's entries in columns: some 25 bytes an outcome (plus 4
 * a replica) where an object with its replica array cost some 250, and the
 * log holds one per chunk for the whole run. Append-only, except that
 * `truncate` takes back entries whose write failed; positions below what a
 * completed write covered are never written again, so the copy on disk (this
 * table and the length it was written with) stays as written.
 */
export class OutcomeTable {
  private readonly chunk = new I32Column(0, PAGE_BITS);
  private readonly outcome = new U8Column(0, PAGE_BITS);
  private readonly bytes = new F64Column(0, PAGE_BITS);
  /** Where each entry's replicas start in `replicaIds`; they end where the next entry's start. */
  private readonly replicaStart = new F64Column(0, PAGE_BITS);
  private readonly replicaIds = new I32Column(0, PAGE_BITS + 2);
  /** Reasons that are not empty (a failure's cause, an adoption), by entry. */
  private readonly reasons = new Map<number, string>();
  length = 0;

  append(e: LoggedOutcome): void {
    const i = this.length++;
    this.chunk.set(i, e.chunk);
    this.outcome.set(i, OUTCOMES.indexOf(e.outcome));
    this.bytes.set(i, e.bytes);
    const start = this.replicaIds.length;
    this.replicaStart.set(i, start);
    e.replicas.forEach((n, k) => this.replicaIds.set(start + k, n));
    this.replicaStart.set(i + 1, start + e.replicas.length);
    if (e.reason !== '') this.reasons.set(i, e.reason);
    else this.reasons.delete(i);
  }

  /** Takes back every entry from `length` on (their write failed). */
  truncate(length: number): void {
    this.length = length;
    this.replicaIds.length = this.replicaStart.get(length);
    this.replicaStart.length = length + 1;
    for (const c of [this.chunk, this.outcome, this.bytes]) c.length = Math.min(c.length, length);
  }

  /** Entry `i` as an object. */
  at(i: number): LoggedOutcome {
    const replicas: number[] = [];
    for (let k = this.replicaStart.get(i); k < this.replicaStart.get(i + 1); k++) replicas.push(this.replicaIds.get(k));
    return { chunk: this.chunk.get(i), outcome: OUTCOMES[this.outcome.get(i)]!, replicas, bytes: this.bytes.get(i), reason: this.reasons.get(i) ?? '' };
  }

  /** The first `length` entries, as objects. */
  slice(length: number): LoggedOutcome[] {
    const out: LoggedOutcome[] = [];
    for (let i = 0; i < length; i++) out.push(this.at(i));
    return out;
  }
}
