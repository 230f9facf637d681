import { z } from 'zod';

/**
 * The `expect:` block: metric name -> comparison. A bare number or boolean
 * means equality; an object gives bounds (all must hold).
 */
export const comparisonSchema = z.union([
  z.number(),
  z.boolean(),
  z.strictObject({
    eq: z.number().optional(),
    ne: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
  }).refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'give at least one of eq, ne, lt, lte, gt, gte' }),
]);
export type Comparison = z.output<typeof comparisonSchema>;


export const expectSchema = z.record(z.string(), comparisonSchema);
