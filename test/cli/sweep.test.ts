import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, METRIC_NAMES, metricsOf, runScenario } from '../../src/run/index.js';
import { runCliAsync, tempDir, type CliResult } from '../helpers/cli.js';
import { tree } from '../helpers/tree.js';

/**
 * End to end, the way a user runs sweeps. Short runs (node-loss cut to 90 s,
 * where some seeds pass and some fail), few seeds and one or two workers,
 * sharing the sweeps between tests to stay within a few dozen seconds.
 */
const SCENARIO = 'scenarios/node-loss.yml';
const SET = ['--set', 'duration=90s'];
const sweep = (args: string[]): Promise<CliResult> => runCliAsync('sweep.ts', [SCENARIO, ...SET, '--quiet', ...args]);

const csv = (file: string): Array<Record<string, string>> => parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
const cellOf = (v: number | boolean | null): string => (v === null ? '' : String(v));

const dirs = { one: '', four: '', shard0: '', shard1: '', merged: '', grid: '' };
const results: Record<string, CliResult> = {};

beforeAll(async () => {
  for (const k of Object.keys(dirs) as Array<keyof typeof dirs>) dirs[k] = join(tempDir('lorenz-sweep-'), 'out');
  const runs = await Promise.all([
    sweep(['--seeds', '1..20', '--workers', '1', '--out', dirs.one]),
    sweep(['--seeds', '1..20', '--workers', '4', '--out', dirs.four]),
    sweep(['--seeds', '1..20', '--workers', '1', '--shard', '0/2', '--out', dirs.shard0]),
    sweep(['--seeds', '1..20', '--workers', '1', '--shard', '1/2', '--out', dirs.shard1]),
    sweep(['--seeds', '41..44', '--workers', '2', '--grid', 'pipeline.distribution.replication_factor=3,2', '--out', dirs.grid]),
  ]);
  [results.one, results.four, results.shard0, results.shard1, results.grid] = runs;
  results.merge = await runCliAsync('sweep.ts', ['merge', dirs.shard1, dirs.shard0, '--out', dirs.merged, '--quiet']);
}, 120_000);

describe('npm run sweep', () => {
  it('writes runs, timing, aggregate, sweep.json and failures/ (exit 1: some seeds failed), and nothing half-done', () => {
    expect(results.one!.code, results.one!.stderr).toBe(1);
    expect(results.one!.stderr).toMatch(/^FAIL \d+ of 20 runs: seeds .*failures\/\n$/);
    expect(readdirSync(dirs.one).sort()).toEqual(['aggregate.csv', 'failures', 'runs.csv', 'sweep.json', 'timing.csv']);
    expect(existsSync(`${dirs.one}.partial`)).toBe(false);
    const runs = csv(join(dirs.one, 'runs.csv'));
    expect(runs.map((r) => Number(r.seed))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(Object.keys(runs[0]!)).toEqual(['seed', 'ok', ...METRIC_NAMES]);
    const failed = runs.filter((r) => r.ok === 'false').map((r) => `seed-${r.seed}`);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(20);
    expect(readdirSync(join(dirs.one, 'failures')).sort()).toEqual([...failed].sort());
    const f = join(dirs.one, 'failures', failed[0]!);
    expect(readdirSync(f)).toEqual(expect.arrayContaining(['summary.json', 'throughput.csv', 'faults.csv', 'reproduce.txt']));
    expect(readFileSync(join(f, 'reproduce.txt'), 'utf8')).toBe(`npm run sim -- ${SCENARIO} --seed ${failed[0]!.slice(5)} --set duration=90s\n`);
    const manifest = JSON.parse(readFileSync(join(dirs.one, 'sweep.json'), 'utf8'));
    expect(manifest).toMatchObject({
      command: `npm run sweep -- ${SCENARIO} --seeds 1..20 --set duration=90s`,
      scenario: { file: SCENARIO, sha256: loadScenario(SCENARIO, { set: ['duration=90s'] }).hash },
      settings: { set: ['duration=90s'], grid: [] },
      status: 'complete',
      runs: { requested: 20, done: 20, failed: failed.length },
      pending: '',
      node: process.version,
    });
    expect(csv(join(dirs.one, 'timing.csv')).map((r) => Number(r.seed))).toEqual(runs.map((r) => Number(r.seed)));
  });

  it('a row equals the metrics of that seed run alone', () => {
    const loaded = loadScenario(SCENARIO, { set: ['duration=90s'] });
    const row = csv(join(dirs.one, 'runs.csv')).find((r) => r.seed === '1')!;
    const single = runScenario(loaded, { seed: 1 });
    expect(row.ok).toBe(String(single.ok));
    for (const [m, v] of metricsOf(single.summary)) expect(row[m], m).toBe(cellOf(v));
  });

  it('aggregate.csv agrees with a computation by hand from runs.csv', () => {
    const runs = csv(join(dirs.one, 'runs.csv'));
    const agg = new Map(csv(join(dirs.one, 'aggregate.csv')).map((r) => [r.metric, r]));
    for (const metric of ['under_replicated_chunk_s', 'throughput_mb_s', 'completion_s']) {
      const xs = runs.map((r) => r[metric]!).filter((c) => c !== '').map(Number);
      const n = xs.length;
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
      const t = { 19: 2.093024054408263, 18: 2.10092204024096, 17: 2.109815577833181 }[n - 1]!;
      const sorted = [...xs].sort((a, b) => a - b);
      const rank = (q: number) => sorted[Math.ceil(q * n) - 1];
      const a = agg.get(metric)!;
      expect(a.kind).toBe('number');
      expect(Number(a.count)).toBe(n);
      expect(Number(a.missing)).toBe(20 - n);
      expect(Number(a.mean)).toBeCloseTo(mean, 6);
      expect(Number(a.std)).toBeCloseTo(sd, 6);
      expect(Number(a.ci95_low)).toBeCloseTo(mean - (t * sd) / Math.sqrt(n), 5);
      expect(Number(a.ci95_high)).toBeCloseTo(mean + (t * sd) / Math.sqrt(n), 5);
      expect([a.min, a.p50, a.p90, a.p99, a.max].map(Number)).toEqual([sorted[0], rank(0.5), rank(0.9), rank(0.99), sorted[n - 1]]);
    }
    // Proportions: share of true, Wilson interval.
    const k = runs.filter((r) => r.ok === 'true').length;
    const z = 1.959963984540054;
    const p = k / 20;
    const centre = (p + (z * z) / 40) / (1 + (z * z) / 20);
    const half = (z * Math.sqrt((p * (1 - p)) / 20 + (z * z) / 1600)) / (1 + (z * z) / 20);
    const ok = agg.get('ok')!;
    expect([ok.kind, ok.count, Number(ok.mean)]).toEqual(['proportion', '20', p]);
    expect(Number(ok.ci95_low)).toBeCloseTo(centre - half, 9);
    expect(Number(ok.ci95_high)).toBeCloseTo(centre + half, 9);
    expect(agg.get('pipeline_completed')!.kind).toBe('proportion');
    const lost = runs.filter((r) => Number(r.lost_chunks) > 0).length;
    expect([agg.get('any_lost_chunks')!.kind, Number(agg.get('any_lost_chunks')!.mean)]).toEqual(['proportion', lost / 20]);
    expect(agg.has('any_invariant_broken')).toBe(true);
  });

  it('gives the same bytes on 1 and 4 workers, and sharded then merged (except timing.csv)', () => {
    for (const k of ['four', 'shard0', 'shard1'] as const) expect(results[k]!.code, results[k]!.stderr).toBe(1);
    expect(results.merge!.code, results.merge!.stderr).toBe(1);
    const one = tree(dirs.one, ['timing.csv']);
    expect(tree(dirs.four, ['timing.csv'])).toEqual(one);
    expect(tree(dirs.merged, ['timing.csv'])).toEqual(one);
    const seedsOf = (dir: string) => csv(join(dir, 'runs.csv')).map((r) => Number(r.seed));
    expect(seedsOf(dirs.shard0)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(seedsOf(dirs.shard1)).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
    expect(JSON.parse(readFileSync(join(dirs.shard1, 'sweep.json'), 'utf8')).seeds).toEqual({ range: '1..20', count: 20, shard: { index: 1, count: 2, range: '11..20' } });
    expect(csv(join(dirs.merged, 'timing.csv')).map((r) => Number(r.seed))).toEqual(seedsOf(dirs.one));
  });

  it('merge refuses an incomplete set of shards, and a shard of another sweep', async () => {
    const [missing, other] = await Promise.all([
      runCliAsync('sweep.ts', ['merge', dirs.shard0, '--out', join(tempDir(), 'm')]),
      runCliAsync('sweep.ts', ['merge', dirs.shard0, dirs.grid, '--out', join(tempDir(), 'm')]),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: merge: seeds 11..20 of 1..20 are in none of the folders given; add the missing shard folders.\n');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^error: merge .*: not a shard of the same sweep as .* \(--grid .*\)\.\n$/);
  });

  it('grid: one column per key, aggregate per combination, paired.csv against the first', () => {
    expect(results.grid!.code, results.grid!.stderr).toBeLessThan(2);
    const key = 'pipeline.distribution.replication_factor';
    const runs = csv(join(dirs.grid, 'runs.csv'));
    expect(runs.map((r) => `${r[key]}:${r.seed}`)).toEqual(['3:41', '3:42', '3:43', '3:44', '2:41', '2:42', '2:43', '2:44']);
    const agg = csv(join(dirs.grid, 'aggregate.csv'));
    expect(agg.filter((r) => r.metric === 'ok').map((r) => r[key])).toEqual(['3', '2']);
    // Seed 42 under replication factor 3 is that single run.
    const single = runScenario(loadScenario(SCENARIO, { set: ['duration=90s', `${key}=3`] }), { seed: 42 });
    const row = runs.find((r) => r[key] === '3' && r.seed === '42')!;
    for (const [m, v] of metricsOf(single.summary)) expect(row[m], m).toBe(cellOf(v));
    // paired.csv: differences seed by seed, computed here by hand.
    const paired = new Map(csv(join(dirs.grid, 'paired.csv')).map((r) => [r.metric, r]));
    for (const metric of ['under_replicated_chunk_s', 'bytes_repaired', 'ok']) {
      const value = (rf: string, seed: string) => {
        const c = runs.find((r) => r[key] === rf && r.seed === seed)![metric]!;
        return c === 'true' ? 1 : c === 'false' ? 0 : Number(c);
      };
      const d = ['41', '42', '43', '44'].map((s) => value('2', s) - value('3', s));
      const p = paired.get(metric)!;
      expect(p[key]).toBe('2');
      expect(Number(p.pairs)).toBe(4);
      expect(Number(p.mean_diff)).toBeCloseTo(d.reduce((a, b) => a + b, 0) / 4, 6);
      expect([p.greater, p.less, p.equal].map(Number)).toEqual([d.filter((x) => x > 0).length, d.filter((x) => x < 0).length, d.filter((x) => x === 0).length]);
      const mean = d.reduce((a, b) => a + b, 0) / 4;
      const sd = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / 3);
      // Relative: the t quantile (jstat) is good to about 1e-8.
      if (sd > 0) expect(Math.abs(Number(p.ci95_high) / (mean + (3.182446305284263 * sd) / 2) - 1)).toBeLessThan(1e-7);
    }
    expect(JSON.parse(readFileSync(join(dirs.grid, 'sweep.json'), 'utf8')).combinations).toHaveLength(2);
    for (const f of readdirSync(join(dirs.grid, 'failures'))) expect(f).toMatch(/^[01]_pipeline\.distribution\.replication_factor=[23]$/);
  });
});

describe('--resume', () => {
  it('continues an interrupted sweep without redoing finished seeds, and the result is the uninterrupted one', async () => {
    const out = join(tempDir('lorenz-resume-'), 'out');
    const journal = join(`${out}.partial`, 'journal.jsonl');
    const stopped = await runCliAsync('sweep.ts', [SCENARIO, ...SET, '--seeds', '1..10', '--workers', '1', '--out', out, '--quiet'], (child) => {
      const poll = setInterval(() => {
        if (existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 3) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain(`continue with: npm run sweep -- ${SCENARIO} --seeds 1..10 --set duration=90s --out ${out} --resume`);
    expect(existsSync(out)).toBe(false);
    const manifest = JSON.parse(readFileSync(join(`${out}.partial`, 'sweep.json'), 'utf8'));
    expect(manifest.status).toBe('incomplete');
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    expect(manifest.pending).toBe(lines.length < 10 ? `${lines.length + 1}..10` : '');

    // Mark the first finished seed, so a redone run would show; and leave a line cut short by a kill.
    const first = JSON.parse(lines[0]!);
    first.metrics.repairs = 12345;
    writeFileSync(journal, [JSON.stringify(first), ...lines.slice(1)].join('\n') + '\n{"combination":0,"se');

    const refused = await sweep(['--seeds', '1..10', '--set', 'detector.kind=swim', '--out', out, '--resume']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: --resume: .*\.partial holds another sweep \(--set \["duration=90s"\] vs \["duration=90s","detector.kind=swim"\]\)/);

    const resumed = await sweep(['--seeds', '1..10', '--workers', '2', '--out', out, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(1);
    const runs = csv(join(out, 'runs.csv'));
    expect(runs.find((r) => Number(r.seed) === first.seed)!.repairs).toBe('12345');
    // Otherwise the rows of the uninterrupted sweep (shard 0 ran the same seeds 1..10).
    const whole = csv(join(dirs.shard0, 'runs.csv'));
    runs.find((r) => Number(r.seed) === first.seed)!.repairs = whole.find((r) => Number(r.seed) === first.seed)!.repairs!;
    expect(runs).toEqual(whole);
    expect(csv(join(out, 'timing.csv'))).toHaveLength(10);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(readdirSync(out)).not.toContain('journal.jsonl');

    const again = await sweep(['--seeds', '1..10', '--out', out, '--resume']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
  });
});

describe('bad input exits 2 with one paragraph naming the flag, and writes nothing', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--seeds', '5..1'], /^error: --seeds 5\.\.1: the range is empty/],
    [['--seeds', 'x'], /^error: --seeds x: expected a range/],
    [['--seeds', '1..3', '--grid', 'pipeline.replication=2,3'], /^error: --grid pipeline\.replication=2,3: pipeline\.replication: unknown field "replication"/],
    [['--seeds', '1..3', '--grid', 'duration=60s,soon'], /^error: --grid duration=60s,soon: duration: expected a duration .* got "soon"/],
    [['--seeds', '1..3', '--shard', '2/2'], /^error: --shard 2\/2: the shard index is out of range/],
    [['--seeds', '1..3', '--bogus'], /^error: --bogus: unknown flag\.\n\nusage: npm run sweep/],
  ];
  it('for each case', async () => {
    // Side by side: each is a process start and little else.
    const outs = cases.map(() => join(tempDir(), 'out'));
    const got = await Promise.all(cases.map(([args], i) => runCliAsync('sweep.ts', [SCENARIO, ...args, '--out', outs[i]!])));
    got.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(outs[i]!) || existsSync(`${outs[i]}.partial`)).toBe(false);
    });
  });
});
