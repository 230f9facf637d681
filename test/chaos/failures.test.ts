import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { failuresSchema, planFailures, YEAR, type FailuresSpec, type FaultSpec } from '../../src/chaos/index.js';
import { RandomStreams } from '../../src/kernel/index.js';
import { loadScenarioFromText, runScenario } from '../../src/run/index.js';
import { DEFAULTS_FILE, mergeOver, ScenarioError } from '../../src/scenario/index.js';

/** A failures block as a scenario would have it: its defaults come from config/defaults.yml (`blocks.failures`). */
const FAILURE_DEFAULTS = (parse(readFileSync(DEFAULTS_FILE, 'utf8')) as { blocks: { failures: Record<string, unknown> } }).blocks.failures;
const spec = (block: Record<string, unknown>): FailuresSpec => failuresSchema.parse(mergeOver(FAILURE_DEFAULTS, block));
const DAY = 86_400_000_000;
const names = (n: number) => Array.from({ length: n }, (_, i) => `n-${i + 1}`);
const of = (plan: readonly FaultSpec[], node: string) => plan.filter((f) => 'node' in f && f.node === node);

const machines = { lifetime: { dist: 'exponential', mean: '10d' }, replace_after: { dist: 'exponential', mean: '1d' } };

describe('failure processes: the plan', () => {
  it('a node\'s failures depend on the seed and its name only: more nodes, a disk process, another seed', () => {
    const few = planFailures(spec({ nodes: machines }), names(5), YEAR, new RandomStreams(7));
    const more = planFailures(spec({ nodes: machines, disks: { lifetime: { dist: 'weibull', shape: 0.8, scale: '20d' }, replace_after: '2d' } }), names(9), YEAR, new RandomStreams(7));
    expect(few.length).toBeGreaterThan(100);
    for (const node of names(5)) expect(of(more, node).filter((f) => f.kind === 'node_loss')).toEqual(of(few, node));
    expect(more.some((f) => f.kind === 'disk_fail')).toBe(true);
    expect(planFailures(spec({ nodes: machines }), names(5), YEAR, new RandomStreams(8))).not.toEqual(few);
  });

  it('is in time order, within the span, and spares the spare nodes', () => {
    const plan = planFailures(spec({ start: '10d', stop: '200d', nodes: machines, spare: ['n-2'] }), names(6), YEAR, new RandomStreams(3));
    expect(plan.map((f) => f.at)).toEqual(plan.map((f) => f.at).sort((a, b) => a - b));
    expect(plan.every((f) => f.at >= 10 * DAY && f.at < 200 * DAY)).toBe(true);
    expect(of(plan, 'n-2')).toEqual([]);
    expect(plan.every((f) => f.kind === 'node_loss' && f.replace_with === 'in_place' && f.replace_after !== undefined)).toBe(true);
  });

  it('a machine never replaced fails once; changing the permanent share moves no first failure', () => {
    const once = planFailures(spec({ nodes: { lifetime: machines.lifetime } }), names(50), YEAR, new RandomStreams(2));
    expect(new Set(once.map((f) => (f as { node: string }).node)).size).toBe(once.length);
    expect(once.every((f) => f.kind === 'node_loss' && f.replace_after === undefined)).toBe(true);
    const mixed = planFailures(spec({ nodes: { ...machines, permanent: '30%', downtime: '1h' } }), names(50), YEAR, new RandomStreams(2));
    for (const node of names(50)) expect(of(mixed, node)[0]?.at).toBe(of(once, node)[0]?.at);
  });

  it('a Poisson process: with instant replacement, N nodes at rate λ fail N λ T times over T, within 4 standard deviations', () => {
    const n = 200;
    const T = 100 * DAY;
    const plan = planFailures(spec({ stop: '100d', nodes: { lifetime: { dist: 'exponential', afr: 36.5 }, replace_after: 0 } }), names(n), YEAR, new RandomStreams(11));
    // AFR 36.5 per year is one failure every 10 days.
    const expected = (n * T) / (10 * DAY);
    expect(Math.abs(plan.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('the permanent share of failures is what `permanent` says (within 4 standard errors)', () => {
    const plan = planFailures(spec({ nodes: { ...machines, permanent: 0.3, downtime: { dist: 'lognormal', median: '10m', sigma: 1 } } }), names(100), YEAR, new RandomStreams(5));
    const lost = plan.filter((f) => f.kind === 'node_loss').length;
    expect(Math.abs(lost / plan.length - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / plan.length));
    expect(plan.filter((f) => f.kind === 'node_crash').every((f) => (f as { restart_after?: number }).restart_after! >= 0)).toBe(true);
  });

  it('rack bursts: whole racks down together from their own streams; each machine lost with the given chance; nothing else moves', () => {
    const racks = [{ name: 'rack-a', nodes: names(10).slice(0, 5) }, { name: 'rack-b', nodes: names(10).slice(5) }];
    const burst = { every: { dist: 'exponential', mean: '20d' }, downtime: '1h', lose: '20%', replace_after: '1d' };
    const plan = planFailures(spec({ nodes: machines, racks: burst }), names(10), YEAR, new RandomStreams(4), racks);
    const bursts = plan.filter((f) => f.kind === 'rack_failure');
    expect(bursts.length).toBeGreaterThan(20);
    expect(bursts.every((f) => (f as { duration?: number }).duration === 3_600_000_000)).toBe(true);
    // Machines lost by a burst strike at its instant, in its rack; about a fifth of the machines burst.
    const lostInBursts = plan.filter((f) => f.kind === 'node_loss' && bursts.some((b) => b.at === f.at));
    for (const f of lostInBursts) expect(racks.find((r) => r.nodes.includes((f as { node: string }).node))!.name).toBe((bursts.find((b) => b.at === f.at) as { target: string }).target);
    const share = lostInBursts.length / (bursts.length * 5);
    expect(Math.abs(share - 0.2)).toBeLessThan(4 * Math.sqrt(0.16 / (bursts.length * 5)));
    // The machines' own failures are those planned without bursts.
    const alone = planFailures(spec({ nodes: machines }), names(10), YEAR, new RandomStreams(4));
    expect(plan.filter((f) => !bursts.some((b) => b.at === f.at))).toEqual(alone);
  });

  it('refuses crashes without a downtime', () => {
    expect(failuresSchema.safeParse(mergeOver(FAILURE_DEFAULTS, { nodes: { ...machines, permanent: 0.5 } })).error?.issues[0]?.message).toMatch(/give "downtime"/);
  });
});

const SCENARIO = `
duration: 2h
metrics: { bucket: 1m }
topology:
  clouds:
    aws:
      regions:
        aws-east: { nodes: 8 }
        aws-west: { nodes: 8 }
pipeline:
  dataset: { size: 20GB, file_size: 1GB }
failures:
  nodes:
    lifetime: { dist: exponential, mean: 8h }
    permanent: 50%
    downtime: { dist: exponential, mean: 3m }
    replace_after: 20m
  disks:
    lifetime: { dist: exponential, mean: 12h }
    replace_after: 30m
  spare: [aws-east-1]
`;

describe('failure processes in a run', () => {
  it('are faults like any other: in faults.csv and the fault count, byte-identical run to run, and unmoved by a system setting', () => {
    const run = (set: string[] = []) => runScenario(loadScenarioFromText('failures.yml', SCENARIO, { set }), { seed: 42 });
    const a = run();
    const rows = a.files['faults.csv']!.trim().split('\n').slice(1);
    expect(rows.some((r) => r.includes(',node_loss,start,'))).toBe(true);
    expect(rows.some((r) => r.includes(',disk_fail,start,'))).toBe(true);
    expect(rows.some((r) => r.includes('aws-east-1'))).toBe(false);
    expect(JSON.parse(a.files['summary.json']!).faults).toBe(new Set(rows.map((r) => r.split(',')[1])).size);
    expect(run().files).toEqual(a.files);
    const rf2 = run(['pipeline.distribution.replication_factor=2']);
    expect(rf2.files['faults.csv']).toBe(a.files['faults.csv']);
    expect(rf2.files['durability.csv']).not.toBe(a.files['durability.csv']);
  });

  it('a nemesis beside them keeps its own timeline', () => {
    const nemesis = '\nnemesis:\n  stop: 100m\n  faults:\n    latency_spike: { every: 10m, duration: 1m }\n';
    const spikes = (text: string) => runScenario(loadScenarioFromText('f.yml', text, {}), { seed: 42 }).files['faults.csv']!.split('\n').filter((r) => r.includes('latency_spike')).map((r) => r.replace(/^([^,]*),\d+,/, '$1,'));
    const alone = spikes(SCENARIO.replace(/failures:[\s\S]*$/, '') + nemesis);
    expect(alone.length).toBeGreaterThan(4);
    expect(spikes(SCENARIO + nemesis)).toEqual(alone);
  });

  it('refuses a plan too large to draw before the run, naming the lifetime', () => {
    const huge = SCENARIO.replace('duration: 2h', 'duration: 100y').replace('mean: 8h', 'mean: 1h').replace('bucket: 1m', 'bucket: 1d');
    expect(() => loadScenarioFromText('huge.yml', huge, {})).toThrow(ScenarioError);
    expect(() => loadScenarioFromText('huge.yml', huge, {})).toThrow(/failures\.nodes\.lifetime: 16 nodes over 100 years? .*at most 1000000/);
  });
});
