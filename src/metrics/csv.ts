import { stringify } from 'csv-stringify/sync';

/** Renders rows under a header. Numbers must already be formatted by the caller, so output never depends on locale. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify([header as string[], ...rows.map((r) => r.map(String))], { record_delimiter: 'unix' });
}

/** Microseconds as seconds, exact (SimTime is an integer, so this has at most 6 decimals). */
export const seconds = (us: number): string => String(us / 1_000_000);
/** A ratio or rate with three decimals. */
export const fixed3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '');
