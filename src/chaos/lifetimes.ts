import { z } from 'zod';
import type { Rng, SimTime } from '../kernel/index.js';
import { duration, MAX_DURATION } from '../units/index.js';

/** A simulated year, as the `y` unit counts it: 365 days. */
export const YEAR: SimTime = 365 * 86_400_000_000;

/** A fraction written as a number (0.02) or a percentage ("2%"). */
export const percent = z.union([z.number(), z.string()]).transform((v, ctx): number => {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  const value = typeof v === 'number' ? v : m ? Number(m[1]) / 100 : NaN;
  if (Number.isFinite(value) && value >= 0) return value;
  ctx.addIssue({ code: 'custom', message: `expected a fraction such as 0.02 or a percentage such as "2%", got ${JSON.stringify(v)}` });
  return z.NEVER;
}) as unknown as z.ZodType<number, number | string>;

/**
 * An annualised failure rate: failures per unit-year (Backblaze's AFR, failures
 * ÷ drive-years), so the mean lifetime is a year ÷ AFR. (The probability of
 * failing within a year is then 1 − e^(−AFR): 1.98 % for an AFR of 2 %.)
 */
const afr = percent.refine((v) => v > 0 && v <= 1000, { message: 'must be above 0 and at most 1000 (100,000 %, a mean lifetime of under 9 hours)' });

/**
 * How long a machine or a disk lives: its age at failure, drawn anew for
 * every new life (a renewal process).
 * - `exponential`: a constant hazard, given as an AFR or a mean (MTTF);
 * - `weibull`: hazard rising (shape > 1, wear-out) or falling (shape < 1,
 *   infant mortality) with age; `scale` is the age by which 63.2 % have failed;
 * - `bathtub`: a hazard constant within each phase of life (an AFR per phase,
 *   the last phase open-ended), so measured curves (high in the first months,
 *   low for years, rising again) can be written down as they are published.
 */
export const lifetimeSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('exponential'), afr: afr.optional(), mean: duration.optional() })
    .refine((l) => (l.afr === undefined) !== (l.mean === undefined), { message: 'give one of "afr" (failures per year, "2%") or "mean" (a duration, "50y")' })
    .refine((l) => l.mean === undefined || l.mean > 0, { message: '"mean" must be positive', path: ['mean'] }),
  z.strictObject({ dist: z.literal('weibull'), shape: z.number().min(0.05).max(20), scale: duration.refine((d) => d > 0, { message: 'must be positive' }) }),
  z.strictObject({
    dist: z.literal('bathtub'),
    phases: z.array(z.strictObject({ until: duration.optional(), afr })).min(1)
      .refine((ps) => ps.every((p, i) => (p.until === undefined) === (i === ps.length - 1)), { message: 'every phase but the last needs "until" (the age it ends at); the last has none (it lasts the rest of the life)' })
      .refine((ps) => ps.every((p, i) => i === 0 || p.until === undefined || p.until > ps[i - 1]!.until!), { message: 'each phase must end later than the one before' }),
  }),
]);
export type LifetimeSpec = z.output<typeof lifetimeSchema>;

/** Failures per microsecond of a constant hazard given as an AFR or a mean. */
const hazardOf = (afrValue: number): number => afrValue / YEAR;

/**
 * One lifetime in whole microseconds (at least 1, at most 100 years), by
 * inversion of the cumulative hazard: one uniform draw per lifetime whatever
 * the distribution, so a stream's later draws do not depend on the form.
 */
export function drawLifetime(rng: Rng, spec: LifetimeSpec): SimTime {
  // A unit-mean exponential: the cumulative hazard the life ends at.
  const e = -Math.log(1 - rng.float());
  let t: number;
  switch (spec.dist) {
    case 'exponential':
      t = e * (spec.mean ?? 1 / hazardOf(spec.afr!));
      break;
    case 'weibull':
      // H(t) = (t / scale)^shape, so t = scale · e^(1/shape) (as exp and log: the same bits on every Node version).
      t = e === 0 ? 0 : spec.scale * Math.exp(Math.log(e) / spec.shape);
      break;
    case 'bathtub': {
      let from = 0;
      let left = e;
      t = NaN;
      for (const phase of spec.phases) {
        const h = hazardOf(phase.afr);
        const span = phase.until === undefined ? Infinity : phase.until - from;
        if (left <= h * span) {
          t = from + left / h;
          break;
        }
        left -= h * span;
        from = phase.until!;
      }
      break;
    }
  }
  return Math.min(MAX_DURATION, Math.max(1, Math.round(t)));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 digits); for mean lifetimes and the validation tests. */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The mean lifetime, µs (not rounded): MTTF. */
export function meanLifetime(spec: LifetimeSpec): number {
  switch (spec.dist) {
    case 'exponential':
      return spec.mean ?? 1 / hazardOf(spec.afr!);
    case 'weibull':
      return spec.scale * Math.exp(lnGamma(1 + 1 / spec.shape));
    case 'bathtub': {
      // ∫ S(t) dt phase by phase, S falling exponentially within each.
      let from = 0;
      let survive = 1;
      let mean = 0;
      for (const phase of spec.phases) {
        const h = hazardOf(phase.afr);
        const span = phase.until === undefined ? Infinity : phase.until - from;
        const fall = Math.exp(-h * span);
        mean += (survive * (1 - fall)) / h;
        survive *= fall;
        if (phase.until !== undefined) from = phase.until;
      }
      return mean;
    }
  }
}
