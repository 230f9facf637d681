import { describe, expect, it } from 'vitest';
import { nemesisSchema, planNemesis } from '../../src/chaos/index.js';
import { RandomStreams } from '../../src/kernel/index.js';
import { loadScenario, runScenario } from '../../src/run/index.js';

const targets = { nodes: ['a-1', 'a-2', 'a-3', 'b-1', 'b-2', 'b-3'], clouds: ['a', 'b'] };
const spec = (faults: Record<string, unknown>, budget: Record<string, unknown> = {}) =>
  nemesisSchema.parse({ start: '1m', stop: '2h', faults, budget });

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
    const plan = planNemesis(nemesisSchema.parse({ stop: '5h', faults: { node_crash: { every: '5m', duration: '10s' } }, spare: ['a-1', 'a-2'] }), targets, new RandomStreams(1));
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
