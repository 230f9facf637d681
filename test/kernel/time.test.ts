import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assertSimTime,
  formatDuration,
  MICROS_PER_MS,
  MICROS_PER_S,
  minutes,
  ms,
  parseDuration,
  s,
  toSeconds,
  us,
} from '../../src/kernel/time.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250_000],
    ['30s', 30_000_000],
    ['5m', 300_000_000],
    ['5min', 300_000_000],
    ['1.5h', 5_400_000_000],
    ['1h', 3_600_000_000],
    ['0s', 0],
    ['1us', 1],
    ['750µs', 750],
    ['0.5ms', 500],
    ['2.25s', 2_250_000],
    [' 250 ms ', 250_000],
    ['2d', 172_800_000_000],
    ['1.5d', 129_600_000_000],
    ['1y', 31_536_000_000_000],
    ['10y', 315_360_000_000_000],
  ])('%j -> %d µs', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it('returns integers of microseconds (rounding away sub-microsecond residue)', () => {
    // 0.1 * 1e6 is 100000.00000000001 in floating point.
    expect(parseDuration('0.1s')).toBe(100_000);
    expect(Number.isSafeInteger(parseDuration('0.1s'))).toBe(true);
    expect(Number.isSafeInteger(parseDuration('1.7h'))).toBe(true);
  });

  it.each(['', '5', 'abc', 'ms', '5 parsecs', '1e3s', '.5s', '5ss', '5 s s', 's5', '5D', '5Y', '5yr', '5S', '+5s', '1,5s'])(
    'rejects %j with an error string',
    (text) => {
      const r = parseDuration(text);
      expect(typeof r).toBe('string');
      expect(r as string).toContain(text);
    },
  );

  // Regression: parseDuration promises SimTime (a safe integer of µs, see
  // assertSimTime) or an error string for schema validation; an overflowing value
  // used to be returned as an unsafe number and only blew up later in the kernel.
  it('rejects a duration too large to be a safe integer of microseconds (regression)', () => {
    const r = parseDuration('99999999999h'); // 3.6e20 µs > 2^53
    expect(typeof r === 'string' || Number.isSafeInteger(r)).toBe(true);
  });

  it.each(['-5s', '-1ms', '-0.5h'])('rejects the negative duration %j', (text) => {
    const r = parseDuration(text);
    expect(typeof r).toBe('string');
    expect(r as string).toMatch(/negative/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1us'],
    [1_500, '1500us'],
    [250_000, '250ms'],
    [1_000_000, '1s'],
    [90_000_000, '90s'],
    [300_000_000, '5m'],
    [5_400_000_000, '90m'],
    [3_600_000_000, '1h'],
    [7_200_000_000, '2h'],
    [3_601_000_000, '3601s'],
  ])('%d µs -> %j', (t, text) => {
    expect(formatDuration(t)).toBe(text);
  });

  it('round trips through parseDuration for any non-negative integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (t) => {
        expect(parseDuration(formatDuration(t))).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('round trips for values made of whole units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(1, MICROS_PER_MS, MICROS_PER_S, 60 * MICROS_PER_S, 3600 * MICROS_PER_S),
        (n, unit) => {
          const t = n * unit;
          expect(parseDuration(formatDuration(t))).toBe(t);
        },
      ),
    );
  });

  it('re-formats a parsed canonical string to itself', () => {
    for (const text of ['250ms', '30s', '5m', '1h', '1500us', '90m']) {
      expect(formatDuration(parseDuration(text) as number)).toBe(text);
    }
  });
});

describe('unit helpers', () => {
  it('convert to integer microseconds', () => {
    expect(us(3.4)).toBe(3);
    expect(ms(250)).toBe(250_000);
    expect(ms(0.0015)).toBe(2);
    expect(s(1.5)).toBe(1_500_000);
    expect(minutes(5)).toBe(300_000_000);
    expect(toSeconds(2_500_000)).toBe(2.5);
  });

  it('assertSimTime accepts safe integers and rejects the rest', () => {
    expect(assertSimTime(42)).toBe(42);
    expect(() => assertSimTime(1.5)).toThrow(RangeError);
    expect(() => assertSimTime(Number.NaN)).toThrow(RangeError);
    expect(() => assertSimTime(Infinity)).toThrow(RangeError);
    expect(() => assertSimTime(2 ** 53)).toThrow(RangeError);
  });
});
