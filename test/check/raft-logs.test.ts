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
        const length = new Map<number, number>();
        ops.forEach((o, t) => {
          const both = (f: (x: RaftLogs | ReferenceRaftLogs) => unknown): void => {
            let errA = '';
            let errB = '';
            try { f(compact); } catch (e) { errA = String(e).slice(0, 9); }
            try { f(plain); } catch (e) { errB = String(e).slice(0, 9); }
            expect(errA).toBe(errB);
          };
          switch (o.kind) {
            case 'written': {
              // Mostly appends, as members write, with rewrites anywhere.
              const at = o.append ? (length.get(o.node) ?? 0) + 1 : o.index;
              length.set(o.node, at);
              return both((x) => x.written(t, o.node, at, o.term, o.id, o.prevTerm));
            }
            case 'commit': return both((x) => x.committedUpTo(t, o.node, o.index));
            case 'elected': return both((x) => x.electedLeader(t, o.node, o.term));
            case 'restored': length.set(o.node, o.base + o.entries.length); return both((x) => x.restored(o.node, o.base, o.entries));
            case 'installed': return both((x) => x.installed(o.node, o.index, o.term));
            case 'acked': return both((x) => x.acknowledged(t, o.id, o.index));
            case 'entry': {
              const mine = compact.entryAt(o.node, o.index);
              const theirs = plain.entryAt(o.node, o.index);
              return expect(mine && { term: mine.term, id: ids.id(mine.code) }).toEqual(theirs && { term: theirs.term, id: theirs.id });
            }
          }
        });
        expect(a).toEqual(b);
      }),
      { numRuns: 5000 },
    );
  });
});
