import { metricsOf, type Summary } from '../run/index.js';
import type { MetricValue } from '../check/index.js';
import { diffCsv, type CsvDiff } from './csv-diff.js';

export interface MetricComparison {
  metric: string;
  a: MetricValue;
  b: MetricValue;
  /** b - a, when both are numbers. */
  change: number | null;
  /** (b - a) / |a|, when both are numbers and a is not 0. */
  relChange: number | null;
}

export interface CompareReport {
  /** Every CSV identical or within tolerance. */
  equal: boolean;
  tolerance: number;
  files: CsvDiff[];
  metrics: MetricComparison[];
}

/**
 * Compares two runs' output files (name -> text): each CSV row by row, then
 * the summary metrics side by side.
 */
export function compareRuns(a: Record<string, string>, b: Record<string, string>, tolerance = 0): CompareReport {
  const csvNames = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => f.endsWith('.csv')).sort();
  const files = csvNames.map((f) => diffCsv(f, a[f], b[f], tolerance));
  const equal = files.every((f) => f.status === 'identical' || f.status === 'within_tolerance');
  return { equal, tolerance, files, metrics: compareSummaries(a['summary.json'], b['summary.json']) };
}

function compareSummaries(a: string | undefined, b: string | undefined): MetricComparison[] {
  if (a === undefined || b === undefined) return [];
  const ma = metricsOf(JSON.parse(a) as Summary);
  const mb = metricsOf(JSON.parse(b) as Summary);
  return [...ma.keys()].map((metric) => {
    const x = ma.get(metric) ?? null;
    const y = mb.get(metric) ?? null;
    const numeric = typeof x === 'number' && typeof y === 'number';
    return {
      metric, a: x, b: y,
      change: numeric ? round6(y - x) : null,
      relChange: numeric && x !== 0 ? round6((y - x) / Math.abs(x)) : null,
    };
  });
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
