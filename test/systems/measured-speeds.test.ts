import { describe, expect, it } from 'vitest';
import { MeasuredSpeeds, PROBATION } from '../../src/systems/pipeline/measured-speeds.js';

/** Three members measured at 100 MB/s, then member 2 as `rate`. */
function speedsWith(now: { t: number }, flagged: number[]): MeasuredSpeeds {
  const s = new MeasuredSpeeds(4, () => now.t, (m) => flagged.push(m));
  for (const m of [0, 1, 3]) s.record(m, 100e6, 1e6);
  return s;
}

describe('MeasuredSpeeds (the dynamic balancer)', () => {
  it('flags a member under half the median, and tells once', () => {
    const now = { t: 0 };
    const flagged: number[] = [];
    const s = speedsWith(now, flagged);
    s.record(2, 100e6, 5e6); // 20 MB/s
    expect(s.slow(2)).toBe(true);
    expect(s.slow(0)).toBe(false);
    expect(s.relative(2)).toBeCloseTo(0.2);
    s.record(2, 100e6, 5e6);
    expect(flagged).toEqual([2]);
    expect(s.flags).toBe(1);
  });

  it('keeps the flag between half and 0.8 of the median (hysteresis), drops it above', () => {
    const now = { t: 0 };
    const s = speedsWith(now, []);
    s.record(2, 100e6, 5e6); // 20 MB/s: flagged
    s.record(2, 100e6, 1e6 / 0.9); // running rate (20 + 90) / 2 = 55 MB/s: between the bounds
    expect(s.slow(2)).toBe(true);
    s.record(2, 100e6, 1e6); // (55 + 100) / 2 = 77.5 MB/s: still under 0.8
    expect(s.slow(2)).toBe(true);
    s.record(2, 100e6, 1e6); // 88.75 MB/s
    expect(s.slow(2)).toBe(false);
  });

  it('forgets a flagged member after the probation, so fresh work measures it again', () => {
    const now = { t: 0 };
    const s = speedsWith(now, []);
    s.record(2, 100e6, 5e6);
    now.t = PROBATION - 1;
    expect(s.slow(2)).toBe(true);
    now.t = PROBATION;
    expect(s.slow(2)).toBe(false);
    expect(s.rateOf(2)).toBe(0);
    expect(s.relative(2)).toBe(1);
  });

  it('treats unmeasured members as typical, and flags nobody with nothing to compare', () => {
    const s = new MeasuredSpeeds(2, () => 0);
    expect(s.relative(0)).toBe(1);
    s.record(0, 1, 1e9);
    expect(s.slow(0)).toBe(false);
  });
});
