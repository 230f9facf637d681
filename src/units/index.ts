/**
 * units/ — human units in scenario files, parsed in one place: durations
 * ("250ms", "5m"), sizes ("100MB", "2TB", "64KiB") and rates ("125MB/s",
 * "1Gbps"). Sizes are decimal (1 MB = 10^6 bytes) unless written with "iB".
 * A leaf module: zod and kernel/ only, usable by any layer above kernel.
 * delay.ts: drawn delays (a duration or a distribution) and their draw.
 */
import { z } from 'zod';
import { parseDuration, type SimTime } from '../kernel/time.js';

const SIZE_UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b)\s*$/i;
const RATE_RE = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt]?i?b)\/s|([kmg])bps)\s*$/i;

/** "100MB" -> 100000000. Returns an error string when malformed. */
export function parseSize(text: string): number | string {
  const m = SIZE_RE.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return `expected a size such as "100MB", "1GB" or "64KiB", got "${text}"`;
  return Math.round(Number(m[1]) * unit);
}

/** "125MB/s" or "1Gbps" -> bytes per second. Returns an error string when malformed. */
export function parseRate(text: string): number | string {
  const m = RATE_RE.exec(text);
  if (!m) return `expected a rate such as "125MB/s" or "1Gbps", got "${text}"`;
  if (m[2]) {
    const unit = SIZE_UNITS[m[2].toLowerCase()];
    if (unit === undefined) return `unknown size unit in "${text}"`;
    return Number(m[1]) * unit;
  }
  const bits = { k: 1e3, m: 1e6, g: 1e9 }[m[3]!.toLowerCase() as 'k' | 'm' | 'g'];
  return (Number(m[1]) * bits) / 8;
}

const MICROS_PER_DAY = 86_400_000_000;

/**
 * Longest duration a setting may have: 100 years. The clock is an integer
 * count of microseconds and must stay a safe integer (below 2^53 µs, about
 * 285 years) after a duration is added to a time: a horizon of 100 years plus
 * one step of up to 100 years still fits.
 */
export const MAX_DURATION: SimTime = 36_500 * MICROS_PER_DAY;
/** Largest size: 2^53 bytes (9 PB), the most a double counts exactly. */
export const MAX_SIZE = Number.MAX_SAFE_INTEGER;

interface UnitLimits {
  /** Largest value, and why, for the message. */
  max?: { value: number; text: string };
  /** Refuse 0, and why. */
  zero?: string;
}

function unitSchema(parse: (t: string) => number | string, what: string, bareUnit: string, example: string, integer: boolean, limits: UnitLimits = {}) {
  return z.union([z.string(), z.number()]).transform((v, ctx): number => {
    let value: number;
    if (typeof v === 'number') {
      if (v < 0 || !Number.isFinite(v)) {
        ctx.addIssue({ code: 'custom', message: `${what} cannot be negative or infinite, got ${v}` });
        return z.NEVER;
      }
      if (integer && !Number.isSafeInteger(v)) {
        ctx.addIssue({ code: 'custom', message: `a bare number is a count of ${bareUnit} and must be a whole number, got ${v}; write units instead, such as "${example}"` });
        return z.NEVER;
      }
      value = v;
    } else {
      const parsed = parse(v);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      value = parsed;
    }
    if (limits.max && !(value <= limits.max.value)) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is over ${limits.max.text}` });
      return z.NEVER;
    }
    if (limits.zero && value === 0) {
      ctx.addIssue({ code: 'custom', message: `must be above 0, got ${JSON.stringify(v)} (${limits.zero})` });
      return z.NEVER;
    }
    return value;
  });
}

/** A duration: "250ms", "30s", "5m", "1h"; a bare number means microseconds. At most MAX_DURATION (100 years). */
export const duration = unitSchema(parseDuration, 'a duration', 'microseconds', '1.5s', true, {
  max: { value: MAX_DURATION, text: '100 years, the longest duration a setting may have (the clock counts microseconds and must stay exact with room to add)' },
}) as unknown as z.ZodType<SimTime, string | number>;
/** A size in bytes: "100MB"; a bare number means bytes. At most MAX_SIZE. */
export const size = unitSchema(parseSize, 'a size', 'bytes', '1.5MB', true, {
  max: { value: MAX_SIZE, text: '9PB (2^53 bytes), the largest size counted exactly' },
}) as unknown as z.ZodType<number, string | number>;
/** A rate in bytes per second: "125MB/s", "1Gbps"; a bare number means bytes/s. Above 0: every rate divides a size into a time. */
export const rate = unitSchema(parseRate, 'a rate', 'bytes per second', '1.5MB/s', false, {
  zero: 'a rate divides: at 0 nothing moved at it would ever finish',
}) as unknown as z.ZodType<number, string | number>;

/** "100MB", "1.5GB", "512B": a size for messages (decimal units, 3 significant digits). */
export function formatSize(bytes: number): string {
  const units: Array<[string, number]> = [['PB', 1e15], ['TB', 1e12], ['GB', 1e9], ['MB', 1e6], ['kB', 1e3]];
  for (const [name, unit] of units) if (bytes >= unit) return `${+(bytes / unit).toPrecision(3)}${name}`;
  return `${+bytes.toPrecision(3)}B`;
}

/** "125MB/s": a rate for messages. */
export const formatRate = (bytesPerS: number): string => `${formatSize(bytesPerS)}/s`;

/** "3.2 years", "12 days", "5 h", "250 ms": a span of microseconds for messages, roughly. */
export function formatSpan(micros: number): string {
  if (!Number.isFinite(micros)) return 'for ever';
  const units: Array<[string, number]> = [['years', 365 * MICROS_PER_DAY], ['days', MICROS_PER_DAY], ['h', 3_600_000_000], ['min', 60_000_000], ['s', 1_000_000], ['ms', 1_000]];
  for (const [name, unit] of units) if (micros >= unit) return `${+(micros / unit).toPrecision(3)} ${name}`;
  return `${+micros.toPrecision(3)} us`;
}

/**
 * Longest one step of the simulation may take at nominal speed: 30 days. A
 * step is one timer a node sets (a timeout, an interval, a delay: a brownout
 * or a slow clock stretches it up to MAX_FACTOR times), one transfer of a
 * chunk at a configured rate, one processing task at the top of its jitter.
 * Times MAX_FACTOR it is 82 years, which after a horizon of up to 100 years
 * still fits the clock (2^53 µs, 285 years).
 */
export const MAX_STEP: SimTime = 30 * MICROS_PER_DAY;

const WAIT_WHY = '30 days, the longest one timer a node sets may wait (a brownout or a slow clock stretches it up to 1000 times; docs/scenarios.md, Limits)';
/** A duration a node waits on (a timeout, a delay): at most MAX_STEP. */
export const wait = duration.refine((d) => d <= MAX_STEP, { message: `is over ${WAIT_WHY}` });

/**
 * Shortest period of a timer that repeats on every node for the whole run
 * (heartbeats, probes, scrubs, client requests): 1 ms. A period of a
 * microsecond is a million events per simulated second per node, and a run
 * would never end; no system modelled here ticks faster than a millisecond.
 */
export const MIN_PERIOD: SimTime = 1_000;
const PERIOD_WHY = 'it repeats for the whole run: a shorter period is millions of events per simulated second, and the run would not end';

/** A duration that is a repeating period: at least MIN_PERIOD, at most MAX_STEP. */
export const period = wait.refine((d) => d >= MIN_PERIOD, { message: `must be at least 1ms (${PERIOD_WHY})` });
/** A period where 0 switches the thing off: 0 or at least MIN_PERIOD. */
export const periodOrOff = wait.refine((d) => d === 0 || d >= MIN_PERIOD, { message: `must be 0 (off) or at least 1ms (${PERIOD_WHY})` });

/**
 * Largest one-way latency a draw may give, and the largest extra delay a
 * fault adds to one message: 1 day. A latency over a day is not a network
 * (use a partition); the bound keeps a draw times a fault's factor (at most
 * MAX_FACTOR) far inside the clock.
 */
export const MAX_LATENCY: SimTime = MICROS_PER_DAY;
/** A duration used as a per-message latency or delay: at most MAX_LATENCY. */
export const latencyDuration = duration.refine((d) => d <= MAX_LATENCY, { message: 'is over 1 day, the longest delay one message may get (a longer one is a partition: use one)' });

/**
 * Largest factor a fault slows something by (brownout, latency_spike,
 * disk_slow, bandwidth_throttle as 1/factor, clock_skew's slowest clock):
 * 1000. A thousand times slower is stopped in all but name (use node_pause or
 * a partition); with MAX_STEP it keeps a slowed step under 100 years.
 */
export const MAX_FACTOR = 1000;

/**
 * The largest |z| the random generator's normal draw can give: Box-Muller
 * with a 53-bit uniform, sqrt(-2 ln 2^-53) = 8.57. A normal or lognormal
 * setting is bounded so that even this draw stays within its limit.
 */
export const Z_MAX = Math.sqrt(-2 * Math.log(2 ** -53));
