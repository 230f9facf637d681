import type { SimTime } from '../kernel/index.js';
import { F64Column, I32Column } from '../kernel/columns.js';
import type { LinearizabilityViolation } from './linearizability.js';
import { CodeIndex, OpIds } from './op-ids.js';

/**
 * The register history a linearizability check needs (every write sent and
 * every strong read answered, for the whole run), kept in columns: about 40
 * bytes a write and 36 a read, where objects with string ids cost some 250.
 * `check` is `checkRegisters` (linearizability.ts, the readable statement of
 * the algorithm and the oracle its property test compares against) over
 * these columns: the same violations, in the same order, with the same text.
 */
export class RegisterHistory {
  private readonly keyOf = new Map<string, number>();
  private readonly keyNames: string[] = [];
  // Writes, one row each, in the order first sent.
  private readonly writeRow = new CodeIndex();
  private readonly wCode = new F64Column();
  private readonly wKey = new I32Column();
  private readonly wInvoked = new F64Column();
  private readonly wCompleted = new F64Column(Infinity);
  private readonly wPosition = new I32Column();
  // Strong reads answered, in the order answered; `rSaw` is -1 for the initial value.
  private readonly rCode = new F64Column();
  private readonly rKey = new I32Column();
  private readonly rInvoked = new F64Column();
  private readonly rCompleted = new F64Column();
  private readonly rSaw = new F64Column();

  constructor(private readonly ids: OpIds) {}

  get writes(): number {
    return this.wCode.length;
  }

  get reads(): number {
    return this.rCode.length;
  }

  private key(name: string): number {
    let k = this.keyOf.get(name);
    if (k === undefined) {
      this.keyOf.set(name, (k = this.keyNames.length));
      this.keyNames.push(name);
    }
    return k;
  }

  /** A write was sent (again, if retried: only the first counts), at `position` if already applied (0: not yet). */
  sent(id: string, key: string, invoked: SimTime, position: number): void {
    const code = this.ids.code(id);
    if (this.writeRow.has(code)) return;
    const row = this.wCode.length;
    this.writeRow.set(code, row);
    this.wCode.push(code);
    this.wKey.push(this.key(key));
    this.wInvoked.push(invoked);
    this.wPosition.set(row, position);
  }

  /** The write took effect at `position` (the first application only). */
  applied(id: string, position: number): void {
    const row = this.writeRow.get(this.ids.known(id));
    if (row >= 0) this.wPosition.set(row, position);
  }

  /** The write was acknowledged (the first acknowledgement counts). */
  acknowledged(id: string, at: SimTime): void {
    const row = this.writeRow.get(this.ids.known(id));
    if (row >= 0 && !Number.isFinite(this.wCompleted.get(row))) this.wCompleted.set(row, at);
  }

  /** A strong read `id` of `key`, sent at `invoked`, returned at `completed` the value of write `saw` ('' for the initial value). */
  read(id: string, key: string, invoked: SimTime, completed: SimTime, saw: string): void {
    this.rCode.push(this.ids.code(id));
    this.rKey.push(this.key(key));
    this.rInvoked.push(invoked);
    this.rCompleted.push(completed);
    this.rSaw.push(saw === '' ? -1 : this.ids.code(saw));
  }

  /** checkRegisters over the columns (see there for why the sweep is complete). */
  check(): LinearizabilityViolation[] {
    const violations: LinearizabilityViolation[] = [];
    const W = this.writes;
    const R = this.reads;
    const K = this.keyNames.length;
    // Keys in the order checkRegisters first meets them: writes that took effect, then reads.
    const keyOrder: number[] = [];
    const ranked = new Uint8Array(K);
    const meet = (k: number): void => {
      if (ranked[k]) return;
      ranked[k] = 1;
      keyOrder.push(k);
    };
    for (let w = 0; w < W; w++) if (this.wPosition.get(w) > 0) meet(this.wKey.get(w));
    // A cluster is a write that took effect (id: its row) or a key's initial value (id: W + key).
    const clusterOfRead = new Int32Array(R);
    const readsIn = new Int32Array(W + K + 1);
    for (let r = 0; r < R; r++) {
      const k = this.rKey.get(r);
      meet(k);
      const saw = this.rSaw.get(r);
      let cluster = W + k;
      if (saw !== -1) {
        const w = this.writeRow.get(saw);
        if (w < 0 || this.wPosition.get(w) === 0 || this.wKey.get(w) !== k) {
          violations.push({ time: this.rCompleted.get(r), detail: `key ${this.keyNames[k]}: read ${this.ids.id(this.rCode.get(r))} returned the value of ${this.ids.id(saw)}, a write that never took effect` });
          clusterOfRead[r] = -1;
          continue;
        }
        if (this.rCompleted.get(r) < this.wInvoked.get(w)) {
          violations.push({ time: this.rCompleted.get(r), detail: `key ${this.keyNames[k]}: read ${this.ids.id(this.rCode.get(r))} returned ${this.ids.id(saw)} before that write was sent` });
        }
        cluster = w;
      }
      clusterOfRead[r] = cluster;
      readsIn[cluster + 1]!++;
    }
    // Reads grouped by cluster, in the order answered (offsets, then rows).
    for (let c = 0; c < W + K; c++) readsIn[c + 1]! += readsIn[c]!;
    const readRows = new Int32Array(readsIn[W + K]!);
    const filled = readsIn.slice(0, W + K);
    for (let r = 0; r < R; r++) if (clusterOfRead[r]! >= 0) readRows[filled[clusterOfRead[r]!]!++] = r;
    // Each key's clusters: its initial value, then its writes that took effect, in the order sent.
    const clustersOfKey: number[][] = Array.from({ length: K }, (_, k) => [W + k]);
    for (let w = 0; w < W; w++) if (this.wPosition.get(w) > 0) clustersOfKey[this.wKey.get(w)]!.push(w);

    const position = (c: number): number => (c < W ? this.wPosition.get(c) : 0);
    // An operation: a write row (>= 0) or a read row r as -(r + 1).
    const invoked = (op: number): number => (op >= 0 ? this.wInvoked.get(op) : this.rInvoked.get(-op - 1));
    const completed = (op: number): number => (op >= 0 ? this.wCompleted.get(op) : this.rCompleted.get(-op - 1));
    const opsOf = (c: number): number[] => {
      const ops: number[] = c < W ? [c] : [];
      for (let i = readsIn[c]!; i < readsIn[c + 1]!; i++) ops.push(-readRows[i]! - 1);
      return ops;
    };
    const describe = (op: number, c: number): string => {
      if (op >= 0) return `write ${this.ids.id(this.wCode.get(op))} (log index ${position(c)})`;
      const wrote = c < W ? this.ids.id(this.wCode.get(c)) : '';
      return `read ${this.ids.id(this.rCode.get(-op - 1))} (saw ${wrote || 'the initial value'}${position(c) ? ` @${position(c)}` : ''})`;
    };
    for (const k of keyOrder) {
      const ordered = clustersOfKey[k]!.sort((a, b) => position(a) - position(b));
      // For each cluster, the operation that finished first among all later clusters (and its cluster).
      const laterOp = new Float64Array(ordered.length);
      const laterCluster = new Int32Array(ordered.length).fill(-1);
      let soonest = 0;
      let soonestCluster = -1;
      for (let i = ordered.length - 1; i >= 0; i--) {
        laterOp[i] = soonest;
        laterCluster[i] = soonestCluster;
        for (const op of opsOf(ordered[i]!)) {
          if (soonestCluster < 0 || completed(op) < completed(soonest)) {
            soonest = op;
            soonestCluster = ordered[i]!;
          }
        }
      }
      ordered.forEach((c, i) => {
        if (laterCluster[i]! < 0) return;
        const later = laterOp[i]!;
        for (const op of opsOf(c)) {
          if (invoked(op) <= completed(later)) continue;
          violations.push({
            time: Number.isFinite(completed(op)) ? completed(op) : invoked(op),
            detail: `key ${this.keyNames[k]}: ${describe(op, c)} started at ${invoked(op) / 1e6}s, after ${describe(later, laterCluster[i]!)} had finished at ${completed(later) / 1e6}s, yet comes before it in the log`,
          });
        }
      });
    }
    return violations.sort((a, b) => a.time - b.time);
  }
}
