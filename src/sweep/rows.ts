import { parse } from 'csv-parse/sync';
import type { MetricValue } from '../check/expectations.js';
import { toCsv } from '../metrics/csv.js';
import { ScenarioError } from '../scenario/index.js';
import type { Combination, GridAxis } from './grid.js';

/**
 * The row format of a sweep: one run (combination, seed) and its named
 * metrics. runs.csv holds only what the run decides, so it is the same bytes
 * for any worker count, order or shard layout; the wall time of each run,
 * which is not, goes to timing.csv.
 */
export interface SweepRow {
  combination: number;
  seed: number;
  ok: boolean;
  metrics: Record<string, MetricValue>;
}

export interface TimingRow {
  combination: number;
  seed: number;
  wall_s: number;
}

/** The grid, as runs.csv, timing.csv and aggregate.csv spell it: one leading column per axis. */
export interface GridLayout {
  axes: readonly GridAxis[];
  combinations: readonly Combination[];
}

/** Grid order, then seed order: the one order every file uses. */
export const byRunOrder = <R extends { combination: number; seed: number }>(a: R, b: R): number => a.combination - b.combination || a.seed - b.seed;

/** A metric value as a cell: booleans as true/false, null as empty, numbers in JavaScript's shortest round-trip form (locale-free). */
export const cell = (v: MetricValue): string => (v === null ? '' : String(v));

const fromCell = (text: string): MetricValue => (text === '' ? null : text === 'true' ? true : text === 'false' ? false : Number(text));

export function runsCsv(grid: GridLayout, metricNames: readonly string[], rows: readonly SweepRow[]): string {
  const header = [...grid.axes.map((a) => a.key), 'seed', 'ok', ...metricNames];
  const body = [...rows].sort(byRunOrder).map((r) => [...grid.combinations[r.combination]!.values, r.seed, String(r.ok), ...metricNames.map((m) => cell(r.metrics[m] ?? null))]);
  return toCsv(header, body);
}

export function timingCsv(grid: GridLayout, rows: readonly TimingRow[]): string {
  const header = [...grid.axes.map((a) => a.key), 'seed', 'wall_s'];
  return toCsv(header, [...rows].sort(byRunOrder).map((r) => [...grid.combinations[r.combination]!.values, r.seed, r.wall_s.toFixed(4)]));
}

/** Reads runs.csv (or timing.csv) back: the table's rows with their combination index, checked against the grid. */
function readTable(text: string, file: string, grid: GridLayout, fixed: readonly string[]): { columns: string[]; rows: Array<{ combination: number; seed: number; cells: string[] }> } {
  const [header, ...records] = parse(text, { relax_column_count: false }) as string[][];
  const keys = grid.axes.map((a) => a.key);
  const columns = header?.slice(keys.length + fixed.length) ?? [];
  if (!header || header.slice(0, keys.length + fixed.length).join('\0') !== [...keys, ...fixed].join('\0')) {
    throw new ScenarioError(`${file}: its header does not start with ${[...keys, ...fixed].join(',')}; it was not written by this sweep's grid.`);
  }
  const byValues = new Map(grid.combinations.map((c) => [c.values.join('\0'), c.index]));
  return {
    columns,
    rows: records.map((rec, i) => {
      const combination = byValues.get(rec.slice(0, keys.length).join('\0'));
      const seed = Number(rec[keys.length]);
      if (combination === undefined || !Number.isSafeInteger(seed)) throw new ScenarioError(`${file}:${i + 2}: not a row of this sweep's grid and seeds.`);
      return { combination, seed, cells: rec.slice(keys.length + 1) };
    }),
  };
}

export function parseRunsCsv(text: string, file: string, grid: GridLayout): { metricNames: string[]; rows: SweepRow[] } {
  const { columns, rows } = readTable(text, file, grid, ['seed', 'ok']);
  return {
    metricNames: columns,
    rows: rows.map(({ combination, seed, cells }) => ({
      combination,
      seed,
      ok: cells[0] === 'true',
      metrics: Object.fromEntries(columns.map((m, i) => [m, fromCell(cells[i + 1]!)])),
    })),
  };
}

export function parseTimingCsv(text: string, file: string, grid: GridLayout): TimingRow[] {
  return readTable(text, file, grid, ['seed', 'wall_s']).rows.map(({ combination, seed, cells }) => ({ combination, seed, wall_s: Number(cells[0]) }));
}
