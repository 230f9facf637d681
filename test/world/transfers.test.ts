import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Undo } from '../../src/world/index.js';
import { MB, tinyWorld } from './helpers.js';

// Nodes: 0, 1 in region r1; 2, 3 in region r2. Cross-region latency 10 ms, 100 MB/s per directed link.
const LAT = 10_000;
const BW = 100 * MB;
const SIZE = 100 * MB;
const ONE_FLOW = LAT + 1_000_000; // 10 ms + 100 MB / 100 MB/s

/** Completion time (µs) of processor-sharing flows on one link, plus latency. Exact real arithmetic in floats. */
function psReference(flows: Array<{ start: number; bytes: number }>, bw: number, latency: number): number[] {
  const order = flows.map((f, i) => ({ ...f, i })).sort((a, b) => a.start - b.start);
  const remaining = new Map<number, number>();
  const done: number[] = new Array(flows.length);
  let t = 0;
  let k = 0;
  while (k < order.length || remaining.size > 0) {
    const n = remaining.size;
    const nextStart = k < order.length ? order[k]!.start : Infinity;
    let finishAt = Infinity;
    if (n > 0) finishAt = t + (Math.min(...remaining.values()) * n * 1e6) / bw;
    const until = Math.min(nextStart, finishAt);
    if (n > 0) {
      const each = ((bw / n) * (until - t)) / 1e6;
      for (const [i, r] of remaining) remaining.set(i, r - each);
    }
    t = until;
    for (const [i, r] of remaining) {
      if (r <= 1e-6) {
        done[i] = t + latency;
        remaining.delete(i);
      }
    }
    while (k < order.length && order[k]!.start === t) {
      remaining.set(order[k]!.i, order[k]!.bytes);
      k++;
    }
  }
  return done;
}

describe('bulk transfers: timing', () => {
  it('one 100 MB flow takes latency + size/bandwidth', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, SIZE, 'payload');
    w.sim.run();
    expect(w.deliveries).toHaveLength(1);
    const d = w.deliveries[0]!;
    expect(Math.abs(d.at - ONE_FLOW)).toBeLessThanOrEqual(1);
    expect(d).toMatchObject({ to: 2, from: 0, port: 'data', body: 'payload' });
    expect(o).toMatchObject({ done: true, calls: 1 });
    expect(o.doneAt).toBe(d.at); // onDone(true) runs right after delivery
    expect(w.world.transfers.stats).toMatchObject({ started: 1, completed: 1, aborted: 0, bytesDelivered: SIZE });
  });

  it('the flow starts when requested, not at time 0', () => {
    const w = tinyWorld();
    w.transferAt(3_000_000, 0, 2, SIZE);
    w.sim.run();
    expect(Math.abs(w.deliveries[0]!.at - (3_000_000 + ONE_FLOW))).toBeLessThanOrEqual(1);
  });

  it('two concurrent flows on the same directed link each take twice as long', () => {
    const w = tinyWorld();
    const a = w.transferAt(0, 0, 2, SIZE, 'a');
    const b = w.transferAt(0, 1, 3, SIZE, 'b'); // same r1->r2 link, different nodes
    w.sim.run();
    expect(w.deliveries.map((d) => d.body).sort()).toEqual(['a', 'b']);
    for (const d of w.deliveries) expect(Math.abs(d.at - (2_000_000 + LAT))).toBeLessThanOrEqual(1);
    expect(a.done).toBe(true);
    expect(b.done).toBe(true);
  });

  it('a flow starting halfway through another finishes as processor sharing predicts', () => {
    const w = tinyWorld();
    w.transferAt(0, 0, 2, SIZE, 'first');
    w.transferAt(500_000, 1, 2, SIZE, 'second');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    // 0–0.5 s: first alone, 50 MB sent. Then both at 50 MB/s: first's last 50 MB takes 1 s -> 1.5 s.
    // second has sent 50 MB by 1.5 s and finishes its last 50 MB alone in 0.5 s -> 2.0 s.
    expect(Math.abs(at['first']! - (1_500_000 + LAT))).toBeLessThanOrEqual(1);
    expect(Math.abs(at['second']! - (2_000_000 + LAT))).toBeLessThanOrEqual(1);
  });

  it('unequal flows: the small one leaves early and the big one speeds up', () => {
    const w = tinyWorld();
    w.transferAt(0, 0, 2, 20 * MB, 'small');
    w.transferAt(0, 0, 3, 100 * MB, 'big');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    // Both at 50 MB/s until small is done at 0.4 s; big then has 80 MB left alone: 0.8 s more.
    expect(Math.abs(at['small']! - (400_000 + LAT))).toBeLessThanOrEqual(1);
    expect(Math.abs(at['big']! - (1_200_000 + LAT))).toBeLessThanOrEqual(1);
  });

  it('property: completion times match a processor-sharing reference', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ start: fc.integer({ min: 0, max: 3_000_000 }), bytes: fc.integer({ min: 1, max: 200 * MB }) }),
          { minLength: 1, maxLength: 7 },
        ),
        (flows) => {
          const w = tinyWorld();
          flows.forEach((f, i) => w.transferAt(f.start, i % 2, 2 + (i % 2), f.bytes, i));
          w.sim.run();
          expect(w.deliveries).toHaveLength(flows.length);
          const expected = psReference(flows, BW, LAT);
          // Drains are rounded up to whole microseconds; each rounding can idle at most
          // 1 µs of link capacity, so lateness grows by at most 1 µs per earlier drain.
          for (const d of w.deliveries) {
            const late = d.at - expected[d.body as number]!;
            expect(late).toBeGreaterThanOrEqual(-1);
            expect(late).toBeLessThanOrEqual(flows.length + 1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('flows in opposite directions do not share bandwidth', () => {
    const w = tinyWorld();
    w.transferAt(0, 0, 2, SIZE, 'out');
    w.transferAt(0, 2, 0, SIZE, 'back');
    w.sim.run();
    expect(w.deliveries).toHaveLength(2);
    for (const d of w.deliveries) expect(Math.abs(d.at - ONE_FLOW)).toBeLessThanOrEqual(1);
  });

  it('flows on different links do not share (r1->r1 vs r1->r2)', () => {
    const w = tinyWorld({ localLatency: 1_000 });
    w.transferAt(0, 0, 1, SIZE, 'local');
    w.transferAt(0, 0, 2, SIZE, 'remote');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    expect(Math.abs(at['local']! - (1_000_000 + 1_000))).toBeLessThanOrEqual(1);
    expect(Math.abs(at['remote']! - ONE_FLOW)).toBeLessThanOrEqual(1);
  });

  it('a same-node transfer completes at the same instant', () => {
    const w = tinyWorld();
    const o = w.transferAt(700_000, 2, 2, SIZE, 'self');
    w.sim.run();
    expect(w.deliveries).toEqual([{ at: 700_000, to: 2, from: 2, port: 'data', body: 'self' }]);
    expect(o).toMatchObject({ done: true, doneAt: 700_000 });
  });

  it('a same-node transfer does not take bandwidth from the link', () => {
    const w = tinyWorld();
    w.transferAt(0, 0, 0, SIZE, 'self');
    w.transferAt(0, 0, 1, SIZE, 'local');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    expect(at['self']).toBe(0);
    expect(Math.abs(at['local']! - 1_001_000)).toBeLessThanOrEqual(1);
  });

  it('a zero-byte transfer is delivered and reported successful', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, 0, 'empty');
    w.sim.run();
    expect(w.deliveries).toHaveLength(1);
    expect(o.done).toBe(true);
  });

  // Regression: Transfers.start treated `bytes <= 0` like a same-node transfer and
  // delivered it in the same instant, skipping the link latency, so a 0-byte transfer
  // to another region arrived 10 ms before a 1-byte one.
  it('a zero-byte transfer across regions still takes the link latency (regression)', () => {
    const w = tinyWorld();
    w.transferAt(0, 0, 2, 0, 'empty');
    w.transferAt(0, 0, 3, 1, 'one-byte');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    expect(at['one-byte']).toBeGreaterThanOrEqual(LAT);
    expect(at['empty']).toBe(LAT);
  });
});

describe('bulk transfers: faults', () => {
  it('a receiver crash mid-transfer fails it at the sender and delivers nothing', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, SIZE);
    const other = w.transferAt(0, 1, 3, SIZE, 'unaffected');
    w.at(500_000, () => w.world.crash(2));
    w.sim.run();
    expect(o).toMatchObject({ done: false, doneAt: 500_000, calls: 1 });
    expect(w.deliveries.map((d) => d.body)).toEqual(['unaffected']);
    // The survivor got 50 MB/s until 0.5 s (25 MB), then the link alone: 75 MB in 0.75 s -> 1.25 s.
    expect(Math.abs(w.deliveries[0]!.at - (1_250_000 + LAT))).toBeLessThanOrEqual(1);
    expect(other.done).toBe(true);
    expect(w.world.transfers.stats.aborted).toBe(1);
    expect(w.world.transfers.activeOn(w.world.network.linkBetween(0, 2))).toBe(0);
  });

  it('a receiver crash after the last byte left but before arrival also fails the transfer', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, SIZE);
    w.at(1_000_000 + LAT / 2, () => w.world.crash(2));
    w.at(1_000_000 + LAT / 2 + 1, () => w.world.restart(2));
    w.sim.run();
    expect(o).toMatchObject({ done: false, doneAt: 1_000_000 + LAT / 2 });
    expect(w.deliveries).toEqual([]);
  });

  it('a sender crash mid-transfer delivers nothing and never calls the dead sender back', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, SIZE);
    w.at(300_000, () => w.world.crash(0));
    w.at(400_000, () => w.world.restart(0));
    w.sim.run(5_000_000);
    expect(o.calls).toBe(0);
    expect(w.deliveries).toEqual([]);
  });

  it('a transfer to a node that is down fails at once', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.crash(2));
    const o = w.transferAt(100, 0, 2, SIZE);
    w.sim.run();
    expect(o).toMatchObject({ done: false, doneAt: 100 });
    expect(w.deliveries).toEqual([]);
  });

  it('a partition started mid-transfer breaks it; after heal a new transfer succeeds', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, SIZE);
    let heal: Undo | undefined;
    w.at(500_000, () => {
      heal = w.world.partition([[0, 1], [2, 3]]);
    });
    // While the partition lasts, a new transfer fails immediately.
    const during = w.transferAt(600_000, 0, 2, SIZE);
    w.at(1_000_000, () => heal!());
    const after = w.transferAt(1_000_000, 0, 2, SIZE, 'after-heal');
    w.sim.run();
    expect(o).toMatchObject({ done: false, doneAt: 500_000 });
    expect(during).toMatchObject({ done: false, doneAt: 600_000 });
    expect(after).toMatchObject({ done: true });
    expect(w.deliveries.map((d) => d.body)).toEqual(['after-heal']);
    // The broken flow left the link free: the new one runs at full rate.
    expect(Math.abs(w.deliveries[0]!.at - (1_000_000 + ONE_FLOW))).toBeLessThanOrEqual(1);
  });

  it('a partition during the latency tail (bytes sent, not yet arrived) breaks the transfer', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, SIZE);
    w.at(1_000_000 + 1, () => w.world.partition([[0], [2]]));
    w.sim.run();
    expect(o).toMatchObject({ done: false, doneAt: 1_000_001 });
    expect(w.deliveries).toEqual([]);
  });

  it('a partition between other nodes does not disturb the transfer', () => {
    const w = tinyWorld();
    const o = w.transferAt(0, 0, 2, SIZE);
    w.at(500_000, () => w.world.partition([[1], [3]]));
    w.sim.run();
    expect(o.done).toBe(true);
    expect(Math.abs(o.doneAt! - ONE_FLOW)).toBeLessThanOrEqual(1);
  });

  it('a one-way partition breaks flows leaving group 0 only', () => {
    const w = tinyWorld();
    const out = w.transferAt(0, 0, 2, SIZE, 'out');
    const back = w.transferAt(0, 2, 0, SIZE, 'back');
    w.at(500_000, () => w.world.partition([[0, 1], [2, 3]], true));
    w.sim.run();
    expect(out.done).toBe(false);
    expect(back.done).toBe(true);
    expect(w.deliveries.map((d) => d.body)).toEqual(['back']);
  });
});

describe('bulk transfers: bandwidth effects', () => {
  it('a throttle applied before a flow starts slows it', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.addLinkEffect(w.world.linksBetween([0], [2], false), { bandwidthMultiply: 0.5 }));
    w.transferAt(0, 0, 2, SIZE);
    w.sim.run();
    expect(Math.abs(w.deliveries[0]!.at - (2_000_000 + LAT))).toBeLessThanOrEqual(1);
  });

  // Regression: World.addLinkEffect changed link.bandwidthBytesPerS BEFORE
  // Transfers.replanLink -> advance() integrated the time elapsed since the last
  // update, so the interval before a throttle was charged at the NEW rate.
  it('throttling mid-flow keeps the bytes already sent at the old rate (regression)', () => {
    const w = tinyWorld();
    w.transferAt(0, 0, 2, SIZE);
    w.at(500_000, () => w.world.addLinkEffect(w.world.linksBetween([0], [2], false), { bandwidthMultiply: 0.1 }));
    w.sim.run();
    // 50 MB at 100 MB/s by 0.5 s, then 50 MB at 10 MB/s = 5 s: last byte at 5.5 s.
    expect(Math.abs(w.deliveries[0]!.at - (5_500_000 + LAT))).toBeLessThanOrEqual(1);
  });

  it('a link throttled to zero freezes its flows; lifting it resumes them where they stopped', () => {
    const w = tinyWorld();
    let remove: Undo | undefined;
    w.transferAt(0, 0, 2, SIZE);
    w.at(500_000, () => {
      remove = w.world.addLinkEffect(w.world.linksBetween([0], [2], false), { bandwidthMultiply: 0 });
    });
    w.at(1_500_000, () => remove!());
    w.sim.run();
    // 50 MB by 0.5 s, nothing for 1 s, the last 50 MB in 0.5 s: last byte at 2.0 s.
    expect(Math.abs(w.deliveries[0]!.at - (2_000_000 + LAT))).toBeLessThanOrEqual(1);
  });

  it('a latency-only effect mid-flow leaves the bandwidth alone and delays arrival', () => {
    const w = tinyWorld();
    w.transferAt(0, 0, 2, SIZE);
    w.at(500_000, () => w.world.addLinkEffect(w.world.linksBetween([0], [2], false), { latencyMultiply: 10 }));
    w.sim.run();
    expect(Math.abs(w.deliveries[0]!.at - (1_000_000 + 10 * LAT))).toBeLessThanOrEqual(1);
  });

  it('lifting a throttle mid-flow keeps the bytes already sent at the throttled rate (regression)', () => {
    const w = tinyWorld();
    let remove: Undo | undefined;
    w.at(0, () => {
      remove = w.world.addLinkEffect(w.world.linksBetween([0], [2], false), { bandwidthMultiply: 0.5 });
    });
    w.transferAt(0, 0, 2, SIZE);
    w.at(1_000_000, () => remove!());
    w.sim.run();
    // 50 MB at 50 MB/s by 1 s, then 50 MB at 100 MB/s = 0.5 s: last byte at 1.5 s.
    expect(Math.abs(w.deliveries[0]!.at - (1_500_000 + LAT))).toBeLessThanOrEqual(1);
  });
});

describe('the sender sees and closes its own transfers', () => {
  it('transferProgress follows the fair share; cancelTransfer frees the link, delivers nothing and calls nothing back', () => {
    const w = tinyWorld();
    const handles: Array<import('../../src/world/index.js').TransferHandle> = [];
    const calls: boolean[] = [];
    w.at(0, () => {
      handles.push(w.rts[0]!.transfer(2, { name: 'data' }, SIZE, 'a', (ok) => calls.push(ok)));
      handles.push(w.rts[1]!.transfer(3, { name: 'data' }, SIZE, 'b'));
    });
    let halfway = -1;
    // Two flows share 100 MB/s: 25 MB each after 0.5 s.
    w.at(500_000, () => {
      halfway = w.rts[0]!.transferProgress(handles[0]!);
      w.rts[0]!.cancelTransfer(handles[0]!);
      // Only the sender may close it; a second close is harmless.
      w.rts[0]!.cancelTransfer(handles[0]!);
    });
    w.sim.run();
    expect(halfway).toBeCloseTo(25 * MB, -3);
    expect(calls).toEqual([]);
    expect(w.deliveries.filter((d) => d.body === 'a')).toHaveLength(0);
    // The other flow had the link alone from 0.5 s: 25 MB shared, then 75 MB at 100 MB/s.
    const b = w.deliveries.find((d) => d.body === 'b')!;
    expect(b.at).toBe(LAT + 1_250_000);
    expect(w.world.transfers.stats.aborted).toBe(1);
  });
});

describe('transfer_failure (a link effect)', () => {
  it('a doomed transfer sends part of its bytes, then breaks: onDone(false), nothing delivered, counted aborted', () => {
    const w = tinyWorld();
    w.world.addLinkEffect(w.world.links, { transferFailure: 1 });
    const out = w.transferAt(0, 0, 2, SIZE, 'x');
    w.sim.run();
    expect(out).toMatchObject({ done: false, calls: 1 });
    // Aborted before all of it could have left at 100 MB/s.
    expect(out.doneAt!).toBeLessThan(1_000_000);
    expect(w.deliveries.filter((d) => d.body === 'x')).toHaveLength(0);
    expect(w.world.transfers.stats).toMatchObject({ aborted: 1, completed: 0 });
  });

  it('draws from its own stream: the link latencies of messages are the same with the fault as without', () => {
    const arrivals = (withFault: boolean) => {
      const w = tinyWorld();
      if (withFault) w.world.addLinkEffect(w.world.links, { transferFailure: 0.5 });
      for (let i = 0; i < 20; i++) {
        w.transferAt(i * 1000, 0, 2, MB, `t${i}`);
        w.sendAt(i * 1000 + 1, 0, 2, `m${i}`);
      }
      w.sim.run();
      return w.deliveries.filter((d) => String(d.body).startsWith('m')).map((d) => d.at);
    };
    expect(arrivals(true)).toEqual(arrivals(false));
  });
});
