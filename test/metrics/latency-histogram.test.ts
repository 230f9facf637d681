import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';

/** The nearest-rank quantile of the raw values, to judge the histogram against. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('LatencyHistogram: quantiles in fixed memory', () => {
  it('is exact below 128 µs and null when empty', () => {
    const h = new LatencyHistogram();
    expect(h.quantile(0.5)).toBeNull();
    for (const v of [3, 1, 127, 64, 0]) h.add(v);
    expect([0.2, 0.4, 0.6, 0.8, 1].map((q) => h.quantile(q))).toEqual([0, 1, 3, 64, 127]);
  });

  it('reports any quantile within 0.8 % of the exact one, never above the largest value', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 4_000_000_000 }), { minLength: 1, maxLength: 200 }),
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      (values, q) => {
        const h = new LatencyHistogram();
        for (const v of values) h.add(v);
        const want = exact(values, q);
        const got = h.quantile(q)!;
        expect(Math.abs(got - want)).toBeLessThanOrEqual(want / 128 + 0.5);
        expect(got).toBeLessThanOrEqual(Math.max(...values));
      },
    ), { numRuns: 300 });
  });
});
