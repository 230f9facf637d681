import type { MetricValue } from '../check/expectations.js';
import { toCsv } from '../metrics/csv.js';
import { byRunOrder, cell, type GridLayout, type SweepRow } from './rows.js';
import { mean, nearestRank, sampleStd, tInterval, wilson } from './stats.js';

/** What aggregate.csv and paired.csv summarise: `ok`, every named metric, then the derived indicators. */
interface Measure {
  name: string;
  read: (row: SweepRow) => MetricValue;
}

/** 0/1 outcomes derived from count metrics, because "how often does any loss happen" is the question a sweep answers. */
const INDICATORS: ReadonlyArray<[string, string]> = [
  ['any_lost_chunks', 'lost_chunks'],
  ['any_invariant_broken', 'invariants_broken'],
];

function measures(metricNames: readonly string[]): Measure[] {
  return [
    { name: 'ok', read: (r) => r.ok },
    ...metricNames.map((m) => ({ name: m, read: (r: SweepRow) => r.metrics[m] ?? null })),
    ...INDICATORS.filter(([, m]) => metricNames.includes(m)).map(([name, m]) => ({
      name,
      read: (r: SweepRow) => {
        const v = r.metrics[m] ?? null;
        return typeof v === 'number' ? v > 0 : null;
      },
    })),
  ];
}

/** A computed statistic as a cell: 12 significant digits, readable and far finer than any seed-to-seed spread. */
const stat = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '' : String(Number(x.toPrecision(12))));

/** The rows of one combination, in seed order. */
function rowsByCombination(grid: GridLayout, rows: readonly SweepRow[]): SweepRow[][] {
  const groups = grid.combinations.map((): SweepRow[] => []);
  for (const r of [...rows].sort(byRunOrder)) groups[r.combination]!.push(r);
  return groups;
}

/** A measure is a proportion when its values are booleans (ok, pipeline_completed, the indicators). */
const isProportion = (m: Measure, rows: readonly SweepRow[]): boolean => rows.some((r) => typeof m.read(r) === 'boolean');

const asNumber = (v: MetricValue): number | null => (v === null ? null : Number(v));

export const AGGREGATE_HEADER = ['metric', 'kind', 'count', 'missing', 'mean', 'std', 'ci95_low', 'ci95_high', 'min', 'p50', 'p90', 'p99', 'max'];

/**
 * aggregate.csv: per combination and measure, over the seeds where it is not
 * null: numbers get mean, sample std, Student-t 95 % interval of the mean and
 * nearest-rank quantiles; proportions get the share of true and its Wilson
 * 95 % interval.
 */
export function aggregateCsv(grid: GridLayout, metricNames: readonly string[], rows: readonly SweepRow[]): string {
  const all = measures(metricNames);
  const kinds = new Map(all.map((m) => [m.name, isProportion(m, rows)]));
  const body = rowsByCombination(grid, rows).flatMap((group, c) =>
    all.map((m) => {
      const values = group.map(m.read).filter((v): v is number | boolean => v !== null);
      const head = [...grid.combinations[c]!.values, m.name];
      const missing = group.length - values.length;
      if (kinds.get(m.name)) {
        const k = values.filter((v) => v === true).length;
        const ci = wilson(k, values.length);
        return [...head, 'proportion', values.length, missing, stat(values.length ? k / values.length : null), '', stat(ci?.low), stat(ci?.high), '', '', '', '', ''];
      }
      const xs = values.map(Number);
      const sorted = [...xs].sort((a, b) => a - b);
      const ci = tInterval(xs);
      const q = (p: number): string => (sorted.length ? cell(nearestRank(sorted, p)) : '');
      return [...head, 'number', xs.length, missing, stat(xs.length ? mean(xs) : null), stat(sampleStd(xs)), stat(ci?.low), stat(ci?.high), q(0), q(0.5), q(0.9), q(0.99), q(1)];
    }),
  );
  return toCsv([...grid.axes.map((a) => a.key), ...AGGREGATE_HEADER], body);
}

export const PAIRED_HEADER = ['metric', 'pairs', 'mean_diff', 'ci95_low', 'ci95_high', 'greater', 'less', 'equal'];

/**
 * paired.csv: every combination against the first (the baseline), seed by
 * seed — both faced the same faults, as faults draw from their own streams.
 * Per measure, over the seeds where both values exist: the mean of
 * (combination - baseline), its paired-t 95 % interval, and how many seeds
 * were greater, less or equal (true counts as 1). Which direction is better
 * depends on the metric, so it is left to the reader.
 */
export function pairedCsv(grid: GridLayout, metricNames: readonly string[], rows: readonly SweepRow[]): string {
  const all = measures(metricNames);
  const groups = rowsByCombination(grid, rows);
  const baseline = new Map(groups[0]!.map((r) => [r.seed, r]));
  const body = groups.slice(1).flatMap((group, i) =>
    all.map((m) => {
      const diffs: number[] = [];
      for (const r of group) {
        const b = baseline.get(r.seed);
        const [x, y] = [asNumber(m.read(r)), b ? asNumber(m.read(b)) : null];
        if (x !== null && y !== null) diffs.push(x - y);
      }
      const ci = tInterval(diffs);
      return [...grid.combinations[i + 1]!.values, m.name, diffs.length, stat(diffs.length ? mean(diffs) : null), stat(ci?.low), stat(ci?.high),
        diffs.filter((d) => d > 0).length, diffs.filter((d) => d < 0).length, diffs.filter((d) => d === 0).length];
    }),
  );
  return toCsv([...grid.axes.map((a) => a.key), ...PAIRED_HEADER], body);
}
