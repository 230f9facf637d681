import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/kernel/event-queue.js';

const SLOT_BITS = 2 ** 24;

/** Runs the queue dry (handlers record themselves); returns how many ran. */
function drain(q: EventQueue, until = Infinity): number {
  let n = 0;
  while (q.runNext(until)) n++;
  return n;
}

describe('EventQueue', () => {
  it('is empty at first', () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.runNext(Infinity)).toBe(false);
    expect(q.time).toBe(0);
  });

  it('runs events by time, ties in insertion order, and sets time before each handler', () => {
    const q = new EventQueue();
    const seen: Array<[string, number]> = [];
    const rec = (name: string) => seen.push([name, q.time]);
    q.push(30, rec, 'c');
    q.push(10, rec, 'a1');
    q.push(20, rec, 'b');
    q.push(10, rec, 'a2');
    q.push(10, rec, 'a3');
    expect(q.size).toBe(5);
    expect(q.peekTime()).toBe(10);
    drain(q);
    expect(seen).toEqual([['a1', 10], ['a2', 10], ['a3', 10], ['b', 20], ['c', 30]]);
    expect(q.size).toBe(0);
  });

  it('runNext leaves an event after `until` in place', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    q.push(5, (x: number) => seen.push(x), 5);
    q.push(15, (x: number) => seen.push(x), 15);
    expect(q.runNext(10)).toBe(true);
    expect(q.runNext(10)).toBe(false);
    expect(seen).toEqual([5]);
    expect(q.size).toBe(1);
    expect(q.peekTime()).toBe(15);
    expect(q.time).toBe(5);
  });

  it('cancel returns true once, then false; the event never runs and size drops', () => {
    const q = new EventQueue();
    const seen: string[] = [];
    const id = q.push(1, (x: string) => seen.push(x), 'x');
    q.push(2, (x: string) => seen.push(x), 'y');
    expect(q.cancel(id)).toBe(true);
    expect(q.size).toBe(1);
    expect(q.cancel(id)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.peekTime()).toBe(2); // the cancelled top is skipped
    drain(q);
    expect(seen).toEqual(['y']);
  });

  it('cancel of an event that already ran returns false', () => {
    const q = new EventQueue();
    const id = q.push(1, () => {}, null);
    expect(q.runNext(Infinity)).toBe(true);
    expect(q.cancel(id)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('a stale id cannot cancel the event that reused its slot (after cancellation)', () => {
    const q = new EventQueue();
    const seen: string[] = [];
    const old = q.push(1, (x: string) => seen.push(x), 'old');
    expect(q.cancel(old)).toBe(true);
    expect(q.peekTime()).toBe(Infinity); // drops the cancelled entry and frees its slot
    const fresh = q.push(2, (x: string) => seen.push(x), 'fresh');
    expect(fresh % SLOT_BITS).toBe(old % SLOT_BITS); // same slot, so the test means something
    expect(fresh).not.toBe(old);
    expect(q.cancel(old)).toBe(false);
    expect(q.size).toBe(1);
    drain(q);
    expect(seen).toEqual(['fresh']);
  });

  it('a stale id cannot cancel the event that reused its slot (after running)', () => {
    const q = new EventQueue();
    const seen: string[] = [];
    const old = q.push(1, (x: string) => seen.push(x), 'old');
    q.runNext(Infinity);
    const fresh = q.push(2, (x: string) => seen.push(x), 'fresh');
    expect(fresh % SLOT_BITS).toBe(old % SLOT_BITS);
    expect(q.cancel(old)).toBe(false);
    drain(q);
    expect(seen).toEqual(['old', 'fresh']);
  });

  it('ignores ids it never issued', () => {
    const q = new EventQueue();
    q.push(1, () => {}, null);
    expect(q.cancel(-1)).toBe(false);
    expect(q.cancel(12345)).toBe(false);
    expect(q.cancel(3 * SLOT_BITS)).toBe(false); // slot 0, wrong generation
    expect(q.size).toBe(1);
  });

  it('grows from a tiny initial capacity', () => {
    const q = new EventQueue(1);
    const seen: number[] = [];
    for (let i = 0; i < 100; i++) q.push(100 - i, (x: number) => seen.push(x), 100 - i);
    drain(q);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  // Regression: growHeap doubled the capacity (0 * 2 = 0) and allocSlot grew
  // generations to slot * 2 (= 0), so writes into zero-length typed arrays were
  // silently dropped: ids came back NaN, nothing ran, and size stayed > 0.
  // Rejecting the capacity or clamping it to at least 1 are both acceptable.
  it('an initial capacity of 0 does not lose events (regression)', () => {
    let q: EventQueue;
    try {
      q = new EventQueue(0);
    } catch {
      return; // rejecting the capacity up front would be fine too
    }
    const seen: number[] = [];
    const ids = [3, 1, 2].map((t) => q.push(t, (x: number) => seen.push(x), t));
    expect(ids.every(Number.isSafeInteger)).toBe(true);
    drain(q);
    expect(seen).toEqual([1, 2, 3]);
    expect(q.size).toBe(0);
  });

  it('keeps order and cancellation correct across growth to 5000 events', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    // A deterministic LCG for times, so ties are plentiful.
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
    const ops: Array<{ time: number; idx: number; id: number; cancelled: boolean }> = [];
    for (let i = 0; i < 5000; i++) {
      const time = next() % 700;
      ops.push({ time, idx: i, id: q.push(time, (v: number) => seen.push(v), i), cancelled: false });
    }
    for (const op of ops) {
      if (next() % 5 === 0) {
        expect(q.cancel(op.id)).toBe(true);
        op.cancelled = true;
      }
    }
    const live = ops.filter((o) => !o.cancelled);
    expect(q.size).toBe(live.length);
    drain(q);
    const expected = live.slice().sort((a, b) => a.time - b.time || a.idx - b.idx).map((o) => o.idx);
    expect(seen).toEqual(expected);
    expect(q.size).toBe(0);
  });

  it('property: interleaved pushes, cancels and runs match a sorted reference', () => {
    type Op = { kind: 'push'; dt: number } | { kind: 'cancel'; pick: number } | { kind: 'run' };
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), dt: fc.integer({ min: 0, max: 20 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'run' as const }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops: Op[]) => {
        const q = new EventQueue(4);
        const seen: number[] = [];
        const ids: number[] = [];
        // Reference: live events as (time, seq).
        const ref = new Map<number, number>();
        const refRun: number[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const time = q.time + o.dt;
            const s = seq++;
            ids.push(q.push(time, (v: number) => seen.push(v), s));
            ref.set(s, time);
          } else if (o.kind === 'cancel') {
            if (ids.length === 0) continue;
            const s = o.pick % ids.length;
            expect(q.cancel(ids[s]!)).toBe(ref.delete(s));
          } else {
            let best = -1;
            for (const [s, t] of ref) if (best === -1 || t < ref.get(best)! || (t === ref.get(best)! && s < best)) best = s;
            expect(q.runNext(Infinity)).toBe(best !== -1);
            if (best !== -1) {
              refRun.push(best);
              ref.delete(best);
            }
          }
          expect(q.size).toBe(ref.size);
        }
        expect(seen).toEqual(refRun);
      }),
      { numRuns: 300 },
    );
  });
});
