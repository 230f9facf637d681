import { describe, expect, it } from 'vitest';
import { ArrivalWindow, HeartbeatDetector, IncarnationBook, PhiAccrualDetector, phi, SwimDetector } from '../../src/systems/index.js';
import { KnownIncarnations } from '../../src/systems/membership/incarnations.js';
import { expectedConfirmations, LocalHealth, suspicionBounds, suspicionTimeout } from '../../src/systems/membership/lifeguard.js';
import { MemberTables } from '../../src/systems/member-tables.js';
import { ProbeOrder, RandomProbes } from '../../src/systems/membership/probe-order.js';
import { RandomStreams } from '../../src/kernel/index.js';
import fc from 'fast-check';
import { MEMBER_STATE_CODE, NodeRegistry, type ClusterConfig, type MemberState } from '../../src/systems/index.js';
import type { NodeRuntime } from '../../src/world/index.js';
import { tinyWorld, type TinyWorldOptions } from '../world/helpers.js';

const s = (n: number) => n * 1_000_000;

/** A node's membership view of the four configured members (no one joins or leaves in these tests). */
const fourMembers: ClusterConfig = {
  members: [0, 1, 2, 3].map((index) => ({ index, name: `n${index}`, cloud: 'c', region: 'r', rack: 'r', slots: 1, diskCapacityBytes: 1, initial: true })),
  nominalLatency: () => 0,
};
const roster = (rt: NodeRuntime) => new NodeRegistry(fourMembers, () => rt.monotonic(), 0);

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
    new HeartbeatDetector(rt, peersOf(rt.self), hb, verdict, 4, roster(rt));

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
    const opts = { interval: s(1), checkInterval: 500_000, suspectThreshold: 5, threshold: 8, windowSize: 100, minStdDev: 100_000, acceptablePause: s(3), model: 'normal' as const };
    const w = cluster((rt, verdict) => new PhiAccrualDetector(rt, [0, 1, 2, 3].filter((i) => i !== rt.self), opts, verdict, 4, roster(rt)));
    w.at(s(20), () => w.world.crash(1));
    w.sim.run(s(40));
    // The crash at 20 s comes before that instant's heartbeat, so the last one left at 19 s.
    // Inter-arrivals are exactly 1 s, so sd is the 100 ms floor and the mean 1 s + 3 s pause:
    // phi is 7.3 at the 23.5 s check and passes 8 at 23.53 s, so the 24.0 s check declares it.
    expect(firstAt(w.verdicts, 1, 'failed')).toBe(s(24));
    expect(firstAt(w.verdicts, 1, 'suspected')).toBe(23_500_000);
    expect(w.verdicts.filter((v) => v.subject !== 1)).toEqual([]);
  });

  it('the exponential model (Cassandra): phi is the silence over mean x ln 10, so it declares a crash later and linearly', () => {
    const opts = { interval: s(1), checkInterval: 500_000, suspectThreshold: 5, threshold: 8, windowSize: 100, minStdDev: 100_000, acceptablePause: 0, model: 'exponential' as const };
    const w = cluster((rt, verdict) => new PhiAccrualDetector(rt, [0, 1, 2, 3].filter((i) => i !== rt.self), opts, verdict, 4, roster(rt)));
    w.at(s(20), () => w.world.crash(1));
    w.sim.run(s(60));
    // The last heartbeat left at 19 s; mean 1 s: phi reaches 5 at 19 + 5 ln 10 = 30.51 s and 8 at 19 + 8 ln 10 = 37.42 s
    // (plus the link's latency), judged at the next 500 ms check.
    expect(firstAt(w.verdicts, 1, 'suspected')).toBe(31_000_000);
    expect(firstAt(w.verdicts, 1, 'failed')).toBe(37_500_000);
    expect(w.verdicts.filter((v) => v.subject !== 1)).toEqual([]);
  });
});

describe('SWIM', () => {
  it("keeps its statuses in the registry's verdict bytes: alive, suspect and dead are healthy, suspected and failed's codes", () => {
    expect(MEMBER_STATE_CODE).toEqual({ healthy: 0, suspected: 1, failed: 2 });
  });

  const opts = { period: s(1), pingTimeout: 300_000, indirectProbes: 2, suspicionTimeout: s(5), retransmitMultiplier: 3, maxPiggyback: 6, probeOrder: 'round_robin' as const, lifeguard: undefined };
  // A start for one cluster: its nodes share one book of incarnations, as startDetector's do in a run.
  const swim = () => {
    const book = new IncarnationBook(4);
    const tables = new MemberTables(4);
    return (rt: NodeRuntime, verdict: (subject: number, state: MemberState) => void) => new SwimDetector(rt, opts, verdict, tables, book, roster(rt));
  };

  it('suspects a crashed member, declares it dead after the suspicion timeout, and every member learns it', () => {
    const w = cluster(swim());
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
    const w = cluster(swim());
    w.sim.run(s(60));
    // One ping and one ack per node per period on a quiet network: 4 nodes x 60 periods x 2 messages (+ the first period).
    expect(w.world.network.stats.delivered).toBeLessThanOrEqual(4 * 61 * 2);
    expect(w.verdicts).toEqual([]);
  });

  it('a member that comes back refutes its death with a higher incarnation and is healthy again everywhere', () => {
    const w = cluster(swim());
    w.at(s(5), () => w.world.crash(2));
    w.at(s(25), () => w.world.restart(2));
    w.sim.run(s(45));
    const last = (observer: number) => w.verdicts.filter((v) => v.subject === 2 && v.observer === observer).at(-1)?.state;
    expect([last(0), last(1), last(3)]).toEqual(['healthy', 'healthy', 'healthy']);
  });
});

describe('SWIM with Lifeguard (suspicion scaled and confirmed, local health, suspicion carried to the suspect)', () => {
  const lifeguard = { suspicionMultiplier: 4, maxMultiplier: 6, maxHealth: 8 };
  const opts = { period: s(1), pingTimeout: 300_000, indirectProbes: 2, suspicionTimeout: s(5), retransmitMultiplier: 3, maxPiggyback: 6, probeOrder: 'round_robin' as const, lifeguard };
  const plain = { ...opts, lifeguard: undefined };
  const swim = (o: typeof opts | typeof plain) => {
    const book = new IncarnationBook(4);
    const tables = new MemberTables(4);
    return (rt: NodeRuntime, verdict: (subject: number, state: MemberState) => void) => new SwimDetector(rt, o, verdict, tables, book, roster(rt));
  };

  it('the suspicion spans follow memberlist\'s arithmetic: 8 s to 48 s at 100 members, shrinking with each confirmation', () => {
    const { min, max } = suspicionBounds(lifeguard, 100, s(1));
    expect([min, max]).toEqual([s(8), s(48)]);
    // Four members or fewer: log10 n < 1 counts as 1; at most n - 2 others can confirm.
    expect(suspicionBounds(lifeguard, 4, s(1))).toEqual({ min: s(4), max: s(24) });
    expect([expectedConfirmations(lifeguard, 100), expectedConfirmations(lifeguard, 3), expectedConfirmations(lifeguard, 2)]).toEqual([2, 1, 0]);
    // max - (max - min) x log(c + 1) / log(k + 1) with k = 2: 48 s, then 48 - 40 x log 2 / log 3, then the floor of 8 s.
    expect([0, 1, 2, 5].map((c) => suspicionTimeout(c, 2, min, max))).toEqual([s(48), 22_762_809, s(8), s(8)]);
    expect(suspicionTimeout(0, 0, min, max)).toBe(min);
  });

  it('local health stretches a node\'s probing by one period per step, up to max_health - 1 steps', () => {
    const h = new LocalHealth(3);
    h.worse(); h.worse(); h.worse();
    expect([h.value, h.scale(s(1))]).toEqual([2, s(3)]);
    h.better(); h.better(); h.better();
    expect([h.value, h.scale(s(1))]).toEqual([0, s(1)]);
  });

  it('a crash every member sees is confirmed by all and declared after about the shortest suspicion, not the longest', () => {
    const w = cluster(swim(opts));
    w.at(s(10), () => w.world.crash(3));
    w.sim.run(s(60));
    const failed = firstAt(w.verdicts, 3, 'failed')! - s(10);
    // The three others each suspect it within a round or two; with both confirmations in, 4 s from the first suspicion.
    expect(failed).toBeGreaterThanOrEqual(s(4));
    expect(failed).toBeLessThan(s(4) + 5 * opts.period);
    expect(failed).toBeLessThan(s(24));
    expect(new Set(w.verdicts.filter((v) => v.subject === 3 && v.state === 'failed').map((v) => v.observer))).toEqual(new Set([0, 1, 2]));
    expect(w.verdicts.filter((v) => v.subject !== 3)).toEqual([]);
  });

  it('a node cut off for 8 s: with plain SWIM it declares live members dead and the rumour spreads; with Lifeguard its lone suspicions outlast the cut and are refuted', () => {
    const run = (o: typeof opts | typeof plain) => {
      const w = cluster(swim(o));
      w.at(s(10), () => {
        const heal = w.world.partition([[0], [1, 2, 3]]);
        w.at(s(18), heal);
      });
      w.sim.run(s(60));
      return w;
    };
    const without = run(plain);
    // The majority declaring the cut-off node failed is right (it was unreachable for 8 s); node 0's verdicts on the majority, and their echoes, are not.
    const wrongly = (w: ReturnType<typeof run>) => w.verdicts.filter((v) => v.state === 'failed' && v.subject !== 0).length;
    expect(wrongly(without)).toBe(5);
    expect(without.verdicts.filter((v) => v.state === 'failed' && v.subject === 0).length).toBe(3);
    const withIt = run(opts);
    expect(wrongly(withIt)).toBe(0);
    // Its three suspecters confirm one another: the cut-off node is declared failed 4 s (the shortest suspicion at 4 members) after the first suspicion.
    expect(withIt.verdicts.filter((v) => v.state === 'failed' && v.subject === 0).map((v) => v.at)).toEqual([15_001_000, 15_001_000, 15_310_000]);
    // Everyone ends healthy in everyone's eyes.
    const last = (observer: number, subject: number) => withIt.verdicts.filter((v) => v.observer === observer && v.subject === subject).at(-1)?.state ?? 'healthy';
    for (let o = 0; o < 4; o++) for (let m = 0; m < 4; m++) if (o !== m) expect(last(o, m)).toBe('healthy');
  });

  it('a node whose probes go unanswered probes less often: its health multiplier stretches the period', () => {
    const pings = (o: typeof opts | typeof plain) => {
      const w = cluster(swim(o));
      w.at(s(10), () => w.world.partition([[0], [1, 2, 3]], true));
      w.sim.run(s(40));
      return w.world.network.stats;
    };
    // Cut off one way (0 can send, hears nothing): plain SWIM keeps probing every second; Lifeguard backs off.
    expect(pings(opts).delivered).toBeLessThan(pings(plain).delivered);
  });
});

describe('SWIM probe order (random round-robin)', () => {
  it('visits every other member exactly once per round, in an order that differs between rounds and nodes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.nat(), fc.integer({ min: 1, max: 1_000_000 }), (size, selfDraw, seed) => {
        const self = selfDraw % size;
        const order = new ProbeOrder(size, self, new RandomStreams(seed).get('swim'));
        const others = Array.from({ length: size }, (_, i) => i).filter((i) => i !== self);
        const rounds = Array.from({ length: 3 }, () => others.map(() => order.next(() => false)!));
        for (const round of rounds) expect([...round].sort((a, b) => a - b)).toEqual(others);
      }),
    );
    // At 60 members, three rounds in the same order would be a broken shuffle.
    const order = new ProbeOrder(60, 5, new RandomStreams(1).get('swim'));
    const [a, b] = [0, 1].map(() => Array.from({ length: 59 }, () => order.next(() => false)));
    expect(a).not.toEqual(b);
  });

  it('skips the members it is told to, and gives none when all are skipped', () => {
    const order = new ProbeOrder(5, 0, new RandomStreams(3).get('swim'));
    const seen = Array.from({ length: 8 }, () => order.next((m) => m === 2 || m === 4));
    expect(new Set(seen)).toEqual(new Set([1, 3]));
    expect(order.next(() => true)).toBeUndefined();
    expect(new ProbeOrder(1, 0, new RandomStreams(3).get('swim')).next(() => false)).toBeUndefined();
  });
});

describe('SWIM random probes (probe_order: random)', () => {
  it('draws every other member about equally often, never itself, and may repeat within a round', () => {
    const probes = new RandomProbes(6, 2, new RandomStreams(5).get('swim'));
    const counts = new Map<number, number>();
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const m = probes.next(() => false)!;
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0, 1, 3, 4, 5]);
    for (const c of counts.values()) expect(Math.abs(c / n - 0.2)).toBeLessThan(4 * Math.sqrt(0.16 / n));
    const first = Array.from({ length: 5 }, () => probes.next(() => false));
    expect(new Set(first).size).toBeLessThan(6);
  });

  it('skips the members it is told to, finds the last one left, and gives none when all are skipped', () => {
    const probes = new RandomProbes(40, 0, new RandomStreams(3).get('swim'));
    for (let i = 0; i < 20; i++) expect(probes.next((m) => m !== 17)).toBe(17);
    expect(probes.next(() => true)).toBeUndefined();
    expect(new RandomProbes(1, 0, new RandomStreams(3).get('swim')).next(() => false)).toBeUndefined();
  });
});

describe('SWIM incarnations, kept as positions in the run book', () => {
  it('reads back what each node stored, independently of other nodes, past 65,535 announcements', () => {
    const book = new IncarnationBook(3);
    const a = new KnownIncarnations(book, new Uint16Array(3));
    const b = new KnownIncarnations(book, new Uint16Array(3));
    expect(a.get(1)).toBe(0);
    a.set(1, 2 ** 40 + 7);
    b.set(1, 2 ** 40 + 8);
    expect([a.get(1), b.get(1), a.get(2)]).toEqual([2 ** 40 + 7, 2 ** 40 + 8, 0]);
    for (let v = 1; v <= 70_000; v++) a.set(2, v);
    expect(a.get(2)).toBe(70_000);
    expect(a.get(1)).toBe(2 ** 40 + 7);
    b.set(2, 3);
    expect(b.get(2)).toBe(3);
  });

  it('reads back every value as a model of plain numbers would, whatever order nodes learn values in', () => {
    const op = fc.record({ node: fc.integer({ min: 0, max: 2 }), subject: fc.integer({ min: 0, max: 3 }), value: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }), fc.constant(2 ** 40 + 1)) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const book = new IncarnationBook(4);
        const nodes = [0, 1, 2].map(() => new KnownIncarnations(book, new Uint16Array(4)));
        const model = [0, 1, 2].map(() => [0, 0, 0, 0]);
        for (const o of ops) {
          nodes[o.node]!.set(o.subject, o.value);
          model[o.node]![o.subject] = o.value;
          for (let n = 0; n < 3; n++) for (let m = 0; m < 4; m++) expect(nodes[n]!.get(m)).toBe(model[n]![m]);
        }
      }),
    );
  });
});

describe('MemberTables (per-member tables of every node, cut from one slab per kind)', () => {
  it('gives each node its own zeroed slice, zeroed again for a restarted node, and kinds apart', () => {
    const t = new MemberTables(3);
    const a = t.bytes('k', 0);
    const b = t.bytes('k', 1);
    a.fill(7);
    expect([...b]).toEqual([0, 0, 0]);
    expect([...t.bytes('other', 0)]).toEqual([0, 0, 0]);
    expect([...t.bytes('k', 0)]).toEqual([0, 0, 0]);
    const s = t.shorts('s', 2);
    s[2] = 65535;
    expect([...t.shorts('s', 1)]).toEqual([0, 0, 0]);
    expect(s[2]).toBe(65535);
  });

  it('sizes member links and counts to what they must hold', () => {
    const t = new MemberTables(3);
    // Four bytes only past 65,535 members, a slab too big to make in a test.
    expect(t.memberLinks('l', 0)).toBeInstanceOf(Uint16Array);
    expect(t.counts('c', 0, 255)).toBeInstanceOf(Uint8Array);
    expect(t.counts('c', 0, 256)).toBeInstanceOf(Uint16Array);
    expect(t.counts('c', 0, 0x10000)).toBeInstanceOf(Int32Array);
  });
});
