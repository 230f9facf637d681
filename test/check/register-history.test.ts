import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRegisters, type RegisterRead, type RegisterWrite } from '../../src/check/linearizability.js';
import { OpIds } from '../../src/check/op-ids.js';
import { RegisterHistory } from '../../src/check/register-history.js';

/** The columnar history of the same writes and reads, fed as the Raft checker feeds it. */
function columns(writes: RegisterWrite[], reads: RegisterRead[]): RegisterHistory {
  const h = new RegisterHistory(new OpIds());
  for (const w of writes) {
    h.sent(w.id, w.key, w.invoked, w.position);
    if (Number.isFinite(w.completed)) h.acknowledged(w.id, w.completed);
  }
  for (const r of reads) h.read(r.id, r.key, r.invoked, r.completed, r.saw);
  return h;
}

describe('OpIds', () => {
  it('codes numbered and other ids to numbers and back', () => {
    const ids = new OpIds();
    for (const id of ['w3-1500000-42', 'w3-1500000-0', 'r3-7-9999999', 'cat4-0-1', 'plain', 'x-01', 'x-', '-5', '']) expect(ids.id(ids.code(id))).toBe(id);
    expect(ids.known('never-seen-1')).toBe(-1);
    expect(ids.code('w3-1500000-43') - ids.code('w3-1500000-42')).toBe(1);
  });
});

describe('RegisterHistory', () => {
  it('finds a stale read as checkRegisters does', () => {
    const writes = [{ id: 'w1-0-1', key: 'k', invoked: 0, completed: 10, position: 1 }, { id: 'w1-0-2', key: 'k', invoked: 20, completed: 30, position: 2 }];
    const reads = [{ id: 'r1-0-1', key: 'k', invoked: 31, completed: 35, saw: 'w1-0-1' }];
    expect(columns(writes, reads).check()).toEqual({ violations: 1, first: { time: 35, detail: 'key k: read r1-0-1 (saw w1-0-1 @1) started at 0.000031s, after write w1-0-2 (log index 2) had finished at 0.00003s, yet comes before it in the log' } });
  });

  // Unsettled, it is the same check, the count and the first violation's time and text, on any history (sound or not), fed in any order.
  it('gives exactly the verdict of checkRegisters (property)', () => {
    const id = fc.oneof(fc.integer({ min: 1, max: 30 }).map((n) => `w1-0-${n}`), fc.integer({ min: 1, max: 5 }).map((n) => `odd${n}`));
    const time = fc.integer({ min: 0, max: 100 });
    const write = fc.record({ id, key: fc.constantFrom('x', 'y', 'z'), invoked: time, span: fc.option(time, { nil: undefined }), position: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })) });
    const read = fc.record({ n: fc.nat(1000), key: fc.constantFrom('x', 'y', 'z'), invoked: time, span: time, saw: fc.oneof(fc.constant(''), id, fc.constant('ghost-1')) });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 40 }), fc.array(read, { maxLength: 40 }), (ws, rs) => {
        const seen = new Set<string>();
        const writes: RegisterWrite[] = ws.filter((w) => !seen.has(w.id) && seen.add(w.id)).map((w) => ({ id: w.id, key: w.key, invoked: w.invoked, completed: w.span === undefined ? Infinity : w.invoked + w.span, position: w.position }));
        const reads: RegisterRead[] = rs.map((r, i) => ({ id: `r2-0-${i + 1}`, key: r.key, invoked: r.invoked, completed: r.invoked + r.span, saw: r.saw }));
        const oracle = checkRegisters(writes, reads);
        expect(columns(writes, reads).check()).toEqual({ violations: oracle.length, first: oracle[0] });
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * A history as a run produces it, in time order: writes sent, applied (log
 * positions rising with the time they take effect, as a log that keeps
 * state machine safety gives them), acknowledged (sometimes before the
 * checker hears they took effect, sometimes never), and strong reads that
 * return any write (the latest, a stale one, one not yet applied, one of
 * another key, a ghost) or the initial value.
 */
const timedHistory = fc.record({
  writes: fc.array(fc.record({ key: fc.constantFrom('x', 'y', 'z'), invoked: fc.integer({ min: 0, max: 200 }), apply: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined, freq: 6 }), ack: fc.option(fc.integer({ min: -5, max: 30 }), { nil: undefined, freq: 6 }) }), { maxLength: 40 }),
  reads: fc.array(fc.record({ key: fc.constantFrom('x', 'y', 'z'), invoked: fc.integer({ min: 0, max: 220 }), span: fc.integer({ min: 0, max: 25 }), saw: fc.oneof(fc.constant(-1), fc.constant(-2), fc.nat(60), fc.constant(1000)) }), { maxLength: 60 }),
  settleEvery: fc.integer({ min: 1, max: 6 }),
});

type Event = { at: number; order: number; run: (h: RegisterHistory) => void };

function replay(input: typeof timedHistory extends fc.Arbitrary<infer T> ? T : never) {
  const ids = (n: number) => `w1-0-${n + 1}`;
  const writes: RegisterWrite[] = input.writes.map((w, i) => ({ id: ids(i), key: w.key, invoked: w.invoked, completed: Infinity, position: 0 }));
  // Positions in the order the writes take effect.
  const applyAt = input.writes.map((w) => (w.apply === undefined ? undefined : w.invoked + w.apply));
  const byApply = writes.map((_, i) => i).filter((i) => applyAt[i] !== undefined).sort((a, b) => applyAt[a]! - applyAt[b]! || a - b);
  byApply.forEach((i, rank) => (writes[i]!.position = 2 * rank + 1));
  const events: Event[] = [];
  // The oracle takes the writes in the order sent, as the checker records them.
  const sentOrder: RegisterWrite[] = [];
  input.writes.forEach((w, i) => {
    events.push({ at: w.invoked, order: events.length, run: (h) => {
      sentOrder.push(writes[i]!);
      h.sent(ids(i), w.key, w.invoked, 0);
    } });
    if (applyAt[i] !== undefined) events.push({ at: applyAt[i]!, order: events.length, run: (h) => h.applied(ids(i), writes[i]!.position) });
    if (w.ack !== undefined) {
      const at = Math.max(w.invoked, (applyAt[i] ?? w.invoked) + w.ack);
      writes[i]!.completed = at;
      events.push({ at, order: events.length, run: (h) => h.acknowledged(ids(i), at) });
    }
  });
  const reads: RegisterRead[] = [];
  const recorded = input.reads.map(() => false);
  input.reads.forEach((r, i) => {
    const completed = r.invoked + r.span;
    // -2: the latest write of the key to have taken effect by then (a sound read).
    let saw = r.saw === -1 ? '' : r.saw === 1000 ? 'ghost-1' : r.saw >= 0 ? (r.saw < writes.length ? ids(r.saw) : '') : '';
    if (r.saw === -2) {
      const latest = byApply.filter((w) => applyAt[w]! <= completed && writes[w]!.key === r.key).at(-1);
      saw = latest === undefined ? '' : ids(latest);
    }
    events.push({ at: completed, order: events.length, run: (h) => {
      recorded[i] = true;
      reads.push({ id: `r2-0-${i + 1}`, key: r.key, invoked: r.invoked, completed, saw });
      h.read(`r2-0-${i + 1}`, r.key, r.invoked, completed, saw);
    } });
  });
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  const h = new RegisterHistory(new OpIds());
  let settled = 0;
  let dropped = 0;
  events.forEach((e, n) => {
    e.run(h);
    if ((n + 1) % input.settleEvery !== 0) return;
    // Nothing recorded from now on started before the oldest read sent and not recorded yet.
    const inFlight = input.reads.filter((r, i) => r.invoked <= e.at && !recorded[i]).map((r) => r.invoked);
    const before = h.kept;
    h.settle(Math.min(e.at, ...inFlight));
    settled++;
    dropped += before - h.kept;
  });
  return { online: h.check(), oracle: checkRegisters(sentOrder, reads), settled, dropped };
}

describe('RegisterHistory, settled as the run goes', () => {
  it('drops what is settled and still gives checkRegisters\' verdict (property)', () => {
    let dropped = 0;
    let differentWitness = 0;
    fc.assert(
      fc.property(timedHistory, (input) => {
        const r = replay(input);
        dropped += r.dropped;
        expect(r.online.violations).toBe(r.oracle.length);
        expect(r.online.first?.time).toBe(r.oracle[0]?.time);
        if (r.online.first?.detail === r.oracle[0]?.detail) return;
        // The one difference allowed: a read of a settled cluster is named against the key's witness, a later operation
        // that finished before it started, where checkRegisters names the earliest to finish.
        differentWitness++;
        const shape = /^(key \w+: read \S+ \(saw [^)]*\) started at (\S+)s), after (.+) had finished at (\S+)s, yet comes before it in the log$/;
        const mine = shape.exec(r.online.first!.detail);
        const theirs = shape.exec(r.oracle[0]!.detail);
        expect(mine?.[1]).toBe(theirs?.[1]);
        expect(Number(mine![4])).toBeLessThan(Number(mine![2]));
        expect(Number(theirs![4])).toBeLessThanOrEqual(Number(mine![4]));
      }),
      { numRuns: Number(process.env.RH_RUNS ?? 1500) },
    );
    // The property must have exercised settling, and the difference.
    expect(dropped).toBeGreaterThan(1000);
    expect(differentWitness).toBeGreaterThan(0);
  });

  it('keeps a bounded window of a long sound history', () => {
    const h = new RegisterHistory(new OpIds());
    let kept = 0;
    for (let n = 1; n <= 100_000; n++) {
      const t = n * 100;
      h.sent(`w1-0-${n}`, `k${n % 3}`, t, 0);
      h.applied(`w1-0-${n}`, n);
      h.acknowledged(`w1-0-${n}`, t + 50);
      h.read(`r1-0-${n}`, `k${n % 3}`, t + 60, t + 90, `w1-0-${n}`);
      if (h.due) h.settle(t + 90);
      kept = Math.max(kept, h.kept);
    }
    expect(kept).toBeLessThanOrEqual(2 * 4096 + 16);
    expect(h.check()).toEqual({ violations: 0, first: undefined });
  });
});
