import type { SimTime } from '../kernel/index.js';
import type { LinearizabilityViolation } from './linearizability.js';
import { CodeIndex, OpIds } from './op-ids.js';

interface Write { code: number; key: number; invoked: SimTime; completed: SimTime; position: number; seq: number }
/** `saw`: the code of the write returned, -1 for the initial value. `resolved`: the read sits in its write's cluster (pending reads wait for the write to take effect); `dropped`: its cluster was settled. */
interface Read { code: number; key: number; invoked: SimTime; completed: SimTime; saw: number; seq: number; resolved: boolean; dropped: boolean }
/** A write that took effect with the reads that returned it, or a key's initial value (no write, seq -1) with its reads. */
interface Cluster { position: number; seq: number; write: Write | undefined; reads: Read[] }
/** An operation of a cluster: the write, or one of its reads. */
type Op = Write | Read;

/** What a key keeps of its settled clusters once they are dropped: the highest one's position, and an operation later in the log that finished before any operation still to come started. */
interface Floor { position: number; witness: string; witnessDone: SimTime }

/**
 * A violation with what orders it among others that happened at the same
 * time, as checkRegisters' list orders them: phase 1 (reads of writes that
 * never took effect or were not yet sent, by read) before phase 2 (by key,
 * then cluster, then operation).
 */
interface Violation { time: SimTime; phase: 1 | 2; key: number; position: number; cluster: number; op: number; detail: string }

/** Operations recorded before the first attempt to settle, and the least between attempts. */
const SETTLE_AFTER = 4096;

/**
 * The register history a linearizability check needs, checked as it goes
 * and kept bounded: what is settled is judged and dropped, so a run of any
 * length keeps a window of recent operations (a few thousand: it settles
 * after every SETTLE_AFTER or more) plus, per write, where it took effect
 * and its key (8 bytes), instead of every operation of the run.
 *
 * The check is `checkRegisters` (linearizability.ts, the readable statement
 * and the oracle the property test compares against): per key, each write
 * that took effect and the reads that returned it form a cluster, clusters
 * ordered by log position; an operation is a violation if it started after
 * an operation of a later cluster had finished. `settle(horizon)` drops a
 * key's lowest clusters while
 * - an operation of a later cluster finished before `horizon`, which the
 *   caller promises no operation still to be recorded started before (the
 *   oldest strong read still in flight), so anything that joins a dropped
 *   cluster later is a violation, witnessed by that operation;
 * - no operation already finished is still without a cluster (a read whose
 *   write has not taken effect yet, a write acknowledged before it took
 *   effect) that could yet land above them and finish before they started;
 * - and it is not the key's latest cluster (its value is the current one).
 * Settled operations can be judged then: an operation recorded later
 * finishes after every settled one started, so it can neither convict one
 * nor be named as the earliest finisher against one. The verdicts are
 * those checkRegisters gives over the whole run (the count, and the first
 * violation's time and text), with one difference, in the detail only: a
 * read that returns a value from a dropped cluster is named against the
 * witness kept for the key, an operation later in the log that finished
 * before it started, not necessarily the earliest such. One more limit:
 * a write that first takes effect below a dropped cluster (which only a
 * log that breaks state machine safety allows, and that invariant then
 * says so) is judged against the witness alone.
 */
export class RegisterHistory {
  private readonly keyOf = new Map<string, number>();
  private readonly keyNames: string[] = [];
  /** Per key, the first write that took effect (its seq) and the first read (its seq): checkRegisters meets keys in that order. */
  private readonly firstPlaced: number[] = [];
  private readonly firstRead: number[] = [];
  private readonly floors: Array<Floor | undefined> = [];
  /** Writes not settled yet, by code, in the order first sent. */
  private readonly writes = new Map<number, Write>();
  /** Reads not settled yet, in the order answered. */
  private reads: Read[] = [];
  /** Where each write first took effect (every write the group applied, sent through this history or not). */
  private readonly positions = new CodeIndex();
  /** Settled writes: their key, so a read that returns one later is still judged. */
  private readonly settledKey = new CodeIndex();
  private writeSeq = 0;
  private readSeq = 0;
  private violations = 0;
  /** The violations at the earliest time found so far (the first is among them, once keys are ranked at the end). */
  private earliest: Violation[] = [];
  /** Violating writes not acknowledged yet: their time is their acknowledgement's, if one comes. */
  private readonly unackedViolations = new Map<number, Violation>();
  private recorded = 0;
  private settleAt = SETTLE_AFTER;

  constructor(private readonly ids: OpIds) {}

  /** Operations kept (not settled): for tests and the bench. */
  get kept(): number {
    return this.writes.size + this.reads.length;
  }

  /** Whether enough was recorded since the last attempt to settle. */
  get due(): boolean {
    return this.recorded >= this.settleAt;
  }

  private key(name: string): number {
    let k = this.keyOf.get(name);
    if (k === undefined) {
      this.keyOf.set(name, (k = this.keyNames.length));
      this.keyNames.push(name);
      this.firstPlaced.push(Infinity);
      this.firstRead.push(Infinity);
      this.floors.push(undefined);
    }
    return k;
  }

  private placed(w: Write): void {
    this.firstPlaced[w.key] = Math.min(this.firstPlaced[w.key]!, w.seq);
  }

  /** The log index where write `id` first took effect, -1 if none yet. */
  positionOf(id: string): number {
    return this.positions.get(this.ids.known(id));
  }

  /** A write was sent (again, if retried: only the first counts), at `position` if already applied (0: not yet). */
  sent(id: string, key: string, invoked: SimTime, position: number): void {
    const code = this.ids.code(id);
    if (this.writes.has(code) || this.settledKey.has(code)) return;
    if (position > 0 && !this.positions.has(code)) this.positions.set(code, position);
    const w: Write = { code, key: this.key(key), invoked, completed: Infinity, position, seq: this.writeSeq++ };
    this.writes.set(code, w);
    if (position > 0) this.placed(w);
    this.recorded++;
  }

  /** Write `id` took effect at `position` (only its first application counts). */
  applied(id: string, position: number): void {
    this.appliedCode(this.ids.code(id), position);
  }

  /** `applied` for an id already coded (the checker codes every applied entry's id once). */
  appliedCode(code: number, position: number): void {
    if (this.positions.has(code)) return;
    this.positions.set(code, position);
    const w = this.writes.get(code);
    if (!w) return;
    w.position = position;
    this.placed(w);
  }

  /** The write was acknowledged (the first acknowledgement counts). */
  acknowledged(id: string, at: SimTime): void {
    const code = this.ids.known(id);
    const w = this.writes.get(code);
    if (w && !Number.isFinite(w.completed)) w.completed = at;
    const v = this.unackedViolations.get(code);
    if (v) {
      this.unackedViolations.delete(code);
      v.time = at;
      this.consider(v);
    }
  }

  /** A strong read `id` of `key`, sent at `invoked`, returned at `completed` the value of write `saw` ('' for the initial value). */
  read(id: string, key: string, invoked: SimTime, completed: SimTime, saw: string): void {
    const r: Read = { code: this.ids.code(id), key: this.key(key), invoked, completed, saw: saw === '' ? -1 : this.ids.code(saw), seq: this.readSeq++, resolved: false, dropped: false };
    this.firstRead[r.key] = Math.min(this.firstRead[r.key]!, r.seq);
    this.recorded++;
    if (!this.resolve(r, false)) this.reads.push(r);
  }

  /**
   * Finds a read's cluster where it can: false if the read is to be kept
   * (in a cluster not settled, or waiting for its write), true if it was
   * judged here. `final`: at the end, a read still without a cluster
   * returned a write that never took effect.
   */
  private resolve(r: Read, final: boolean): boolean {
    if (r.resolved) return false;
    const floor = this.floors[r.key];
    const neverTookEffect = (): true => {
      this.record({ time: r.completed, phase: 1, key: r.key, position: 0, cluster: 0, op: r.seq, detail: `key ${this.keyNames[r.key]}: read ${this.ids.id(r.code)} returned the value of ${this.ids.id(r.saw)}, a write that never took effect` });
      return true;
    };
    if (r.saw === -1) {
      if (floor) return this.judgeBelowFloor(r, floor, 0, '');
      r.resolved = true;
      return false;
    }
    const w = this.writes.get(r.saw);
    if (w) {
      if (w.key !== r.key) return neverTookEffect();
      if (w.position === 0) return final ? neverTookEffect() : false;
      if (r.completed < w.invoked) this.record({ time: r.completed, phase: 1, key: r.key, position: 0, cluster: 0, op: r.seq, detail: `key ${this.keyNames[r.key]}: read ${this.ids.id(r.code)} returned ${this.ids.id(r.saw)} before that write was sent` });
      r.resolved = true;
      return false;
    }
    if (this.settledKey.has(r.saw)) {
      if (this.settledKey.get(r.saw) !== r.key) return neverTookEffect();
      return this.judgeBelowFloor(r, floor!, this.positions.get(r.saw), this.ids.id(r.saw));
    }
    return final ? neverTookEffect() : false;
  }

  /** An operation in a settled cluster (at `position`, of write `wrote`): it comes before the key's witness in the log, so it violates if it started after the witness finished. */
  private judgeBelowFloor(o: Op, floor: Floor, position: number, wrote: string): true {
    if (o.invoked > floor.witnessDone) {
      const k = o.key;
      this.record({
        time: Number.isFinite(o.completed) ? o.completed : o.invoked,
        phase: 2, key: k, position, cluster: 'saw' in o ? -1 : o.seq, op: 'saw' in o ? o.seq : -1,
        detail: `key ${this.keyNames[k]}: ${this.describe(o, position, wrote)} started at ${o.invoked / 1e6}s, after ${floor.witness} had finished at ${floor.witnessDone / 1e6}s, yet comes before it in the log`,
      }, 'saw' in o ? undefined : o.code);
    }
    return true;
  }

  private describe(o: Op, position: number, wrote: string): string {
    if (!('saw' in o)) return `write ${this.ids.id(o.code)} (log index ${position})`;
    return `read ${this.ids.id(o.code)} (saw ${wrote || 'the initial value'}${position ? ` @${position}` : ''})`;
  }

  private describeIn(o: Op, c: Cluster): string {
    return this.describe(o, c.position, c.write ? this.ids.id(c.write.code) : '');
  }

  /** Counts a violation; `unackedWrite`: a write's, not acknowledged yet, whose time may still move to its acknowledgement. */
  private record(v: Violation, unackedWrite?: number): void {
    this.violations++;
    if (unackedWrite !== undefined && !Number.isFinite(this.writes.get(unackedWrite)?.completed ?? Infinity)) this.unackedViolations.set(unackedWrite, v);
    else this.consider(v);
  }

  private consider(v: Violation): void {
    const t = this.earliest[0]?.time ?? Infinity;
    if (v.time < t) this.earliest = [v];
    else if (v.time === t) this.earliest.push(v);
  }

  /**
   * Each key's clusters, lowest position first, from what is kept; a
   * cluster that took effect below its key's dropped ones is judged against
   * the key's witness and left out.
   */
  private clusters(): Map<number, Cluster[]> {
    const byKey = new Map<number, Cluster[]>();
    const ofKey = (k: number): Cluster[] => {
      let cs = byKey.get(k);
      if (!cs) {
        byKey.set(k, (cs = []));
        if (!this.floors[k]) cs.push({ position: 0, seq: -1, write: undefined, reads: [] });
      }
      return cs;
    };
    const byWrite = new Map<number, Cluster>();
    for (const w of this.writes.values()) {
      if (w.position === 0) continue;
      const cs = ofKey(w.key);
      const c: Cluster = { position: w.position, seq: w.seq, write: w, reads: [] };
      byWrite.set(w.code, c);
      cs.push(c);
    }
    for (const r of this.reads) {
      const cs = ofKey(r.key);
      if (r.resolved) (r.saw === -1 ? cs[0]! : byWrite.get(r.saw)!).reads.push(r);
    }
    for (const [k, cs] of byKey) {
      const floor = this.floors[k];
      const kept: Cluster[] = [];
      for (const c of cs) {
        if (!floor || c.position > floor.position) kept.push(c);
        else this.sinkBelow(c, floor);
      }
      byKey.set(k, kept.sort((a, b) => a.position - b.position || a.seq - b.seq));
    }
    return byKey;
  }

  /** Judges and drops a cluster that took effect at or below its key's floor. */
  private sinkBelow(c: Cluster, floor: Floor): void {
    const wrote = c.write ? this.ids.id(c.write.code) : '';
    if (c.write) this.judgeBelowFloor(c.write, floor, c.position, wrote);
    for (const r of c.reads) this.judgeBelowFloor(r, floor, c.position, wrote);
    this.drop(c);
  }

  private drop(c: Cluster): void {
    if (c.write) {
      this.writes.delete(c.write.code);
      this.settledKey.set(c.write.code, c.write.key);
    }
    for (const r of c.reads) r.dropped = true;
  }

  /**
   * Judges clusters against the later ones, as checkRegisters does: for
   * each, the operation that finished first among all later clusters (the
   * highest cluster first on a tie, and within a cluster its write, then
   * its reads in the order answered). `settleBelow`: drop and judge only
   * the key's lowest clusters settled by then (see the class comment), and
   * remember the highest one's witness; undefined: judge every cluster.
   */
  private sweep(k: number, ordered: Cluster[], settleBelow: SimTime | undefined, unplacedDone: SimTime): void {
    const n = ordered.length;
    const laterOp: Array<Op | undefined> = new Array(n);
    const laterCluster: Array<Cluster | undefined> = new Array(n);
    let soonest: Op | undefined;
    let soonestCluster: Cluster | undefined;
    for (let i = n - 1; i >= 0; i--) {
      laterOp[i] = soonest;
      laterCluster[i] = soonestCluster;
      const c = ordered[i]!;
      const consider = (op: Op): void => {
        if (!soonest || op.completed < soonest.completed) (soonest = op), (soonestCluster = c);
      };
      if (c.write) consider(c.write);
      for (const r of c.reads) consider(r);
    }
    let upTo = n;
    if (settleBelow !== undefined) {
      upTo = 0;
      while (upTo < n - 1) {
        const c = ordered[upTo]!;
        if (!(laterOp[upTo]!.completed < settleBelow)) break;
        if ((c.write && c.write.invoked > unplacedDone) || c.reads.some((r) => r.invoked > unplacedDone)) break;
        upTo++;
      }
    }
    for (let i = 0; i < upTo; i++) {
      const c = ordered[i]!;
      const later = laterOp[i];
      if (later) {
        const judge = (op: Op, order: number): void => {
          if (op.invoked <= later.completed) return;
          this.record({
            time: Number.isFinite(op.completed) ? op.completed : op.invoked,
            phase: 2, key: k, position: c.position, cluster: c.seq, op: order,
            detail: `key ${this.keyNames[k]}: ${this.describeIn(op, c)} started at ${op.invoked / 1e6}s, after ${this.describeIn(later, laterCluster[i]!)} had finished at ${later.completed / 1e6}s, yet comes before it in the log`,
          }, 'saw' in op ? undefined : op.code);
        };
        if (c.write) judge(c.write, -1);
        for (const r of c.reads) judge(r, r.seq);
      }
      if (settleBelow !== undefined) this.drop(c);
    }
    if (settleBelow !== undefined && upTo > 0) {
      const top = upTo - 1;
      this.floors[k] = { position: ordered[top]!.position, witness: this.describeIn(laterOp[top]!, laterCluster[top]!), witnessDone: laterOp[top]!.completed };
    }
  }

  /**
   * Judges and drops what is settled. `horizon`: no operation recorded from
   * now on started before it (the oldest strong read in flight, or now).
   */
  settle(horizon: SimTime): void {
    this.reads = this.reads.filter((r) => !this.resolve(r, false));
    let unplacedDone = Infinity;
    for (const r of this.reads) if (!r.resolved) unplacedDone = Math.min(unplacedDone, r.completed);
    for (const w of this.writes.values()) if (w.position === 0) unplacedDone = Math.min(unplacedDone, w.completed);
    for (const [k, ordered] of this.clusters()) this.sweep(k, ordered, horizon, unplacedDone);
    this.reads = this.reads.filter((r) => !r.dropped);
    this.recorded = 0;
    this.settleAt = Math.max(SETTLE_AFTER, 2 * this.kept);
  }

  /** The check over the whole run (what was settled, and the rest now): how many violations, and the first (checkRegisters' order). */
  check(): { violations: number; first: LinearizabilityViolation | undefined } {
    this.reads = this.reads.filter((r) => !this.resolve(r, true));
    for (const [k, ordered] of this.clusters()) this.sweep(k, ordered, undefined, Infinity);
    for (const v of this.unackedViolations.values()) this.consider(v);
    this.unackedViolations.clear();
    // checkRegisters meets keys through the writes that took effect (in the order sent), then the reads (in the order answered).
    const rank = (k: number): number => (this.firstPlaced[k]! < Infinity ? this.firstPlaced[k]! : this.writeSeq + this.firstRead[k]!);
    const order = (a: Violation, b: Violation): number =>
      a.phase - b.phase || (a.phase === 1 ? a.op - b.op : rank(a.key) - rank(b.key) || a.position - b.position || a.cluster - b.cluster || a.op - b.op);
    const first = this.earliest.sort(order)[0];
    return { violations: this.violations, first: first && { time: first.time, detail: first.detail } };
  }
}
