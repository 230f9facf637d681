import { ScenarioError } from '../scenario/index.js';

/** An inclusive range of run seeds, `first..last`. */
export interface SeedRange {
  first: number;
  last: number;
}

/** One of `count` slices of a sweep's seeds (`--shard index/count`, index from 0 like a Kubernetes Indexed Job). */
export interface Shard {
  index: number;
  count: number;
}

const SEED = /^\d+$/;

/** Parses `--seeds A..B` (or a single seed `N`); anything else is a usage error naming the flag. */
export function parseSeedRange(text: string): SeedRange {
  const m = /^(\d+)\.\.(\d+)$/.exec(text) ?? (SEED.test(text) ? [text, text, text] : null);
  if (!m) throw new ScenarioError(`--seeds ${text}: expected a range of non-negative integer seeds such as 1..1000 (or one seed, such as 42).`);
  const [first, last] = [Number(m[1]), Number(m[2])];
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) throw new ScenarioError(`--seeds ${text}: seeds must be at most ${Number.MAX_SAFE_INTEGER}.`);
  if (first > last) throw new ScenarioError(`--seeds ${text}: the range is empty (${first} is after ${last}); write the smaller seed first, as ${last}..${first}.`);
  return { first, last };
}

/** Parses `--shard I/N` (0 <= I < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new ScenarioError(`--shard ${text}: expected INDEX/COUNT with the index counted from 0, such as 0/4 ... 3/4 (a Kubernetes Indexed Job passes $JOB_COMPLETION_INDEX).`);
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || !Number.isSafeInteger(count)) throw new ScenarioError(`--shard ${text}: the shard count must be at least 1.`);
  if (index >= count) throw new ScenarioError(`--shard ${text}: the shard index is out of range; with ${count} shards it runs from 0 to ${count - 1}.`);
  return { index, count };
}

export const seedCount = (r: SeedRange): number => r.last - r.first + 1;

/**
 * The seeds shard `index` of `count` runs: a contiguous slice, the slices
 * differing in size by at most one. Contiguous (not strided) so that each
 * shard is itself a seed range and names its folder; seeds cost alike, so
 * striding would not balance the load any better. Null when the slice is empty.
 */
export function shardRange(range: SeedRange, shard: Shard): SeedRange | null {
  const n = seedCount(range);
  const first = range.first + Math.floor((shard.index * n) / shard.count);
  const end = range.first + Math.floor(((shard.index + 1) * n) / shard.count);
  return end > first ? { first, last: end - 1 } : null;
}

export function* seedsOf(range: SeedRange | null): Generator<number> {
  if (range) for (let s = range.first; s <= range.last; s++) yield s;
}

/** Sorted seeds as compact text: `1..5, 9, 12..13` ('' for none). */
export function formatSeeds(seeds: Iterable<number>): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}..${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
