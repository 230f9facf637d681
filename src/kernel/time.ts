/**
 * Simulated time. Every instant and every duration inside Lorenz is an integer
 * count of microseconds (`SimTime`), so arithmetic on time is exact and the
 * same on every machine. Human units ("250ms", "5m") are parsed here and only
 * here.
 */
export type SimTime = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_S = 1_000_000;

/** Throws unless `t` is a safe integer: a fractional time would make order depend on rounding. */
export function assertSimTime(t: number, what = 'time'): SimTime {
  if (!Number.isSafeInteger(t)) throw new RangeError(`${what} must be a safe integer of microseconds, got ${t}`);
  return t;
}

export const us = (n: number): SimTime => Math.round(n);
export const ms = (n: number): SimTime => Math.round(n * MICROS_PER_MS);
export const s = (n: number): SimTime => Math.round(n * MICROS_PER_S);
export const minutes = (n: number): SimTime => Math.round(n * 60 * MICROS_PER_S);

const UNIT_MICROS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: MICROS_PER_MS,
  s: MICROS_PER_S,
  m: 60 * MICROS_PER_S,
  min: 60 * MICROS_PER_S,
  h: 3600 * MICROS_PER_S,
  d: 86_400 * MICROS_PER_S,
  // A year of 365 days: failure rates are quoted per year (an annualised failure rate), and a day count is exact.
  y: 365 * 86_400 * MICROS_PER_S,
};

const DURATION_RE = /^\s*(-?\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min|h|d|y)\s*$/;

/**
 * Parses "250ms", "30s", "5m", "1.5h", "2d", "10y" (365 days) into microseconds. Returns an error
 * string rather than throwing, so schema validation can report it in place.
 */
export function parseDuration(text: string): SimTime | string {
  const m = DURATION_RE.exec(text);
  if (!m) return `expected a duration such as "250ms", "30s", "5m" or "1h", got "${text}"`;
  const value = Number(m[1]) * UNIT_MICROS[m[2]!]!;
  if (value < 0) return `a duration cannot be negative, got "${text}"`;
  if (!Number.isSafeInteger(Math.round(value))) return `"${text}" is too long to count in microseconds`;
  return Math.round(value);
}

/** Shortest exact rendering in the largest unit that divides the value ("90s", "250ms"). */
export function formatDuration(t: SimTime): string {
  if (t === 0) return '0s';
  const units: Array<[string, number]> = [['h', 3600 * MICROS_PER_S], ['m', 60 * MICROS_PER_S], ['s', MICROS_PER_S], ['ms', MICROS_PER_MS]];
  for (const [name, size] of units) if (t % size === 0) return `${t / size}${name}`;
  return `${t}us`;
}

/** Seconds as a float, for reports only (never fed back into the simulation). */
export const toSeconds = (t: SimTime): number => t / MICROS_PER_S;
