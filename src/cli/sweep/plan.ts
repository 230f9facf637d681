import { readFileSync } from 'node:fs';
import { loadScenario, loadScenarioFromText } from '../../run/index.js';
import { ScenarioError } from '../../scenario/index.js';
import { checkGrid, combinations, gridFlag, parseGridAxis, type GridAxis, type SeedRange, type Shard, type SweepPlan } from '../../sweep/index.js';
import { shellQuote } from '../shell-quote.js';

export interface PlanInput {
  file: string;
  seeds: SeedRange;
  set: readonly string[];
  grid: readonly string[];
  shard: Shard | null;
  /** --allow-late-faults: a fault at or after the end is a warning, not an error. */
  allowLateFaults?: boolean;
}

/**
 * Turns the flags into a plan, loading the scenario once per grid point so
 * that a bad setting stops the sweep before anything is written. Returns
 * the scenario text too: workers run these bytes, not whatever the file
 * holds later.
 */
export function planSweep(input: PlanInput): { plan: SweepPlan; text: string; warnings: string[] } {
  const base = loadScenario(input.file, { set: input.set, allowLateFaults: input.allowLateFaults ?? false });
  const text = readFileSync(input.file, 'utf8');
  const axes = input.grid.map(parseGridAxis);
  checkGrid(axes, input.set);
  const points = combinations(axes).map((c) => ({ ...c, sha256: loadPoint(input, text, axes, c.set) }));
  return {
    plan: { scenario: { file: input.file, name: base.name, sha256: base.hash }, set: [...input.set], grid: axes, combinations: points, seeds: input.seeds, shard: input.shard, ...(input.allowLateFaults ? { allowLateFaults: true as const } : {}) },
    text,
    warnings: base.warnings,
  };
}

/** Loads one grid point; an error caused by a grid value names its --grid flag rather than the --set it became. */
function loadPoint(input: PlanInput, text: string, axes: readonly GridAxis[], gridSet: readonly string[]): string {
  try {
    return loadScenarioFromText(input.file, text, { set: [...input.set, ...gridSet], allowLateFaults: input.allowLateFaults ?? false }).hash;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const i = gridSet.findIndex((s) => e.message.startsWith(`--set ${s}:`));
    if (i >= 0) throw new ScenarioError(`${gridFlag(axes[i]!)}:${e.message.slice(`--set ${gridSet[i]}:`.length)}`);
    throw new ScenarioError(`${axes.map(gridFlag).join(' ')}: with ${gridSet.join(' ')}: ${e.message}`);
  }
}

/** The command that makes a sweep: what sweep.json records, equal for a sweep however it was run (workers, --out, shards merged). */
export function sweepCommand(plan: SweepPlan): string {
  const r = plan.seeds;
  return [
    `npm run sweep -- ${shellQuote(plan.scenario.file)} --seeds ${r.first}..${r.last}`,
    ...plan.set.map((s) => `--set ${shellQuote(s)}`),
    ...plan.grid.map((a) => `--grid ${shellQuote(`${a.key}=${a.values.join(',')}`)}`),
    ...(plan.shard ? [`--shard ${plan.shard.index}/${plan.shard.count}`] : []),
    ...(plan.allowLateFaults ? ['--allow-late-faults'] : []),
  ].join(' ');
}
