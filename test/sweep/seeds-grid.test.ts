import { describe, expect, it } from 'vitest';
import { combinations, formatSeeds, parseGridAxis, parseSeedRange, parseShard, seedsOf, shardRange } from '../../src/sweep/index.js';

describe('seed ranges and shards', () => {
  it('parses A..B and a single seed; refuses inverted, empty and non-numeric ranges naming --seeds', () => {
    expect(parseSeedRange('1..1000')).toEqual({ first: 1, last: 1000 });
    expect(parseSeedRange('42')).toEqual({ first: 42, last: 42 });
    expect(() => parseSeedRange('5..1')).toThrow(/^--seeds 5\.\.1: the range is empty/);
    for (const bad of ['x', '', '1..', '-1..3', '1.5..2']) expect(() => parseSeedRange(bad)).toThrow(/^--seeds /);
  });

  it('shards are contiguous, disjoint, cover the range and differ in size by at most one', () => {
    for (const [n, count] of [[10, 3], [1000, 7], [3, 5], [1, 1]] as const) {
      const range = { first: 11, last: 10 + n };
      const parts = Array.from({ length: count }, (_, index) => [...seedsOf(shardRange(range, { index, count }))]);
      expect(parts.flat()).toEqual([...seedsOf(range)]);
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('refuses a shard index out of range', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/^--shard 4\/4: the shard index is out of range; with 4 shards it runs from 0 to 3/);
    expect(() => parseShard('0/0')).toThrow(/^--shard 0\/0/);
    expect(() => parseShard('1-4')).toThrow(/^--shard 1-4/);
  });

  it('writes seed sets as ranges', () => {
    expect(formatSeeds([9, 1, 2, 3, 5, 4, 12, 13])).toBe('1..5, 9, 12..13');
    expect(formatSeeds([])).toBe('');
  });
});

describe('grids', () => {
  it('splits values as a YAML flow list, keeping each value\'s text', () => {
    expect(parseGridAxis('a.b=2,3')).toEqual({ key: 'a.b', values: ['2', '3'] });
    expect(parseGridAxis('k=[x, y],{p: 1, q: 2}, "c,d"').values).toEqual(['[x, y]', '{p: 1, q: 2}', '"c,d"']);
    expect(() => parseGridAxis('k=')).toThrow(/^--grid k=: no values/);
    expect(() => parseGridAxis('k=1,1')).toThrow(/given twice/);
    expect(() => parseGridAxis('=1')).toThrow(/^--grid =1: expected key\.path=/);
  });

  it('makes every combination, the first axis slowest', () => {
    const c = combinations([{ key: 'a', values: ['1', '2'] }, { key: 'b', values: ['x', 'y', 'z'] }]);
    expect(c.map((p) => p.set.join(' '))).toEqual(['a=1 b=x', 'a=1 b=y', 'a=1 b=z', 'a=2 b=x', 'a=2 b=y', 'a=2 b=z']);
    expect(combinations([])).toEqual([{ index: 0, values: [], set: [] }]);
  });
});
