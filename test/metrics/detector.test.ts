import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DetectorCollector } from '../../src/metrics/detector.js';
import type { GroundTruth } from '../../src/world/ground-truth.js';

/** Enough nodes that observers span several bytes of a row's bitmap. */
const NODES = 21;
const BUCKET = 1_000_000;

/** Ground truth of nodes that are all up all the time: every verdict the collector hears is false. */
function liveTruth() {
  const truth = {
    now: 0,
    nodes: Array.from({ length: NODES }, (_, i) => ({ name: `n${i}`, service: 'running' })),
    onNodeState() {},
  };
  return truth;
}

interface Verdict { dt: number; observer: number; subject: number; failed: boolean }
const verdict: fc.Arbitrary<Verdict> = fc.record({
  // Mostly within a bucket, sometimes into a later one (and a row's bitmap reused).
  dt: fc.oneof({ arbitrary: fc.integer({ min: 0, max: BUCKET / 100 }), weight: 20 }, { arbitrary: fc.integer({ min: 1, max: 3 * BUCKET }), weight: 1 }),
  observer: fc.integer({ min: 0, max: NODES - 1 }),
  // A few subjects, so rows hear from many observers, some of them twice.
  subject: fc.integer({ min: 0, max: 3 }),
  failed: fc.boolean(),
});

describe('DetectorCollector', () => {
  it('counts each observer of a false verdict once per node, state and bucket', () => {
    fc.assert(
      fc.property(fc.array(verdict, { minLength: 1, maxLength: 300 }), (verdicts) => {
        const truth = liveTruth();
        const collector = new DetectorCollector(truth as unknown as GroundTruth, BUCKET);
        // The rows as the collector's former sets kept them: by bucket, node and state, in the order opened.
        const expected = new Map<string, { node: number; first: number; state: string; observers: Set<number> }>();
        for (const v of verdicts) {
          truth.now += v.dt;
          const state = v.failed ? 'failed' : 'suspected';
          collector.observe({ kind: 'detector', observer: v.observer, subject: v.subject, state });
          const key = `${Math.floor(truth.now / BUCKET)}/${v.subject}/${state}`;
          if (!expected.has(key)) expected.set(key, { node: v.subject, first: v.observer, state, observers: new Set() });
          expected.get(key)!.observers.add(v.observer);
        }
        const rows = collector.toCsv().trim().split('\n').slice(1).map((line) => line.split(','));
        expect(rows.map((r) => [r[2], r[3], r[4], Number(r[6])])).toEqual(
          [...expected.values()].map((e) => [`n${e.node}`, `n${e.first}`, e.state, e.observers.size]),
        );
        expect(collector.summary().false_suspicions).toBe(verdicts.length);
        expect(collector.summary().false_failures).toBe(verdicts.filter((v) => v.failed).length);
      }),
      { numRuns: 300 },
    );
  });
});
