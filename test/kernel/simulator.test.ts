import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulator } from '../../src/kernel/simulator.js';

const SLOT_BITS = 2 ** 24;

describe('Simulator scheduling', () => {
  it('starts at time 0 with nothing pending', () => {
    const sim = new Simulator();
    expect(sim.now).toBe(0);
    expect(sim.pending).toBe(0);
    expect(sim.nextTime()).toBe(Infinity);
    expect(sim.step()).toBe(false);
    expect(sim.run()).toBe(0);
  });

  it('orders events by time, then by insertion', () => {
    const sim = new Simulator();
    const seen: Array<[string, number]> = [];
    const rec = (x: string) => seen.push([x, sim.now]);
    sim.at(20, rec, 'b');
    sim.after(10, rec, 'a1');
    sim.at(30, rec, 'c');
    sim.at(10, rec, 'a2');
    sim.after(10, rec, 'a3');
    expect(sim.run()).toBe(5);
    expect(seen).toEqual([['a1', 10], ['a2', 10], ['a3', 10], ['b', 20], ['c', 30]]);
    expect(sim.now).toBe(30);
    expect(sim.eventsRun).toBe(5);
  });

  it('passes the argument to the handler', () => {
    const sim = new Simulator();
    const got: unknown[] = [];
    const obj = { k: 1 };
    sim.after(1, (a: { k: number }) => got.push(a), obj);
    sim.run();
    expect(got[0]).toBe(obj);
  });

  it('runs delay-0 events scheduled from a handler after the already-queued events of the same instant', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.at(5, () => {
      seen.push('A');
      sim.after(0, () => {
        seen.push('C');
        sim.after(0, () => seen.push('E'), null);
      }, null);
      sim.at(5, () => seen.push('D'), null);
    }, null);
    sim.at(5, () => seen.push('B'), null);
    sim.at(6, () => seen.push('F'), null);
    sim.run();
    expect(seen).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  it('after() with a negative, fractional or non-finite delay throws', () => {
    const sim = new Simulator();
    for (const d of [-1, 0.5, 1.000001, Number.NaN, Infinity, -Infinity]) {
      expect(() => sim.after(d, () => {}, null)).toThrow(RangeError);
    }
    expect(sim.pending).toBe(0);
  });

  it('at() in the past, or at a fractional time, throws', () => {
    const sim = new Simulator();
    sim.at(100, () => {}, null);
    sim.run();
    expect(sim.now).toBe(100);
    expect(() => sim.at(99, () => {}, null)).toThrow(RangeError);
    expect(() => sim.at(100.5, () => {}, null)).toThrow(RangeError);
    expect(() => sim.at(Number.NaN, () => {}, null)).toThrow(RangeError);
    expect(() => sim.at(100, () => {}, null)).not.toThrow(); // now itself is fine
    expect(sim.pending).toBe(1);
  });

  it('cancel returns true once, then false, and the event never runs', () => {
    const sim = new Simulator();
    let ran = 0;
    const id = sim.after(10, () => ran++, null);
    sim.after(20, () => {}, null);
    expect(sim.pending).toBe(2);
    expect(sim.cancel(id)).toBe(true);
    expect(sim.cancel(id)).toBe(false);
    expect(sim.pending).toBe(1);
    expect(sim.nextTime()).toBe(20);
    sim.run();
    expect(ran).toBe(0);
    expect(sim.cancel(id)).toBe(false);
  });

  it('a handler can cancel a later event of the same instant', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    let victim = -1;
    sim.at(5, () => {
      seen.push('A');
      expect(sim.cancel(victim)).toBe(true);
    }, null);
    victim = sim.at(5, () => seen.push('B'), null);
    sim.at(5, () => seen.push('C'), null);
    sim.run();
    expect(seen).toEqual(['A', 'C']);
  });

  it('cancelling a stale id after its slot was reused does not cancel the new event', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    const old = sim.after(1, () => seen.push('old'), null);
    sim.run();
    const fresh = sim.after(1, () => seen.push('fresh'), null);
    expect(fresh % SLOT_BITS).toBe(old % SLOT_BITS); // the slot really was reused
    expect(sim.cancel(old)).toBe(false);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(seen).toEqual(['old', 'fresh']);

    // And for a cancelled (not run) event whose slot is reused.
    const c = sim.after(5, () => seen.push('cancelled'), null);
    expect(sim.cancel(c)).toBe(true);
    sim.run(); // discards the cancelled entry, freeing its slot
    const again = sim.after(5, () => seen.push('again'), null);
    expect(again % SLOT_BITS).toBe(c % SLOT_BITS);
    expect(sim.cancel(c)).toBe(false);
    sim.run();
    expect(seen).toEqual(['old', 'fresh', 'again']);
  });

  it('step() runs exactly one event', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    sim.at(3, (x: number) => seen.push(x), 3);
    sim.at(7, (x: number) => seen.push(x), 7);
    expect(sim.step()).toBe(true);
    expect(seen).toEqual([3]);
    expect(sim.now).toBe(3);
    expect(sim.step()).toBe(true);
    expect(sim.now).toBe(7);
    expect(sim.step()).toBe(false);
    expect(sim.eventsRun).toBe(2);
  });
});

describe('Simulator.run(until)', () => {
  it('runs events up to and including `until`, leaves later ones pending and sets now = until', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    for (const t of [10, 20, 30]) sim.at(t, (x: number) => seen.push(x), t);
    expect(sim.run(20)).toBe(2);
    expect(seen).toEqual([10, 20]);
    expect(sim.now).toBe(20);
    expect(sim.pending).toBe(1);

    expect(sim.run(25)).toBe(0);
    expect(sim.now).toBe(25);
    expect(sim.pending).toBe(1);
    // New relative schedules count from the advanced clock.
    sim.after(1, (x: number) => seen.push(x), 26);
    expect(sim.run()).toBe(2);
    expect(seen).toEqual([10, 20, 26, 30]);
    expect(sim.now).toBe(30);
  });

  it('with nothing pending, advances the clock to `until`', () => {
    const sim = new Simulator();
    sim.run(1_000_000);
    expect(sim.now).toBe(1_000_000);
    expect(() => sim.at(999_999, () => {}, null)).toThrow(RangeError);
  });

  it('runs events that handlers add at exactly `until`', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.at(10, () => {
      seen.push('a');
      sim.after(0, () => seen.push('b'), null);
      sim.after(1, () => seen.push('late'), null);
    }, null);
    sim.run(10);
    expect(seen).toEqual(['a', 'b']);
    expect(sim.pending).toBe(1);
    expect(sim.nextTime()).toBe(11);
  });

  it('does not move the clock backwards when until < now', () => {
    const sim = new Simulator();
    sim.run(50);
    sim.at(60, () => {}, null);
    expect(sim.run(40)).toBe(0);
    expect(sim.now).toBe(50);
    expect(sim.pending).toBe(1);
  });

  it('rejects a fractional horizon', () => {
    const sim = new Simulator();
    expect(() => sim.run(1.5)).toThrow(RangeError);
  });
});

describe('Simulator.stop()', () => {
  it('ends the run after the current event and keeps the rest pending', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.at(10, () => {
      seen.push('a');
      sim.stop();
    }, null);
    sim.at(10, () => seen.push('b'), null);
    sim.at(20, () => seen.push('c'), null);
    expect(sim.run(100)).toBe(1);
    expect(seen).toEqual(['a']);
    expect(sim.now).toBe(10); // a stopped run does not jump to the horizon
    expect(sim.pending).toBe(2);
    expect(sim.eventsRun).toBe(1);

    // A later run picks up where it stopped.
    expect(sim.run()).toBe(2);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(sim.eventsRun).toBe(3);
  });
});

describe('Simulator ordering property', () => {
  it('executed order equals a stable sort by (time, insertion) of the non-cancelled events', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ time: fc.integer({ min: 0, max: 50 }), cancel: fc.boolean() }), { maxLength: 200 }),
        (ops) => {
          const sim = new Simulator();
          const seen: Array<[number, number]> = [];
          const ids = ops.map((o, i) => sim.at(o.time, (x: number) => seen.push([x, sim.now]), i));
          ops.forEach((o, i) => {
            if (o.cancel) expect(sim.cancel(ids[i]!)).toBe(true);
          });
          const live = ops.map((o, i) => ({ ...o, i })).filter((o) => !o.cancel);
          expect(sim.pending).toBe(live.length);
          sim.run();
          const expected = live
            .slice()
            .sort((a, b) => a.time - b.time) // Array.prototype.sort is stable
            .map((o) => [o.i, o.time]);
          expect(seen).toEqual(expected);
          expect(sim.pending).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays correct past the initial heap capacity (5000 events, cancels, same-instant ties)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const sim = new Simulator();
        let x = seed >>> 0;
        const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
        const seen: number[] = [];
        const times: number[] = [];
        const ids: number[] = [];
        for (let i = 0; i < 5000; i++) {
          const t = next() % 1000;
          times.push(t);
          ids.push(sim.at(t, (v: number) => seen.push(v), i));
        }
        const cancelled = new Set<number>();
        for (let i = 0; i < 5000; i++) {
          if (next() % 7 === 0) {
            sim.cancel(ids[i]!);
            cancelled.add(i);
          }
        }
        sim.run();
        const expected = times
          .map((t, i) => ({ t, i }))
          .filter((o) => !cancelled.has(o.i))
          .sort((a, b) => a.t - b.t)
          .map((o) => o.i);
        expect(seen).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('events scheduled from handlers interleave correctly with a growing heap', () => {
    // Every handler schedules a successor at a pseudo-random delay; the trace must be
    // non-decreasing in time and break ties by scheduling order.
    const sim = new Simulator();
    let x = 7;
    const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
    const trace: Array<{ t: number; seq: number }> = [];
    let seq = 0;
    const seqOf = new Map<number, number>();
    const handler = (id: number) => {
      trace.push({ t: sim.now, seq: seqOf.get(id)! });
      if (trace.length < 20_000) {
        for (let k = 0; k < 2 && sim.pending < 3000; k++) {
          const nid = seq++;
          seqOf.set(nid, nid);
          sim.after(next() % 50, handler, nid);
        }
      }
    };
    for (let i = 0; i < 2000; i++) {
      const nid = seq++;
      seqOf.set(nid, nid);
      sim.at(next() % 50, handler, nid);
    }
    sim.run();
    expect(trace.length).toBeGreaterThan(5000);
    const badAt: number[] = [];
    for (let i = 1; i < trace.length; i++) {
      const a = trace[i - 1]!;
      const b = trace[i]!;
      if (!(b.t > a.t || (b.t === a.t && b.seq > a.seq))) badAt.push(i);
    }
    expect(badAt).toEqual([]);
  });
});

describe('Simulator.reservePlace / atPlace', () => {
  it('an event scheduled later at a reserved place runs where one scheduled at the reservation would have', () => {
    const sim = new Simulator();
    const ran: string[] = [];
    const log = (name: string) => ran.push(name);
    const place = sim.reservePlace();
    sim.at(100, log, 'scheduled after the reservation');
    sim.at(50, () => sim.atPlace(100, place, log, 'reserved first, scheduled at 50'), undefined);
    sim.run();
    expect(ran).toEqual(['reserved first, scheduled at 50', 'scheduled after the reservation']);
  });

  it('refuses an instant in the past', () => {
    const sim = new Simulator();
    const place = sim.reservePlace();
    let error: unknown;
    sim.at(10, () => { try { sim.atPlace(5, place, () => {}, undefined); } catch (e) { error = e; } }, undefined);
    sim.run();
    expect(error).toBeInstanceOf(RangeError);
  });
});
