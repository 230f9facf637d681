import type { Comparison } from '../scenario/index.js';

/**
 * Expectations: assertions a scenario makes about its own summary metrics
 * (`expect:` block), judged against the run's named metrics.
 */
export interface ExpectationResult {
  metric: string;
  expected: string;
  actual: number | boolean | null;
  held: boolean;
}

/** A metric value; null when the run has no such measurement (e.g. the pipeline never completed). */
export type MetricValue = number | boolean | null;

export function describeComparison(c: Comparison): string {
  if (typeof c !== 'object') return `= ${c}`;
  const ops: Array<[keyof typeof c, string]> = [['eq', '='], ['ne', '!='], ['lt', '<'], ['lte', '<='], ['gt', '>'], ['gte', '>=']];
  return ops.filter(([k]) => c[k] !== undefined).map(([k, sym]) => `${sym} ${c[k]}`).join(' and ');
}

export function holds(c: Comparison, actual: MetricValue): boolean {
  if (actual === null) return false;
  if (typeof c !== 'object') return actual === c;
  if (typeof actual !== 'number') return false;
  return (c.eq === undefined || actual === c.eq) && (c.ne === undefined || actual !== c.ne) &&
    (c.lt === undefined || actual < c.lt) && (c.lte === undefined || actual <= c.lte) &&
    (c.gt === undefined || actual > c.gt) && (c.gte === undefined || actual >= c.gte);
}

export function evaluateExpectations(expect: Readonly<Record<string, Comparison>>, metrics: ReadonlyMap<string, MetricValue>): ExpectationResult[] {
  return Object.entries(expect).map(([metric, c]) => {
    const actual = metrics.get(metric) ?? null;
    return { metric, expected: describeComparison(c), actual, held: holds(c, actual) };
  });
}
