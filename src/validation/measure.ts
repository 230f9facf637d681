import { loadScenario, metricsOf, runScenario } from '../run/index.js';
import { mean, tInterval, wilson, type Interval } from '../sweep/stats.js';
import type { Experiment } from './experiments.js';

/** What an experiment measured over its seeds, against its closed form. */
export interface Measured {
  experiment: Experiment;
  seeds: number;
  value: number;
  /** The 95 % interval: Student's t for a mean, Wilson for a share (as sweeps' aggregate.csv computes them). */
  interval: Interval;
  /** The closed form lies within the interval (or, for a quantity on a grid, at most one step below it). */
  agrees: boolean;
}

/**
 * Runs the experiments, each at seeds 1..`seedsOf(experiment)`, in this
 * process and in seed order, exactly as `npm run sweep -- <file> --seeds 1..N
 * --set ...` would (the same runs, the same statistics). Experiments with
 * the same scenario, settings and seeds share their runs.
 */
export function measureAll(experiments: readonly Experiment[], seedsOf: (e: Experiment) => number): Measured[] {
  const runs = new Map<string, Array<Map<string, unknown>>>();
  return experiments.map((experiment) => {
    const seeds = seedsOf(experiment);
    const key = JSON.stringify([experiment.file, experiment.set, seeds]);
    let metrics = runs.get(key);
    if (!metrics) {
      const loaded = loadScenario(experiment.file, { set: [...experiment.set] });
      metrics = Array.from({ length: seeds }, (_, i) => metricsOf(runScenario(loaded, { seed: i + 1 }).summary) as Map<string, unknown>);
      runs.set(key, metrics);
    }
    const values = metrics.map((m, i) => {
      const v = m.get(experiment.measure.metric);
      if (typeof v !== 'number') throw new Error(`${experiment.file}: metric ${experiment.measure.metric} is ${String(v)} at seed ${i + 1}, not a number`);
      return v;
    });
    const share = experiment.measure.kind === 'share_above_zero';
    const above = values.filter((v) => v > 0).length;
    const interval = share ? wilson(above, seeds)! : tInterval(values)!;
    return {
      experiment,
      seeds,
      value: share ? above / seeds : mean(values),
      interval,
      agrees: interval.low <= experiment.expected + (experiment.grid ?? 0) && experiment.expected <= interval.high,
    };
  });
}

/** `x` to `digits` significant digits, for the table. */
const sig = (x: number, digits = 4): string => (x === 0 ? '0' : Number(x.toPrecision(digits)).toString());

/** The table docs/validation.md quotes: one row per experiment. */
export function validationTable(rows: readonly Measured[]): string {
  const lines = [
    '| Experiment | Closed form | Expected | Seeds | Measured | 95 % interval | Verdict |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((m) => `| ${m.experiment.name} | ${m.experiment.formula} | ${sig(m.experiment.expected)} | ${m.seeds} | ${sig(m.value)} | ${sig(m.interval.low)} – ${sig(m.interval.high)} | ${m.agrees ? 'agrees' : '**disagrees**'} |`),
  ];
  return lines.join('\n');
}
