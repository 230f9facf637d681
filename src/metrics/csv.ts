import { stringify } from 'csv-stringify/sync';

/** Rows rendered at a time: a big table (detector.csv of 1,000 nodes for a day has some 700,000 rows) is never all cells at once. */
const BATCH = 4096;

/**
 * Renders rows under a header. Numbers must already be formatted by the
 * caller, so output never depends on locale. `rows` may be a generator: rows
 * are turned into text a batch at a time (every record ends with its own
 * newline, so the batches join into exactly what one call would give).
 */
export function toCsv(header: readonly string[], rows: Iterable<ReadonlyArray<string | number>>): string {
  const parts = [stringify([header as string[]], { record_delimiter: 'unix' })];
  let batch: string[][] = [];
  for (const r of rows) {
    batch.push(r.map(String));
    if (batch.length < BATCH) continue;
    parts.push(stringify(batch, { record_delimiter: 'unix' }));
    batch = [];
  }
  if (batch.length > 0) parts.push(stringify(batch, { record_delimiter: 'unix' }));
  return parts.join('');
}

/** Microseconds as seconds, exact (SimTime is an integer, so this has at most 6 decimals). */
export const seconds = (us: number): string => String(us / 1_000_000);
/** A ratio or rate with three decimals. */
export const fixed3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '');
