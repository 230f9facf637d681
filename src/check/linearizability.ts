import type { SimTime } from '../kernel/index.js';

/** A write to a register: when it was invoked, when it was acknowledged (Infinity if never), and its position in the log (0: never took effect). */
export interface RegisterWrite { id: string; key: string; invoked: SimTime; completed: SimTime; position: number }
/** A read that returned the value of write `saw` ('' for the initial, never-written value). */
export interface RegisterRead { id: string; key: string; invoked: SimTime; completed: SimTime; saw: string }

/** Why a history is not linearizable: the first offending operation and the one it conflicts with. */
export interface LinearizabilityViolation { time: SimTime; detail: string }

interface Op { id: string; kind: 'read' | 'write'; invoked: SimTime; completed: SimTime }
interface Cluster { position: number; write: string; ops: Op[] }

function describe(o: Op, c: Cluster): string {
  return o.kind === 'write' ? `write ${o.id} (log index ${c.position})` : `read ${o.id} (saw ${c.write || 'the initial value'}${c.position ? ` @${c.position}` : ''})`;
}

/**
 * Checks that each key behaves as a linearizable register, given the order in
 * which writes took effect (their log positions) and, for every read, which
 * write it returned. With both known the general NP-complete problem becomes
 * a sweep: group each write with the reads that returned it (a cluster) and
 * order the clusters by log position. A linearization exists iff
 * - no read finished before the write it returned was invoked, and
 * - no operation of a later cluster finished before an operation of an
 *   earlier cluster was invoked (real time would contradict the log).
 * Any cycle in "log order + real-time order" must contain one of these, so the
 * pairwise test is complete; it runs in O(n log n) per key. Each operation
 * that started after an operation later in the log had finished is one
 * violation (a stale read, a write out of order), reported at the time it
 * finished; violations are returned earliest first.
 */
export function checkRegisters(writes: readonly RegisterWrite[], reads: readonly RegisterRead[]): LinearizabilityViolation[] {
  const violations: LinearizabilityViolation[] = [];
  const byKey = new Map<string, Map<string, Cluster>>();
  const clustersOf = (key: string): Map<string, Cluster> => {
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = new Map([['', { position: 0, write: '', ops: [] }]])));
    return m;
  };
  const writeById = new Map<string, RegisterWrite>();
  for (const w of writes) {
    writeById.set(w.id, w);
    if (w.position > 0) clustersOf(w.key).set(w.id, { position: w.position, write: w.id, ops: [{ id: w.id, kind: 'write', invoked: w.invoked, completed: w.completed }] });
  }
  for (const r of reads) {
    const cluster = clustersOf(r.key).get(r.saw);
    const w = writeById.get(r.saw);
    if (!cluster || (r.saw !== '' && !w)) {
      violations.push({ time: r.completed, detail: `key ${r.key}: read ${r.id} returned the value of ${r.saw}, a write that never took effect` });
      continue;
    }
    if (w && r.completed < w.invoked) violations.push({ time: r.completed, detail: `key ${r.key}: read ${r.id} returned ${r.saw} before that write was sent` });
    cluster.ops.push({ id: r.id, kind: 'read', invoked: r.invoked, completed: r.completed });
  }
  for (const [key, clusters] of byKey) {
    const ordered = [...clusters.values()].sort((a, b) => a.position - b.position);
    // For each cluster, the operation that finished first among all later clusters.
    const firstDoneAfter: Array<{ op: Op; cluster: Cluster } | undefined> = new Array(ordered.length);
    let soonest: { op: Op; cluster: Cluster } | undefined;
    for (let i = ordered.length - 1; i >= 0; i--) {
      firstDoneAfter[i] = soonest;
      for (const op of ordered[i]!.ops) if (!soonest || op.completed < soonest.op.completed) soonest = { op, cluster: ordered[i]! };
    }
    ordered.forEach((c, i) => {
      const later = firstDoneAfter[i];
      if (!later) return;
      for (const op of c.ops) {
        if (op.invoked <= later.op.completed) continue;
        violations.push({
          time: Number.isFinite(op.completed) ? op.completed : op.invoked,
          detail: `key ${key}: ${describe(op, c)} started at ${op.invoked / 1e6}s, after ${describe(later.op, later.cluster)} had finished at ${later.op.completed / 1e6}s, yet comes before it in the log`,
        });
      }
    });
  }
  return violations.sort((a, b) => a.time - b.time);
}
