import { describe, expect, it } from 'vitest';
import { nearestRank, sampleStd, tInterval, wilson } from '../../src/sweep/index.js';

describe('sweep statistics', () => {
  it('Wilson 95 % interval: textbook values, exact at 0 and n', () => {
    // 0 of 20: upper bound z^2 / (n + z^2) = 3.8415 / 23.8415.
    expect(wilson(0, 20)).toEqual({ low: 0, high: expect.closeTo(0.161125, 6) });
    expect(wilson(20, 20)!.high).toBe(1);
    const w = wilson(10, 20)!;
    expect(w.low).toBeCloseTo(0.299298, 5);
    expect(w.high).toBeCloseTo(0.700702, 5);
    expect(wilson(0, 0)).toBeNull();
  });

  it('Student-t interval of the mean with n - 1 degrees of freedom', () => {
    const xs = [1, 2, 3, 4, 5];
    expect(sampleStd(xs)).toBeCloseTo(Math.sqrt(2.5), 12);
    const half = 2.7764451051977987 * (Math.sqrt(2.5) / Math.sqrt(5)); // t(0.975, 4)
    expect(tInterval(xs)!.low).toBeCloseTo(3 - half, 7); // jstat's t quantile is good to about 1e-8
    expect(tInterval(xs)!.high).toBeCloseTo(3 + half, 7);
    expect(tInterval([7])).toBeNull();
  });

  it('nearest-rank quantiles', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(sorted, 0.5)).toBe(50);
    expect(nearestRank(sorted, 0.9)).toBe(90);
    expect(nearestRank(sorted, 0.99)).toBe(100);
    expect(nearestRank(sorted, 0)).toBe(10);
  });
});
