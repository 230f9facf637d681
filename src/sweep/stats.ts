import jstat from 'jstat';

/**
 * The statistics of aggregate.csv and paired.csv. Inputs are in seed order
 * and sums run in that order, so the same rows give the same bits whatever
 * the worker count or shard layout.
 */

export interface Interval {
  low: number;
  high: number;
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Sample standard deviation (divisor n - 1); null below two values. */
export function sampleStd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) * (x - m), 0) / (xs.length - 1));
}

/** Student's t quantile for a two-sided 95 % interval with `dof` degrees of freedom. */
const t975 = (dof: number): number => jstat.jStat.studentt.inv(0.975, dof);

/**
 * 95 % interval of the mean by Student's t (n - 1 degrees of freedom): right
 * for few seeds, and within 0.1 % of the normal one from about 1,000 on.
 * A paired comparison passes the per-seed differences. Null below two values.
 */
export function tInterval(xs: readonly number[]): Interval | null {
  const sd = sampleStd(xs);
  if (sd === null) return null;
  const m = mean(xs);
  const half = t975(xs.length - 1) * (sd / Math.sqrt(xs.length));
  return { low: m - half, high: m + half };
}

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson score 95 % interval of a proportion of `k` in `n`: unlike the normal
 * approximation it stays within [0, 1] and is not degenerate at 0 or n
 * (0 failures in 200 seeds still leaves up to 1.9 %).
 */
export function wilson(k: number, n: number): Interval | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At k = 0 (k = n) the bound is exactly 0 (1); computed, it would be off by rounding.
  return { low: k === 0 ? 0 : centre - half, high: k === n ? 1 : centre + half };
}

/** Quantile by nearest rank, like every quantile in Lorenz: the value at position ceil(q n) of the n sorted values. */
export const nearestRank = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
