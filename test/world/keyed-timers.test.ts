import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeRuntime, TimerSet } from '../../src/world/index.js';
import { tinyWorld } from './helpers.js';

/** The behaviour a timer set must match: one `setTimer` per armed key, cancelled by handle. */
class PlainTimers implements TimerSet {
  private readonly handles = new Map<number, number>();
  constructor(private readonly rt: NodeRuntime, private readonly fire: (key: number, data: number) => void) {}
  arm(key: number, delay: number, data = 0): void {
    this.cancel(key);
    this.handles.set(key, this.rt.setTimer(delay, () => {
      this.handles.delete(key);
      this.fire(key, data);
    }));
  }
  cancel(key: number): void {
    const h = this.handles.get(key);
    if (h === undefined) return;
    this.rt.cancelTimer(h);
    this.handles.delete(key);
  }
  has(key: number): boolean {
    return this.handles.has(key);
  }
}

type Op =
  | { at: number; kind: 'arm'; key: number; delay: number; data: number }
  | { at: number; kind: 'cancel'; key: number }
  | { at: number; kind: 'plain'; delay: number }
  | { at: number; kind: 'pause'; length: number }
  | { at: number; kind: 'crash'; length: number }
  | { at: number; kind: 'skew'; ppm: number }
  | { at: number; kind: 'brownout'; factor: number }
  | { at: number; kind: 'burst'; count: number; spread: number };

// Times and delays on a 100 µs grid, so timers often fall due at the same instant as each other and as other events.
const grid = (max: number) => fc.integer({ min: 0, max }).map((n) => n * 100);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ at: grid(100), kind: fc.constant('arm' as const), key: fc.integer({ min: 0, max: 5 }), delay: grid(30), data: fc.integer({ min: 0, max: 1e6 }) }) },
  { weight: 3, arbitrary: fc.record({ at: grid(100), kind: fc.constant('cancel' as const), key: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 10, max: 310 })) }) },
  { weight: 3, arbitrary: fc.record({ at: grid(100), kind: fc.constant('plain' as const), delay: grid(30) }) },
  { weight: 1, arbitrary: fc.record({ at: grid(100), kind: fc.constant('pause' as const), length: grid(20) }) },
  { weight: 1, arbitrary: fc.record({ at: grid(100), kind: fc.constant('crash' as const), length: grid(20) }) },
  { weight: 1, arbitrary: fc.record({ at: grid(100), kind: fc.constant('skew' as const), ppm: fc.integer({ min: -200_000, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ at: grid(100), kind: fc.constant('brownout' as const), factor: fc.constantFrom(1.5, 2, 3) }) },
  // Hundreds of timers at once (a partition's suspicions), so the set's heap grows and, as they run, shrinks.
  { weight: 1, arbitrary: fc.record({ at: grid(100), kind: fc.constant('burst' as const), count: fc.integer({ min: 20, max: 300 }), spread: fc.integer({ min: 1, max: 40 }) }) },
);

/**
 * Runs the program on node 1 of a tiny world with timers from `make`, and
 * returns everything that ran, in order: timer firings (key, data) and plain
 * timers, with the instant of each. A firing sometimes re-arms its key, so
 * arming from inside a firing is covered too.
 */
function trace(ops: Op[], make: (rt: NodeRuntime, fire: (key: number, data: number) => void) => TimerSet): string[] {
  const log: string[] = [];
  let timers: TimerSet | undefined;
  let rt: NodeRuntime | undefined;
  const w = tinyWorld({
    onBoot: (r, life) => {
      if (r.self !== 1) return;
      rt = r;
      const set: TimerSet = make(r, (key, data) => {
        log.push(`${w.sim.now} fire life${life} k${key} d${data} has=${set.has(key)}`);
        if (data % 3 === 0) set.arm(key, (data % 7) * 100, data + 1);
        if (data % 5 === 0) set.cancel((key + 1) % 6);
      });
      timers = set;
    },
  });
  ops.forEach((o, i) =>
    w.at(o.at, () => {
      const world = w.world;
      switch (o.kind) {
        case 'arm': return world.nodes[1]!.up && timers!.arm(o.key, o.delay, o.data);
        case 'cancel': return world.nodes[1]!.up && timers!.cancel(o.key);
        case 'plain': return world.nodes[1]!.up && rt!.setTimer(o.delay, () => log.push(`${w.sim.now} plain #${i}`));
        case 'pause': { const undo = world.pause(1); return void w.at(o.at + o.length, undo); }
        case 'crash': { const undo = world.crash(1); return void w.at(o.at + o.length, undo); }
        case 'skew': return void world.skewClock(1, 0, o.ppm);
        case 'brownout': { const undo = world.brownout(1, o.factor); return void w.at(o.at + 1_000, undo); }
        case 'burst': {
          if (!world.nodes[1]!.up) return;
          for (let k = 0; k < o.count; k++) timers!.arm(10 + k, ((k * 7919) % o.spread) * 100, k);
          return;
        }
      }
    }),
  );
  w.sim.run(50_000);
  // Events run, too: a cancelled or replaced timer must cost no event, a timer of a crashed life the one it always cost.
  log.push(`events ${w.sim.eventsRun}`);
  return log;
}

describe('timer sets', () => {
  it('run exactly as one setTimer per arming would: same instants, same order among themselves and other events, through pauses, crashes, drift and brownouts', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 60 }), (ops) => {
        const expected = trace(ops, (rt, fire) => new PlainTimers(rt, fire));
        expect(trace(ops, (rt, fire) => rt.timerSet(fire))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('a cancelled timer never reaches the kernel, and arming again replaces the key\'s timer', () => {
    const fired: string[] = [];
    let set: TimerSet | undefined;
    const w = tinyWorld({ onBoot: (rt) => { if (rt.self === 1) set = rt.timerSet((k, d) => fired.push(`${w.sim.now}:${k}:${d}`)); } });
    w.at(0, () => {
      set!.arm(1, 1_000, 10);
      set!.arm(2, 2_000, 20);
      set!.arm(1, 3_000, 11); // replaces key 1's timer, the earliest
    });
    w.at(4_000, () => {
      set!.arm(3, 500, 30);
      set!.arm(4, 700, 40);
      set!.cancel(3); // the earliest, cancelled
      set!.arm(4, 100, 41); // replaces a timer that is not the earliest
    });
    const before = w.sim.eventsRun;
    w.sim.run();
    expect(fired).toEqual(['2000:2:20', '3000:1:11', '4100:4:41']);
    // Three timers ran, and the kernel ran an event for each (and two for the setup): the cancelled and replaced ones cost none.
    expect(w.sim.eventsRun - before).toBe(5);
    expect([set!.has(1), set!.has(2), set!.has(3), set!.has(4)]).toEqual([false, false, false, false]);
  });
});
