import { z } from 'zod';
import type { Rng } from '../kernel/random.js';
import type { SimTime } from '../kernel/time.js';
import { duration, MAX_DURATION } from './index.js';

/**
 * How long something takes that is drawn rather than modelled (a crashed
 * node down, a replacement on its way, a repair in the Markov sense): a
 * fixed duration or a distribution. Draws are whole microseconds, capped at
 * 100 years.
 */
export const delaySchema = z.union([
  duration,
  z.discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('constant'), value: duration }),
    z.strictObject({ dist: z.literal('exponential'), mean: duration }),
    z.strictObject({ dist: z.literal('lognormal'), median: duration, sigma: z.number().nonnegative().max(5) }),
    z.strictObject({ dist: z.literal('uniform'), min: duration, max: duration }).refine((d) => d.min <= d.max, { message: '"min" must not exceed "max"' }),
  ]),
]);
export type DelaySpec = z.output<typeof delaySchema>;

/** One draw of a delay; a fixed one draws nothing, so its stream is not advanced. */
export function drawDelay(rng: Rng, spec: DelaySpec): SimTime {
  if (typeof spec === 'number') return spec;
  let t: number;
  switch (spec.dist) {
    case 'constant':
      return spec.value;
    case 'exponential':
      t = rng.exponential(spec.mean);
      break;
    case 'lognormal':
      t = rng.lognormal(spec.median, spec.sigma);
      break;
    case 'uniform':
      t = rng.uniform(spec.min, spec.max);
      break;
  }
  return Math.min(MAX_DURATION, Math.round(t));
}

/** The mean of a delay, µs. */
export const meanDelay = (spec: DelaySpec): number => (typeof spec === 'number' ? spec : spec.dist === 'constant' ? spec.value : spec.dist === 'exponential' ? spec.mean : spec.dist === 'uniform' ? (spec.min + spec.max) / 2 : spec.median * Math.exp((spec.sigma * spec.sigma) / 2));
