import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_CATALOG, faultSchema, NEMESIS_KINDS, nemesisSchema, planNemesis, type FaultSpec, type NemesisSpec, type NemesisTargets } from '../../src/chaos/index.js';
import { RandomStreams, type Rng, type SimTime } from '../../src/kernel/index.js';
import { loadScenario, runScenario } from '../../src/run/index.js';
import { DEFAULTS_FILE, mergeOver } from '../../src/scenario/index.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const targets = { nodes: ['a-1', 'a-2', 'a-3', 'b-1', 'b-2', 'b-3'], clouds: ['a', 'b'] };
/** A nemesis block as a scenario would have it: its defaults come from config/defaults.yml (`blocks.nemesis`). */
const NEMESIS_DEFAULTS = (parse(readFileSync(DEFAULTS_FILE, 'utf8')) as { blocks: { nemesis: Record<string, unknown> } }).blocks.nemesis;
const parseNemesis = (block: Record<string, unknown>): NemesisSpec => nemesisSchema.parse(mergeOver(NEMESIS_DEFAULTS, block));
const spec = (faults: Record<string, unknown>, budget: Record<string, unknown> = {}) =>
  parseNemesis({ start: '1m', stop: '2h', faults, budget });

describe('nemesis', () => {
  it('draws a reproducible timeline from its own streams: one kind more does not move the others', () => {
    const crashes = spec({ node_crash: { every: '5m', duration: '30s' } });
    const both = spec({ node_crash: { every: '5m', duration: '30s' }, latency_spike: { every: '3m', duration: '1m' } });
    const a = planNemesis(crashes, targets, new RandomStreams(7));
    const b = planNemesis(both, targets, new RandomStreams(7)).filter((f) => f.kind === 'node_crash');
    expect(a.length).toBeGreaterThan(5);
    expect(b).toEqual(a);
    expect(planNemesis(crashes, targets, new RandomStreams(8))).not.toEqual(a);
  });

  it('keeps within the budget: never more nodes down, or partitions up, at once than allowed', () => {
    const plan = planNemesis(spec({ node_crash: { every: '1m', duration: { min: '30s', max: '3m' } }, node_pause: { every: '2m', duration: '20s' }, partition: { every: '1m', duration: '2m' } }, { max_nodes_down: 2, max_partitions: 1 }), targets, new RandomStreams(3));
    const intervals = (kinds: string[]) => plan.filter((f) => kinds.includes(f.kind)).map((f) => {
      const length = 'restart_after' in f ? f.restart_after! : (f as { duration: number }).duration;
      return [f.at, f.at + length] as const;
    });
    const peak = (iv: ReadonlyArray<readonly [number, number]>) => Math.max(0, ...iv.map(([s]) => iv.filter(([a, b]) => a <= s && s < b).length));
    expect(peak(intervals(['node_crash', 'node_pause']))).toBeLessThanOrEqual(2);
    expect(peak(intervals(['partition']))).toBeLessThanOrEqual(1);
    expect(plan.some((f) => f.kind === 'partition')).toBe(true);
    expect(plan.every((f) => f.at >= 60_000_000 && f.at < 7_200_000_000)).toBe(true);
  });

  it('spares the nodes it is told to spare', () => {
    const plan = planNemesis(parseNemesis({ stop: '5h', faults: { node_crash: { every: '5m', duration: '10s' } }, spare: ['a-1', 'a-2'] }), targets, new RandomStreams(1));
    expect(plan.filter((f) => f.kind === 'node_crash' && ['a-1', 'a-2'].includes((f as { node: string }).node))).toEqual([]);
  });

  it('nemesis-soak: changing replication_factor leaves faults.csv byte-identical', () => {
    const file = 'scenarios/nemesis-soak.yml';
    const rf3 = runScenario(loadScenario(file), { seed: 42 });
    const rf2 = runScenario(loadScenario(file, { set: ['pipeline.distribution.replication_factor=2'] }), { seed: 42 });
    expect(rf3.files['faults.csv']!.split('\n').length).toBeGreaterThan(40);
    expect(rf2.files['faults.csv']).toBe(rf3.files['faults.csv']);
    expect(rf2.files['durability.csv']).not.toBe(rf3.files['durability.csv']);
    expect(rf3.ok).toBe(true);
  });
});

describe('the nemesis draws what the catalog says', () => {
  it('draws exactly the kinds whose catalog entries have a nemesis part, in a unique order', () => {
    expect(NEMESIS_KINDS).toEqual(KINDS);
    const orders = FAULT_CATALOG.flatMap((f) => (f.nemesis ? [f.nemesis.order] : []));
    expect(new Set(orders).size).toBe(orders.length);
    expect(nemesisSchema.safeParse({ stop: '1h', faults: { node_loss: { every: '1m', duration: '1s' } } }).success).toBe(false);
  });

  it('plans the same timeline as the nemesis with its own list of kinds did, for random specs (ties and budgets included)', () => {
    const kinds = [...KINDS];
    const arb = fc
      .record({
        // Small units make strikes of different kinds meet at the same microsecond, so the tie order is exercised.
        unit: fc.constantFrom(1, 3, 1_000, 1_000_000, 60_000_000),
        start: fc.integer({ min: 0, max: 50 }),
        span: fc.integer({ min: 0, max: 300 }),
        faults: fc.dictionary(
          fc.constantFrom(...kinds),
          fc.record({ every: fc.integer({ min: 1, max: 20 }), duration: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }))) }),
        ),
        budget: fc.record({ enabled: fc.boolean(), max_nodes_down: fc.integer({ min: 0, max: 3 }), max_partitions: fc.integer({ min: 0, max: 2 }) }),
        nodes: fc.integer({ min: 1, max: 7 }),
        clouds: fc.constantFrom(['a'], ['a', 'b'], ['a', 'b', 'c']),
        spare: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 3 }),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
      })
      .map((c) => {
        const node = (i: number) => `${c.clouds[i % c.clouds.length]}-${i}`;
        const faults = Object.fromEntries(Object.entries(c.faults).map(([k, r]) => [k, {
          every: r.every * c.unit,
          duration: typeof r.duration === 'number' ? r.duration * c.unit : { min: Math.min(...r.duration) * c.unit, max: Math.max(...r.duration) * c.unit },
        }]));
        const spec = parseNemesis({ start: c.start * c.unit, stop: (c.start + c.span) * c.unit, faults, budget: c.budget, spare: c.spare.map(node) });
        const targets: NemesisTargets = { nodes: Array.from({ length: c.nodes }, (_, i) => node(i)), clouds: c.clouds };
        return { spec, targets, seed: c.seed };
      });
    let ties = 0;
    fc.assert(
      fc.property(arb, ({ spec, targets, seed }) => {
        const old = oldPlanNemesis(spec, targets, new RandomStreams(seed));
        expect(planNemesis(spec, targets, new RandomStreams(seed))).toEqual(old);
        if (old.some((f, i) => i > 0 && f.at === old[i - 1]!.at && f.kind !== old[i - 1]!.kind)) ties++;
      }),
      { numRuns: 300, seed: 20240611 },
    );
    expect(ties).toBeGreaterThan(20);
  });
});

describe('disks that sync lazily', () => {
  it('the store syncs before it acknowledges; acknowledging first is caught by the checker', () => {
    const file = 'scenarios/fail-during-storage.yml';
    expect(runScenario(loadScenario(file), { seed: 42 }).ok).toBe(true);
    const broken = runScenario(loadScenario(file), { seed: 42, defects: ['ack_before_sync'] });
    expect(broken.ok).toBe(false);
    expect(broken.failures.join('\n')).toMatch(/ack_matches_disks/);
  });
});

describe('clocks', () => {
  it('a wall-clock jump fools nothing: detectors and timeouts run on the monotonic clock', () => {
    const r = runScenario(loadScenario('scenarios/clock-skew.yml'), { seed: 42 });
    expect(r.summary.detection.false_failures).toBe(0);
    expect(r.ok).toBe(true);
  });
});

// --- the reference -------------------------------------------------------

const KINDS = ['node_crash', 'node_pause', 'partition', 'latency_spike', 'packet_loss', 'jitter', 'disk_slow', 'clock_skew', 'brownout', 'node_drain'] as const;
type NemesisKind = (typeof KINDS)[number];

interface Busy { from: SimTime; to: SimTime; kind: 'node' | 'partition' }

/**
 * THE REFERENCE: planNemesis as it was before the catalog drew its own strikes
 * (a fixed list of kinds and a switch), kept verbatim to prove the timeline unchanged.
 * Draws a random fault timeline up front from the nemesis's own streams
 * (`nemesis/<kind>`), one Poisson process per kind. Within the budget, a
 * strike that would put too many nodes down (or partitions up) at once is
 * skipped. The result is ordinary fault specs, applied and recorded like
 * hand-written ones.
 */
function oldPlanNemesis(spec: NemesisSpec, targets: NemesisTargets, streams: RandomStreams): FaultSpec[] {
  const nodes = targets.nodes.filter((n) => !spec.spare.includes(n));
  const busy: Busy[] = [];
  const planned: Array<{ at: SimTime; order: number; raw: Record<string, unknown> }> = [];
  let order = 0;
  for (const kind of KINDS) {
    const r = spec.faults[kind];
    if (!r || nodes.length === 0) continue;
    const rng = streams.get(`nemesis/${kind}`);
    for (let at = spec.start + Math.round(rng.exponential(r.every)); at < spec.stop; at += Math.max(1, Math.round(rng.exponential(r.every)))) {
      const length = typeof r.duration === 'number' ? r.duration : Math.round(rng.uniform(r.duration.min, r.duration.max));
      const raw = strike(kind, rng, nodes, targets.clouds, at, length);
      const costs = kind === 'node_crash' || kind === 'node_pause' || kind === 'node_drain' ? 'node' : kind === 'partition' ? 'partition' : undefined;
      if (costs && spec.budget.enabled) {
        const limit = costs === 'node' ? spec.budget.max_nodes_down : spec.budget.max_partitions;
        const overlapping = busy.filter((b) => b.kind === costs && b.from < at + length && at < b.to).length;
        if (overlapping >= limit) continue;
        busy.push({ from: at, to: at + length, kind: costs });
      }
      planned.push({ at, order: order++, raw });
    }
  }
  planned.sort((a, b) => a.at - b.at || a.order - b.order);
  return planned.map((p) => faultSchema.parse(p.raw));
}

function strike(kind: NemesisKind, rng: Rng, nodes: readonly string[], clouds: readonly string[], at: SimTime, length: SimTime): Record<string, unknown> {
  const node = rng.pick(nodes);
  const pair = (): [string, string] => {
    if (clouds.length < 2) return [rng.pick(nodes), rng.pick(nodes)];
    const [a, b] = rng.shuffled(clouds);
    return [a!, b!];
  };
  switch (kind) {
    case 'node_crash':
      return { kind, at, node, restart_after: length };
    case 'node_pause':
      return { kind, at, node, duration: length };
    case 'partition':
      return rng.chance(0.5) ? { kind, at, duration: length, shape: 'isolate', node } : { kind, at, duration: length, shape: 'halves' };
    case 'latency_spike':
      return { kind, at, duration: length, between: pair(), multiply: 2 + Math.floor(rng.float() * 9) };
    case 'packet_loss':
      return { kind, at, duration: length, between: pair(), probability: Math.round(rng.uniform(0.05, 0.5) * 100) / 100 };
    case 'jitter':
      return { kind, at, duration: length, between: pair(), amount: 5_000 + Math.round(rng.float() * 45_000) };
    case 'disk_slow':
      return { kind, at, duration: length, node, bandwidth_divide: 2 + Math.floor(rng.float() * 9) };
    case 'clock_skew':
      return { kind, at, duration: length, node, offset: Math.round(rng.uniform(-2_000_000, 2_000_000)), drift_ppm: Math.round(rng.uniform(-500, 500)) };
    case 'brownout':
      return { kind, at, duration: length, node, factor: 2 + Math.floor(rng.float() * 4) };
    case 'node_drain':
      return { kind, at, node, replace_after: length };
  }
}
