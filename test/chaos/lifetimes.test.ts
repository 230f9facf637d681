import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawLifetime, lifetimeSchema, lnGamma, meanLifetime, YEAR, type LifetimeSpec } from '../../src/chaos/index.js';
import { RandomStreams } from '../../src/kernel/index.js';
import { MAX_DURATION } from '../../src/units/index.js';

const lifetime = (raw: unknown): LifetimeSpec => lifetimeSchema.parse(raw);
const draws = (spec: LifetimeSpec, n: number, seed = 1): number[] => {
  const rng = new RandomStreams(seed).get('test');
  return Array.from({ length: n }, () => drawLifetime(rng, spec));
};
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Within `z` standard errors of a share p measured over n trials. */
const nearShare = (measured: number, p: number, n: number, z = 4): void => expect(Math.abs(measured - p)).toBeLessThan(z * Math.sqrt((p * (1 - p)) / n));

describe('lifetimes', () => {
  it('lnGamma: Γ(5) = 24, Γ(1/2) = √π, Γ(1) = 1', () => {
    expect(Math.exp(lnGamma(5))).toBeCloseTo(24, 10);
    expect(Math.exp(lnGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(Math.exp(lnGamma(1 + 1 / 2))).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
  });

  it('exponential by AFR: mean life a year / AFR; the share failing within a year is 1 - e^(-AFR)', () => {
    const spec = lifetime({ dist: 'exponential', afr: '20%' });
    expect(meanLifetime(spec)).toBe(5 * YEAR);
    const xs = draws(spec, 20_000);
    // The mean of n exponential draws has a standard error of mean / sqrt(n).
    expect(Math.abs(mean(xs) / (5 * YEAR) - 1)).toBeLessThan(4 / Math.sqrt(xs.length));
    nearShare(xs.filter((x) => x <= YEAR).length / xs.length, 1 - Math.exp(-0.2), xs.length);
  });

  it('exponential by mean: the same law as by the equivalent AFR', () => {
    expect(draws(lifetime({ dist: 'exponential', mean: '5y' }), 100)).toEqual(draws(lifetime({ dist: 'exponential', afr: 0.2 }), 100));
  });

  it('weibull: 63.2 % fail by the scale; the mean is scale x Γ(1 + 1/k)', () => {
    for (const shape of [0.7, 1, 2.5]) {
      const spec = lifetime({ dist: 'weibull', shape, scale: '4y' });
      const xs = draws(spec, 20_000, 3);
      nearShare(xs.filter((x) => x <= 4 * YEAR).length / xs.length, 1 - Math.exp(-1), xs.length);
      // By the CDF at the mean: F(mean) = 1 - exp(-(Γ(1 + 1/k))^k).
      const m = meanLifetime(spec);
      expect(m).toBeCloseTo(4 * YEAR * Math.exp(lnGamma(1 + 1 / shape)), -3);
      nearShare(xs.filter((x) => x <= m).length / xs.length, 1 - Math.exp(-Math.pow(m / (4 * YEAR), shape)), xs.length);
    }
  });

  it('bathtub: each phase fails at its own hazard', () => {
    const spec = lifetime({ dist: 'bathtub', phases: [{ until: '90d', afr: '40%' }, { until: '5y', afr: '2%' }, { afr: '30%' }] });
    const xs = draws(spec, 40_000, 5);
    const early = (90 / 365) * 0.4;
    nearShare(xs.filter((x) => x <= 90 * 86_400e6).length / xs.length, 1 - Math.exp(-early), xs.length);
    // Surviving to 5 years: the first two phases' hazards, summed.
    const toFive = early + (5 - 90 / 365) * 0.02;
    nearShare(xs.filter((x) => x > 5 * YEAR).length / xs.length, Math.exp(-toFive), xs.length);
    expect(Math.abs(mean(xs) / meanLifetime(spec) - 1)).toBeLessThan(0.03);
  });

  it('every draw is whole microseconds, at least 1 and at most 100 years; one uniform draw a lifetime whatever the form', () => {
    const specs = fc.oneof(
      fc.double({ min: 1e-4, max: 1000, noNaN: true }).map((afr) => lifetime({ dist: 'exponential', afr })),
      fc.record({ shape: fc.double({ min: 0.05, max: 20, noNaN: true }), scale: fc.integer({ min: 1, max: MAX_DURATION }) }).map((w) => lifetime({ dist: 'weibull', ...w })),
      fc.double({ min: 1e-4, max: 1000, noNaN: true }).map((afr) => lifetime({ dist: 'bathtub', phases: [{ until: '1d', afr: 1 }, { afr }] })),
    );
    fc.assert(fc.property(specs, fc.integer({ min: 0, max: 1000 }), (spec, seed) => {
      const rng = new RandomStreams(seed).get('x');
      const t = drawLifetime(rng, spec);
      expect(Number.isSafeInteger(t) && t >= 1 && t <= MAX_DURATION).toBe(true);
      const twin = new RandomStreams(seed).get('x');
      twin.float();
      expect(rng.float()).toBe(twin.float());
    }), { numRuns: 300 });
  });

  it('refuses what does not define a lifetime', () => {
    const error = (raw: unknown) => lifetimeSchema.safeParse(raw).error?.issues[0]?.message;
    expect(error({ dist: 'exponential', afr: '2%', mean: '50y' })).toMatch(/give one of "afr"/);
    expect(error({ dist: 'exponential' })).toMatch(/give one of "afr"/);
    expect(error({ dist: 'exponential', afr: 'two percent' })).toMatch(/a percentage such as "2%"/);
    expect(error({ dist: 'exponential', afr: 0 })).toMatch(/above 0/);
    expect(error({ dist: 'weibull', shape: 0, scale: '1y' })).toBeDefined();
    expect(error({ dist: 'bathtub', phases: [{ until: '1y', afr: '1%' }] })).toMatch(/the last has none/);
    expect(error({ dist: 'bathtub', phases: [{ until: '1y', afr: '1%' }, { until: '90d', afr: '1%' }, { afr: '1%' }] })).toMatch(/end later/);
  });
});
