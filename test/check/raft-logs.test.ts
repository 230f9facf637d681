import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Invariant } from '../../src/check/invariant.js';
import { OpIds } from '../../src/check/op-ids.js';
import { RaftLogs } from '../../src/check/raft-logs.js';
import { ReferenceRaftLogs } from './raft-logs-reference.js';

type Verdict = [string, number, string];
/** The three invariants, each recording its violations into one list. */
function recording(into: Verdict[]): { matching: Invariant; completeness: Invariant; durable: Invariant } {
  const inv = (name: string) => ({ violated: (t: number, d: string) => void into.push([name, t, d]) }) as unknown as Invariant;
  return { matching: inv('matching'), completeness: inv('completeness'), durable: inv('durable') };
}

const node = fc.integer({ min: 0, max: 2 });
const term = fc.integer({ min: 1, max: 4 });
const index = fc.integer({ min: 1, max: 8 });
const id = fc.integer({ min: 1, max: 9 }).map((n) => `w1-0-${n}`);
const op = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('written' as const), node, index, term, id, prevTerm: fc.integer({ min: 0, max: 4 }), append: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('commit' as const), node, index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('elected' as const), node, term }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restored' as const), node, base: fc.nat(10), entries: fc.array(fc.record({ term, id }), { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('installed' as const), node, index, term }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('acked' as const), id, index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('entry' as const), node, index }) },
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Where each write of `ops` lands: mostly appends at the end of its member's log, as members write, with rewrites anywhere. */
function writePositions(ops: Op[]): number[] {
  const length = new Map<number, number>();
  return ops.map((o) => {
    if (o.kind === 'restored') length.set(o.node, o.base + o.entries.length);
    if (o.kind !== 'written') return 0;
    const at = o.append ? (length.get(o.node) ?? 0) + 1 : o.index;
    length.set(o.node, at);
    return at;
  });
}

/** Feeds report `o` (the `t`-th, a write landing at `at`) to both versions: the same exceptions, the same entries. */
function feedBoth(o: Op, t: number, at: number, mine: RaftLogs, plain: ReferenceRaftLogs, ids: OpIds): void {
  const both = (f: (x: RaftLogs | ReferenceRaftLogs) => unknown): void => {
    let errA = '';
    let errB = '';
    try { f(mine); } catch (e) { errA = String(e).slice(0, 9); }
    try { f(plain); } catch (e) { errB = String(e).slice(0, 9); }
    expect(errA).toBe(errB);
  };
  switch (o.kind) {
    case 'written': return both((x) => x.written(t, o.node, at, o.term, o.id, o.prevTerm));
    case 'commit': return both((x) => x.committedUpTo(t, o.node, o.index));
    case 'elected': return both((x) => x.electedLeader(t, o.node, o.term));
    case 'restored': return both((x) => x.restored(o.node, o.base, o.entries));
    case 'installed': return both((x) => x.installed(o.node, o.index, o.term));
    case 'acked': return both((x) => x.acknowledged(t, o.id, o.index));
    case 'entry': {
      const a = mine.entryAt(o.node, o.index);
      const b = plain.entryAt(o.node, o.index);
      return expect(a && { term: a.term, id: ids.id(a.code) }).toEqual(b && { term: b.term, id: b.id });
    }
  }
}

describe('RaftLogs', () => {
  it('keeps what a member held where another leader later commits something else (a log standing on the old committed entry)', () => {
    const verdicts: Verdict[] = [];
    const logs = new RaftLogs((n) => `n${n}`, recording(verdicts), new OpIds(), 1);
    logs.written(0, 3, 1, 1, 'w1-0-1', 0);
    logs.written(1, 2, 1, 1, 'w1-0-2', 0);
    logs.committedUpTo(2, 2, 1);
    logs.committedUpTo(3, 3, 1);
    logs.electedLeader(4, 2, 1);
    expect(verdicts).toEqual([
      ['matching', 1, 'index 1 term 1: n3 holds w1-0-1 after a term-0 entry, n2 holds w1-0-2 after a term-0 entry'],
      ['completeness', 3, 'n3 commits w1-0-1 (term 1) at index 1, where w1-0-2 (term 1) was committed'],
      ['completeness', 4, 'n2 leads term 1 without committed entry 1 (w1-0-1, term 1); its log has w1-0-2, term 1 there'],
    ]);
  });

  // Shadow logs kept as a committed prefix plus a short tail must judge exactly as whole arrays do: same violations, same text, same entries.
  it('gives the verdicts of the plain array-per-member version on any sequence of reports (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const a: Verdict[] = [];
        const b: Verdict[] = [];
        const ids = new OpIds();
        const compact = new RaftLogs((n) => `n${n}`, recording(a), ids, 1);
        const plain = new ReferenceRaftLogs((n) => `n${n}`, recording(b));
        const at = writePositions(ops);
        ops.forEach((o, t) => feedBoth(o, t, at[t]!, compact, plain, ids));
        expect(a).toEqual(b);
      }),
      { numRuns: 5000 },
    );
  });

  // Settling below a floor forgets what was kept to check later writes there; when nothing later reaches the floor
  // (the contract RaftChecker keeps: every member's log starts above it), the verdicts are the same word for word.
  it('gives the same verdicts when it settles below a floor that nothing later reaches (property)', () => {
    let settledAbove = 0;
    // Writes mostly append here (a rewrite at a low index holds every floor at 0).
    const mostlyAppends = op.map((o) => (o.kind === 'written' ? { ...o, append: o.append || o.index > 1 } : o));
    fc.assert(
      fc.property(fc.array(mostlyAppends, { maxLength: 150 }), fc.array(fc.boolean(), { minLength: 150, maxLength: 150 }), (ops, settleHere) => {
        const a: Verdict[] = [];
        const b: Verdict[] = [];
        const ids = new OpIds();
        const settling = new RaftLogs((n) => `n${n}`, recording(a), ids, 1);
        const plain = new ReferenceRaftLogs((n) => `n${n}`, recording(b));
        // Where each write lands, worked out first, so each floor can look ahead.
        const at = writePositions(ops);
        // The lowest index a report from `t` on can write, acknowledge, or reset a log's agreed prefix to.
        const reach = (t: number): number => {
          let low = Infinity;
          ops.slice(t).forEach((o, k) => {
            if (o.kind === 'written') low = Math.min(low, at[t + k]! - 1);
            if (o.kind === 'acked') low = Math.min(low, o.index - 1);
            if (o.kind === 'restored') low = Math.min(low, o.base);
            if (o.kind === 'installed') low = Math.min(low, o.index - 1);
          });
          return low;
        };
        ops.forEach((o, t) => {
          if (settleHere[t]) {
            const inner = settling as unknown as { contiguous: number; logs: Map<number, { agreed: number }> };
            const floor = Math.min(reach(t), inner.contiguous, ...[...inner.logs.values()].map((l) => l.agreed));
            if (floor > 0) settledAbove++;
            settling.settle(floor);
          }
          feedBoth(o, t, at[t]!, settling, plain, ids);
        });
        expect(a).toEqual(b);
      }),
      { numRuns: Number(process.env.RAFT_LOGS_RUNS ?? 3000) },
    );
    expect(settledAbove).toBeGreaterThan(40);
  });

  it('frees the pages below its floor: a long log costs 12 bytes an index settled, not 40', () => {
    const logs = new RaftLogs((n) => `n${n}`, recording([]), new OpIds());
    for (let i = 1; i <= 200_000; i++) {
      logs.written(i, 0, i, 1, `w1-0-${i}`, i === 1 ? 0 : 1);
      logs.committedUpTo(i, 0, i);
      logs.acknowledged(i, `w1-0-${i}`, i);
      if (i % 10_000 === 0) logs.settle(i - 10_000);
    }
    const pages = (c: unknown) => (c as { pages: Array<ArrayBufferView | undefined> }).pages.filter(Boolean).length;
    const inner = logs as unknown as Record<string, unknown>;
    // 2^14 entries a page: what is above the floor (190,000) and the page it starts in.
    expect(pages(inner.seenTerm)).toBe(2);
    expect(pages(inner.ackedAt)).toBe(2);
    expect(pages(inner.committedTerm)).toBe(13);
  });
});
