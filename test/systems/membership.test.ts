import { describe, expect, it } from 'vitest';
import { ArrivalWindow, HeartbeatDetector, PhiAccrualDetector, phi, SwimDetector } from '../../src/systems/index.js';
import type { MemberState } from '../../src/systems/index.js';
import type { NodeRuntime } from '../../src/world/index.js';
import { tinyWorld, type TinyWorldOptions } from '../world/helpers.js';

const s = (n: number) => n * 1_000_000;

/** A four-node world running one detector kind on every node; records every verdict. */
function cluster(start: (rt: NodeRuntime, verdict: (subject: number, state: MemberState) => void) => void, opts: TinyWorldOptions = {}) {
  const verdicts: Array<{ at: number; observer: number; subject: number; state: MemberState }> = [];
  let now = () => 0;
  const w = tinyWorld({
    ...opts,
    onBoot: (rt) => start(rt, (subject, state) => verdicts.push({ at: now(), observer: rt.self, subject, state })),
  });
  now = () => w.sim.now;
  return { ...w, verdicts };
}

const firstAt = (v: ReturnType<typeof cluster>['verdicts'], subject: number, state: MemberState) => v.find((x) => x.subject === subject && x.state === state)?.at;

describe('heartbeat detector (document 002: 5 s interval, 15 s timeout)', () => {
  const hb = { interval: s(5), suspectAfter: s(10), timeout: s(15) };
  const peersOf = (self: number) => [0, 1, 2, 3].filter((i) => i !== self);
  const start = (rt: NodeRuntime, verdict: (subject: number, state: MemberState) => void) =>
    new HeartbeatDetector(rt, peersOf(rt.self), hb, verdict, 4);

  it('declares a crash failed within timeout + one interval, and never suspects live nodes on a quiet network', () => {
    for (const [crashAt, expected] of [[s(30), s(15)], [s(32), s(18)]] as const) {
      const w = cluster(start);
      w.at(crashAt, () => w.world.crash(3));
      w.sim.run(s(80));
      // Last heartbeat from node 3 left at 30 s (or 30 s before a crash at 32 s); the 15 s timeout
      // is exceeded at the first 5 s check after that: 45 s for both (a crash at 32 s detected 13 s + 5 s later).
      expect(firstAt(w.verdicts, 3, 'failed')! - crashAt).toBe(expected);
      expect(firstAt(w.verdicts, 3, 'failed')! - crashAt).toBeLessThanOrEqual(hb.timeout + hb.interval);
      expect(firstAt(w.verdicts, 3, 'suspected')!).toBeLessThan(firstAt(w.verdicts, 3, 'failed')!);
      expect(w.verdicts.filter((v) => v.subject !== 3)).toEqual([]);
      expect(new Set(w.verdicts.filter((v) => v.state === 'failed').map((v) => v.observer))).toEqual(new Set([0, 1, 2]));
    }
  });

  it('a restarted node is healthy again at its first heartbeat', () => {
    const w = cluster(start);
    w.at(s(10), () => w.world.crash(2));
    w.at(s(40), () => w.world.restart(2));
    w.sim.run(s(60));
    const back = w.verdicts.filter((v) => v.subject === 2 && v.state === 'healthy');
    expect(back.length).toBe(3);
    // Node 2 heartbeats at boot (40 s); it arrives one 10 ms cross-region or 1 ms local hop later.
    expect(Math.min(...back.map((v) => v.at))).toBe(s(40) + 1_000);
  });
});

describe('phi accrual', () => {
  it('matches hand-computed values of the logistic approximation', () => {
    // y = (elapsed - mean) / sd; phi = -log10(e / (1 + e)), e = exp(-y (1.5976 + 0.070566 y^2)).
    expect(phi(1.0, 1.0, 0.1)).toBeCloseTo(0.30103, 5); // at the mean: -log10(1/2)
    expect(phi(1.1, 1.0, 0.1)).toBeCloseTo(0.79951, 5); // one sd late
    expect(phi(1.3, 1.0, 0.1)).toBeCloseTo(2.90948, 5); // three sd late
    expect(phi(0.9, 1.0, 0.1)).toBeCloseTo(0.07503, 5); // early
    expect(phi(1.53, 1.0, 0.1)).toBeCloseTo(8.23984, 5); // past the usual threshold of 8
  });

  it('keeps a bounded window with exact mean and standard deviation', () => {
    const w = new ArrivalWindow(3);
    for (const x of [10, 20, 30, 40]) w.add(x); // the 10 falls out
    expect(w.size).toBe(3);
    expect(w.mean()).toBe(30);
    expect(w.stdDev()).toBeCloseTo(Math.sqrt(200 / 3), 9);
  });

  it('declares a crash on a quiet network once phi passes the threshold', () => {
    const opts = { interval: s(1), checkInterval: 500_000, suspectThreshold: 5, threshold: 8, windowSize: 100, minStdDev: 100_000, acceptablePause: s(3) };
    const w = cluster((rt, verdict) => new PhiAccrualDetector(rt, [0, 1, 2, 3].filter((i) => i !== rt.self), opts, verdict, 4));
    w.at(s(20), () => w.world.crash(1));
    w.sim.run(s(40));
    // The crash at 20 s comes before that instant's heartbeat, so the last one left at 19 s.
    // Inter-arrivals are exactly 1 s, so sd is the 100 ms floor and the mean 1 s + 3 s pause:
    // phi is 7.3 at the 23.5 s check and passes 8 at 23.53 s, so the 24.0 s check declares it.
    expect(firstAt(w.verdicts, 1, 'failed')).toBe(s(24));
    expect(firstAt(w.verdicts, 1, 'suspected')).toBe(23_500_000);
    expect(w.verdicts.filter((v) => v.subject !== 1)).toEqual([]);
  });
});

describe('SWIM', () => {
  const opts = { period: s(1), pingTimeout: 300_000, indirectProbes: 2, suspicionTimeout: s(5), retransmitMultiplier: 3, maxPiggyback: 6 };
  const start = (rt: NodeRuntime, verdict: (subject: number, state: MemberState) => void) =>
    new SwimDetector(rt, [0, 1, 2, 3].filter((i) => i !== rt.self), opts, verdict, 4);

  it('suspects a crashed member, declares it dead after the suspicion timeout, and every member learns it', () => {
    const w = cluster(start);
    w.at(s(10), () => w.world.crash(3));
    w.sim.run(s(40));
    const failed = firstAt(w.verdicts, 3, 'failed')! - s(10);
    // Someone probes it within 3 periods (round-robin over 3 peers), suspects it a period later, then waits 5 s.
    expect(failed).toBeGreaterThan(opts.suspicionTimeout);
    expect(failed).toBeLessThanOrEqual(opts.suspicionTimeout + 4 * opts.period);
    expect(new Set(w.verdicts.filter((v) => v.subject === 3 && v.state === 'failed').map((v) => v.observer))).toEqual(new Set([0, 1, 2]));
    expect(w.verdicts.filter((v) => v.subject !== 3)).toEqual([]);
  });

  it('sends a constant number of probes per node per period, whatever the cluster size', () => {
    const w = cluster(start);
    w.sim.run(s(60));
    // One ping and one ack per node per period on a quiet network: 4 nodes x 60 periods x 2 messages (+ the first period).
    expect(w.world.network.stats.delivered).toBeLessThanOrEqual(4 * 61 * 2);
    expect(w.verdicts).toEqual([]);
  });

  it('a member that comes back refutes its death with a higher incarnation and is healthy again everywhere', () => {
    const w = cluster(start);
    w.at(s(5), () => w.world.crash(2));
    w.at(s(25), () => w.world.restart(2));
    w.sim.run(s(45));
    const last = (observer: number) => w.verdicts.filter((v) => v.subject === 2 && v.observer === observer).at(-1)?.state;
    expect([last(0), last(1), last(3)]).toEqual(['healthy', 'healthy', 'healthy']);
  });
});
