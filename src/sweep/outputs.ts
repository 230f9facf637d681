import { aggregateCsv, pairedCsv } from './aggregate.js';
import { buildManifest, type SweepEnv, type SweepPlan } from './manifest.js';
import { runsCsv, timingCsv, type GridLayout, type SweepRow, type TimingRow } from './rows.js';

export const layoutOf = (plan: SweepPlan): GridLayout => ({ axes: plan.grid, combinations: plan.combinations });

/**
 * Every file of a sweep folder but failures/, as text, from its rows. A
 * finished sweep, a resumed one and merged shards all end here, so equal
 * rows give equal bytes.
 */
export function sweepFiles(plan: SweepPlan, env: SweepEnv, command: string, metricNames: readonly string[], rows: readonly SweepRow[], timings: readonly TimingRow[]): Record<string, string> {
  const grid = layoutOf(plan);
  return {
    'runs.csv': runsCsv(grid, metricNames, rows),
    'timing.csv': timingCsv(grid, timings),
    'aggregate.csv': aggregateCsv(grid, metricNames, rows),
    ...(plan.combinations.length > 1 ? { 'paired.csv': pairedCsv(grid, metricNames, rows) } : {}),
    'sweep.json': JSON.stringify(buildManifest(plan, env, command, rows), null, 2) + '\n',
  };
}

/**
 * The folder (relative to the sweep's) that keeps a failed run's outputs:
 * `failures/seed-N`, or with a grid `failures/<settings>/seed-N`, the
 * settings made safe as one folder name.
 */
export function failureDir(plan: SweepPlan, combination: number, seed: number): string {
  if (plan.grid.length === 0) return `failures/seed-${seed}`;
  const label = plan.combinations[combination]!.set.join(',').replace(/[^\w.=,+-]/g, '_');
  return `failures/${combination}_${label}/seed-${seed}`;
}
