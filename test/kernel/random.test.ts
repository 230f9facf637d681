import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RandomStreams, Rng } from '../../src/kernel/random.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.float());

describe('RandomStreams', () => {
  it('same seed and name give the same values', () => {
    expect(draw(new RandomStreams(42).get('a'), 100)).toEqual(draw(new RandomStreams(42).get('a'), 100));
  });

  it('different seeds give different values', () => {
    const a = draw(new RandomStreams(1).get('a'), 20);
    const b = draw(new RandomStreams(2).get('a'), 20);
    expect(a).not.toEqual(b);
    // Not merely shifted or partly shared.
    expect(a.filter((v) => b.includes(v))).toEqual([]);
  });

  it('different names give different values', () => {
    const streams = new RandomStreams(7);
    const a = draw(streams.get('a'), 20);
    const b = draw(streams.get('b'), 20);
    expect(a.filter((v) => b.includes(v))).toEqual([]);
  });

  it("stream 'a' does not depend on whether 'b' exists, was drawn from, or was created first", () => {
    const alone = draw(new RandomStreams(99).get('a'), 200);

    const bFirst = new RandomStreams(99);
    draw(bFirst.get('b'), 500);
    expect(draw(bFirst.get('a'), 200)).toEqual(alone);

    const bAfter = new RandomStreams(99);
    const a = bAfter.get('a');
    const firstHalf = draw(a, 100);
    draw(bAfter.get('b'), 500);
    expect([...firstHalf, ...draw(a, 100)]).toEqual(alone);

    const interleaved = new RandomStreams(99);
    const ia = interleaved.get('a');
    const ib = interleaved.get('b');
    const got: number[] = [];
    for (let i = 0; i < 200; i++) {
      got.push(ia.float());
      ib.float();
      ib.exponential(3);
    }
    expect(got).toEqual(alone);
  });

  it('property: a stream depends only on (seed, name)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.nat({ max: 20 })), { maxLength: 6 }),
        (seed, name, others) => {
          const reference = draw(new RandomStreams(seed).get(name), 10);
          const streams = new RandomStreams(seed);
          for (const [other, n] of others) if (other !== name) draw(streams.get(other), n);
          expect(draw(streams.get(name), 10)).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('get returns the same object for the same name, so draws continue', () => {
    const streams = new RandomStreams(5);
    const a1 = streams.get('x');
    const a2 = streams.get('x');
    expect(a1).toBe(a2);
    const v1 = a1.float();
    const v2 = a2.float();
    expect([v1, v2]).toEqual(draw(new RandomStreams(5).get('x'), 2));
    expect(a1.name).toBe('x');
  });

  it('rejects a non-integer seed', () => {
    expect(() => new RandomStreams(1.5)).toThrow(RangeError);
    expect(() => new RandomStreams(Number.NaN)).toThrow(RangeError);
    expect(() => new RandomStreams(2 ** 53)).toThrow(RangeError);
  });
});

describe('Rng distributions', () => {
  it('float is in [0, 1) with a mean near 1/2', () => {
    const rng = new RandomStreams(1).get('float');
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = rng.float();
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
    }
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.01);
  });

  it('exponential has the requested mean (within 2% over 100k draws) and is non-negative', () => {
    for (const mean of [1, 250, 1e6]) {
      const rng = new RandomStreams(2024).get(`exp/${mean}`);
      let sum = 0;
      let min = Infinity;
      for (let i = 0; i < 100_000; i++) {
        const v = rng.exponential(mean);
        sum += v;
        if (v < min) min = v;
      }
      expect(min).toBeGreaterThanOrEqual(0);
      expect(Math.abs(sum / 100_000 / mean - 1)).toBeLessThan(0.02);
    }
  });

  it('int(lo, hi) covers both inclusive bounds and nothing outside', () => {
    const rng = new RandomStreams(3).get('int');
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const v = rng.int(-2, 3);
      expect(Number.isInteger(v)).toBe(true);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c / 10_000 - 1)).toBeLessThan(0.05);
    expect(rng.int(4, 4)).toBe(4);
  });

  it('uniform(lo, hi) stays in [lo, hi)', () => {
    const rng = new RandomStreams(4).get('u');
    for (let i = 0; i < 10_000; i++) {
      const v = rng.uniform(10, 20);
      expect(v >= 10 && v < 20).toBe(true);
    }
  });

  it('chance(0) is never true, chance(1) always, chance(0.3) about 30%', () => {
    const rng = new RandomStreams(5).get('c');
    let hits = 0;
    for (let i = 0; i < 50_000; i++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
      if (rng.chance(0.3)) hits++;
    }
    expect(Math.abs(hits / 50_000 - 0.3)).toBeLessThan(0.01);
  });

  it('normal has the requested mean and standard deviation', () => {
    const rng = new RandomStreams(6).get('n');
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.normal(10, 2);
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sq / n - mean * mean);
    expect(Math.abs(mean - 10)).toBeLessThan(0.05);
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
  });

  it('lognormal has the requested median', () => {
    const rng = new RandomStreams(8).get('ln');
    const vs = Array.from({ length: 20_001 }, () => rng.lognormal(50, 0.5)).sort((a, b) => a - b);
    expect(Math.abs(vs[10_000]! / 50 - 1)).toBeLessThan(0.03);
    expect(vs[0]!).toBeGreaterThan(0);
  });

  it('pick and shuffled', () => {
    const rng = new RandomStreams(9).get('p');
    const items = ['a', 'b', 'c', 'd'];
    const picked = new Set<string>();
    for (let i = 0; i < 1000; i++) picked.add(rng.pick(items));
    expect([...picked].sort()).toEqual(items);
    expect(() => rng.pick([])).toThrow(RangeError);
    const sh = rng.shuffled(items);
    expect(sh.slice().sort()).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd']); // the input is not mutated
    let moved = false;
    for (let i = 0; i < 20 && !moved; i++) moved = rng.shuffled(items).join() !== items.join();
    expect(moved).toBe(true);
  });
});
