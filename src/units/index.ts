/**
 * units/ — human units in scenario files, parsed in one place: durations
 * ("250ms", "5m"), sizes ("100MB", "2TB", "64KiB") and rates ("125MB/s",
 * "1Gbps"). Sizes are decimal (1 MB = 10^6 bytes) unless written with "iB".
 * A leaf module: zod and kernel/time only, usable by any layer above kernel.
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

function unitSchema(parse: (t: string) => number | string, what: string, bareUnit: string, example: string, integer: boolean) {
  return z.union([z.string(), z.number()]).transform((v, ctx): number => {
    if (typeof v === 'number') {
      if (v < 0 || !Number.isFinite(v)) {
        ctx.addIssue({ code: 'custom', message: `${what} cannot be negative, got ${v}` });
        return z.NEVER;
      }
      if (integer && !Number.isSafeInteger(v)) {
        ctx.addIssue({ code: 'custom', message: `a bare number is a count of ${bareUnit} and must be a whole number, got ${v}; write units instead, such as "${example}"` });
        return z.NEVER;
      }
      return v;
    }
    const parsed = parse(v);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });
}

/** A duration: "250ms", "30s", "5m", "1h"; a bare number means microseconds. */
export const duration = unitSchema(parseDuration, 'a duration', 'microseconds', '1.5s', true) as unknown as z.ZodType<SimTime, string | number>;
/** A size in bytes: "100MB"; a bare number means bytes. */
export const size = unitSchema(parseSize, 'a size', 'bytes', '1.5MB', true) as unknown as z.ZodType<number, string | number>;
/** A rate in bytes per second: "125MB/s", "1Gbps"; a bare number means bytes/s. */
export const rate = unitSchema(parseRate, 'a rate', 'bytes per second', '1.5MB/s', false) as unknown as z.ZodType<number, string | number>;
