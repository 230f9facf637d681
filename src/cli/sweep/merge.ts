import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from '../../scenario/index.js';
import { formatSeeds, identityMismatch, layoutOf, parseRunsCsv, parseTimingCsv, planSeeds, seedsOf, sweepFiles, unshardedPlanOf, type SweepManifest, type SweepRow, type TimingRow } from '../../sweep/index.js';
import { EXIT_CODES } from '../exit-codes.js';
import { writeResults } from '../write-results.js';
import { checkReplaceable, publish, readManifest, workDirOf } from './folder.js';
import { sweepCommand } from './plan.js';

/**
 * `npm run sweep -- merge DIR... --out DIR`: shard folders of one sweep
 * into the folder a single process would have written. Rows come from each
 * shard's runs.csv and timing.csv, and every other file is derived from
 * them exactly as at the end of a sweep, so the bytes match.
 */
export function mergeSweeps(dirs: readonly string[], outFlag: string | undefined, quiet: boolean): number {
  if (dirs.length === 0) throw new ScenarioError('merge: no sweep folders given; usage: npm run sweep -- merge DIR... [--out DIR].');
  const manifests = dirs.map((dir) => {
    const m = readManifest(dir);
    if (!m) throw new ScenarioError(`merge ${dir}: not a sweep folder (no sweep.json).`);
    if (m.status !== 'complete') throw new ScenarioError(`merge ${dir}: the sweep is incomplete (seeds ${m.pending} pending); finish it first with: ${m.command} --resume`);
    return m;
  });
  manifests.forEach((m, i) => {
    const why = identityMismatch(manifests[0]!, m, false);
    if (why) throw new ScenarioError(`merge ${dirs[i]}: not a shard of the same sweep as ${dirs[0]} (${why}).`);
  });
  const plan = unshardedPlanOf(manifests[0]!);
  checkCoverage(dirs, manifests, plan.seeds);

  const grid = layoutOf(plan);
  const rows: SweepRow[] = [];
  const timings: TimingRow[] = [];
  let metricNames: string[] | null = null;
  for (const dir of dirs) {
    const runs = parseRunsCsv(readFileSync(join(dir, 'runs.csv'), 'utf8'), join(dir, 'runs.csv'), grid);
    if (metricNames && runs.metricNames.join() !== metricNames.join()) throw new ScenarioError(`merge ${dir}: runs.csv has other metric columns than ${dirs[0]}'s.`);
    metricNames = runs.metricNames;
    rows.push(...runs.rows);
    timings.push(...parseTimingCsv(readFileSync(join(dir, 'timing.csv'), 'utf8'), join(dir, 'timing.csv'), grid));
  }

  const out = outFlag ?? join('results', plan.scenario.name, `sweep-${plan.seeds.first}-${plan.seeds.last}`);
  checkReplaceable(out, '--out');
  const work = workDirOf(out);
  const env = { lorenz: manifests[0]!.lorenz, node: manifests[0]!.node };
  writeResults(work, sweepFiles(plan, env, sweepCommand(plan), metricNames!, rows, timings));
  for (const dir of dirs) if (existsSync(join(dir, 'failures'))) cpSync(join(dir, 'failures'), join(work, 'failures'), { recursive: true });
  publish(work, out);
  const failed = rows.filter((r) => !r.ok).length;
  if (!quiet) console.log(`merged ${dirs.length} shard(s): ${rows.length} runs, ${failed} failed\n  results: ${out}/`);
  if (failed === 0) return EXIT_CODES.ok;
  console.error(`FAIL ${failed} of ${rows.length} runs; their outputs and reproduce.txt are under ${join(out, 'failures')}/`);
  return EXIT_CODES.failed;
}

/** Each seed of the range in exactly one shard. */
function checkCoverage(dirs: readonly string[], manifests: readonly SweepManifest[], range: { first: number; last: number }): void {
  const owner = new Map<number, string>();
  manifests.forEach((m, i) => {
    const plan = unshardedPlanOf(m);
    const shard = m.seeds.shard ? { index: m.seeds.shard.index, count: m.seeds.shard.count } : null;
    for (const seed of seedsOf(planSeeds({ ...plan, shard }))) {
      const other = owner.get(seed);
      if (other !== undefined) throw new ScenarioError(`merge ${dirs[i]}: seed ${seed} is also in ${other}; give each shard once.`);
      owner.set(seed, dirs[i]!);
    }
  });
  const missing = [...seedsOf(range)].filter((s) => !owner.has(s));
  if (missing.length) throw new ScenarioError(`merge: seeds ${formatSeeds(missing)} of ${range.first}..${range.last} are in none of the folders given; add the missing shard folders.`);
}
