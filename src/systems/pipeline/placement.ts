import type { Rng } from '../../kernel/index.js';
import type { ClusterConfig, MemberInfo } from '../cluster.js';
import type { PlacementOptions } from './options.js';
import { FailureDomains, domainOf, type DomainLevel } from './spread.js';

/** What a placement decision may consult: the configuration and the placer's own bookkeeping. */
export interface PlacementContext {
  cluster: ClusterConfig;
  /** Candidates: members believed healthy, excluding the source, in configuration order. */
  candidates: readonly MemberInfo[];
  /** Bytes this placer has assigned to each member so far (its own view of disk load). */
  placedBytes: ArrayLike<number>;
  /** The chunk being placed (consistent hashing places by it). */
  chunk: number;
  /** Members that already hold (or are writing) a replica of the chunk: a failure-domain constraint counts them. */
  holders?: readonly number[];
}

export interface PlacementStrategy {
  /** Up to `count` distinct targets for a replica sent from `source`, best first. */
  select(source: number, count: number, ctx: PlacementContext): number[];
  /** The strategy reads `holders` (callers build the array only when something reads it). */
  readonly wantsHolders?: boolean;
}

const load = (m: MemberInfo, ctx: PlacementContext): number => ctx.placedBytes[m.index]! / m.diskCapacityBytes;

/**
 * Document 000's network-aware placement: stay in the source's cloud when it
 * has enough nodes and is not loaded above the threshold; otherwise put
 * floor(n * threshold) replicas in the source's cloud and the rest in other
 * clouds. Within each group, nearer nodes first, then the least loaded.
 */
export class NetworkAwarePlacement implements PlacementStrategy {
  constructor(private readonly opts: PlacementOptions) {}

  select(source: number, count: number, ctx: PlacementContext): number[] {
    const home = ctx.cluster.members[source]!.cloud;
    const byNearness = (a: MemberInfo, b: MemberInfo): number =>
      ctx.cluster.nominalLatency(source, a.index) - ctx.cluster.nominalLatency(source, b.index) ||
      load(a, ctx) - load(b, ctx) ||
      a.index - b.index;
    // Only the best `count` of each group can ever be picked (below, and by
    // fillFrom), so keep those instead of sorting every candidate per chunk.
    const same = new BestFew<MemberInfo>(count, byNearness);
    const other = new BestFew<MemberInfo>(count, byNearness);
    let sameLoad = 0;
    for (const m of ctx.candidates) {
      if (m.cloud === home) {
        same.offer(m);
        sameLoad += load(m, ctx);
      } else other.offer(m);
    }
    const cloudLoad = same.seen === 0 ? 1 : sameLoad / same.seen;
    if (this.opts.preferSameCloud && same.seen >= count && cloudLoad <= this.opts.crossCloudThreshold) {
      return same.best.map((m) => m.index);
    }
    const sameCount = Math.min(same.seen, Math.floor(count * this.opts.crossCloudThreshold));
    const picked = [...same.best.slice(0, sameCount), ...other.best.slice(0, count - sameCount)];
    return fillFrom(picked.map((m) => m.index), [...same.best, ...other.best], count);
  }
}

/** Rotates through the candidates, so consecutive chunks land on consecutive nodes. */
export class RoundRobinPlacement implements PlacementStrategy {
  private cursor = 0;

  select(_source: number, count: number, ctx: PlacementContext): number[] {
    const n = ctx.candidates.length;
    const picked: number[] = [];
    for (let i = 0; i < Math.min(count, n); i++) picked.push(ctx.candidates[(this.cursor + i) % n]!.index);
    this.cursor = n === 0 ? 0 : (this.cursor + count) % n;
    return picked;
  }
}

/** The least-loaded candidates by the placer's own byte counts, ties by configuration order. */
export class LoadBalancedPlacement implements PlacementStrategy {
  select(_source: number, count: number, ctx: PlacementContext): number[] {
    const best = new BestFew<MemberInfo>(count, (a, b) => load(a, ctx) - load(b, ctx) || a.index - b.index);
    for (const m of ctx.candidates) best.offer(m);
    return best.best.map((m) => m.index);
  }
}

/** FNV-1a over a string: a stable hash for ring positions. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche so that nearby names spread over the ring.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

const VIRTUAL_NODES = 64;

/**
 * Document 002's consistent hashing over `shards` shards (256 by default): a
 * chunk belongs to shard hash(chunk) mod shards; the shard's replicas go to
 * the first distinct candidates clockwise from the shard's point on a ring
 * where every member has 64 virtual points. Losing a node moves only the
 * shards it held. Fewer shards, fewer distinct replica sets: the trade-off
 * durability studies measure (a shard is a copyset).
 */
export class ConsistentHashPlacement implements PlacementStrategy {
  private ring: Array<{ point: number; member: number }> | undefined;

  constructor(private readonly shards: number) {}

  select(_source: number, count: number, ctx: PlacementContext): number[] {
    const ring = (this.ring ??= ctx.cluster.members
      .flatMap((m) => Array.from({ length: VIRTUAL_NODES }, (_, v) => ({ point: hash32(`${m.name}#${v}`), member: m.index })))
      .sort((a, b) => a.point - b.point || a.member - b.member));
    const allowed = new Set(ctx.candidates.map((m) => m.index));
    const shard = hash32(`chunk-${ctx.chunk}`) % this.shards;
    const start = hash32(`shard-${shard}`);
    // The first ring point at or after the shard's (a binary search: the ring has 64 points per member).
    let lo = 0;
    let hi = ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ring[mid]!.point < start) lo = mid + 1;
      else hi = mid;
    }
    const i = lo === ring.length ? 0 : lo;
    const picked: number[] = [];
    for (let step = 0; step < ring.length && picked.length < count; step++) {
      const { member } = ring[(i + step) % ring.length]!;
      if (allowed.has(member) && !picked.includes(member)) picked.push(member);
    }
    return picked;
  }
}

/** Up to `count` distinct candidates drawn uniformly (rejection while few are taken, a partial shuffle otherwise). */
function drawDistinct(rng: Rng, candidates: readonly MemberInfo[], count: number): number[] {
  const n = candidates.length;
  if (count * 2 <= n) {
    const picked: number[] = [];
    while (picked.length < count) {
      const m = candidates[Math.floor(rng.float() * n)]!.index;
      if (!picked.includes(m)) picked.push(m);
    }
    return picked;
  }
  const pool = candidates.map((m) => m.index);
  const k = Math.min(count, n);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.float() * (n - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, k);
}

/**
 * Replicas on distinct candidates drawn uniformly at random, from the
 * placer's own stream: the placement of the textbook durability models
 * (every replica set equally likely), where any k failed nodes hold some
 * chunk's every replica soonest.
 */
export class RandomPlacement implements PlacementStrategy {
  constructor(private readonly rng: Rng) {}

  select(_source: number, count: number, ctx: PlacementContext): number[] {
    return drawDistinct(this.rng, ctx.candidates, count);
  }
}

/**
 * Copysets (Cidon et al., "Copysets: Reducing the Frequency of Data Loss in
 * Cloud Storage", USENIX ATC 2013): the members are cut into groups of
 * `replicationFactor` (copysets) by ceil(scatterWidth / (R - 1)) permutations,
 * and a chunk's replicas all go to one copyset, drawn uniformly among those
 * whose every member is a candidate. With scatter width R - 1 the groups are
 * disjoint: the fewest replica sets, so the rarest loss when k nodes fail at
 * once (and the most data lost when it happens). A top-up (repair, a retry)
 * completes a copyset that holds the chunk's replicas; when none can, it falls
 * back to random candidates (scatter grows after failures, as in the paper).
 * The permutations are a hash of the member names (as the hash ring is): the
 * same copysets in every run and after a restart, for distribution and repair
 * alike. Members that join later are in no copyset (fallback only).
 */
export class CopysetPlacement implements PlacementStrategy {
  readonly wantsHolders = true;
  private copysets: number[][] | undefined;

  constructor(private readonly rng: Rng, private readonly replicationFactor: number, private readonly scatterWidth: number) {}

  private build(cluster: ClusterConfig): number[][] {
    const members = cluster.members.filter((m) => m.initial).map((m) => m.index);
    const r = Math.min(this.replicationFactor, members.length);
    const permutations = Math.max(1, Math.ceil(this.scatterWidth / Math.max(1, r - 1)));
    const sets: number[][] = [];
    for (let p = 0; p < permutations; p++) {
      // Sorting by a hash of (permutation, name) is a permutation no seed moves.
      const order = members.map((m) => ({ m, key: hash32(`copyset-${p}-${cluster.members[m]!.name}`) })).sort((a, b) => a.key - b.key || a.m - b.m).map((x) => x.m);
      for (let i = 0; i < order.length; i += r) {
        // The last group, if short, is completed from the permutation's start.
        const group = order.slice(i, i + r);
        for (let j = 0; group.length < r; j++) group.push(order[j]!);
        sets.push(group);
      }
    }
    return sets;
  }

  select(_source: number, count: number, ctx: PlacementContext): number[] {
    const sets = (this.copysets ??= this.build(ctx.cluster));
    const allowed = new Set(ctx.candidates.map((m) => m.index));
    const holders = ctx.holders ?? [];
    const fits: number[][] = [];
    for (const set of sets) {
      if (!holders.every((h) => set.includes(h))) continue;
      const fresh = set.filter((m) => !holders.includes(m));
      if (fresh.length >= count && fresh.every((m) => allowed.has(m))) fits.push(fresh);
    }
    if (fits.length === 0) return drawDistinct(this.rng, ctx.candidates, count);
    return fits[Math.floor(this.rng.float() * fits.length)]!.slice(0, count);
  }
}

/**
 * Wraps a placement strategy with a failure-domain constraint. The strategy
 * picks as it always does; while the chunk's replicas (those it has, and the
 * picks) cover fewer domains than the rule asks, the last pick that shares
 * a domain is swapped for the strategy's best candidate from a domain not
 * yet used. When no such candidate is healthy, the placement is as spread as
 * it can be (summary.json's `placement` section shows what that left).
 */
export class SpreadPlacement implements PlacementStrategy {
  readonly wantsHolders: boolean;

  constructor(private readonly base: PlacementStrategy, private readonly level: DomainLevel, private readonly minDomains: number) {
    this.wantsHolders = base.wantsHolders === true;
  }

  select(source: number, count: number, ctx: PlacementContext): number[] {
    const picked = this.base.select(source, count, ctx);
    const domains = new FailureDomains(ctx.cluster, this.level, this.minDomains);
    const holders = ctx.holders ?? [];
    const want = Math.min(this.minDomains, holders.length + picked.length);
    for (;;) {
      const all = [...holders, ...picked];
      const used = domains.covered(all);
      if (used.size >= want) return picked;
      // The latest pick whose domain another replica already covers.
      let swap = -1;
      for (let i = picked.length - 1; i >= 0 && swap < 0; i--) {
        const d = domains.of(picked[i]!);
        if (all.filter((n) => domains.of(n) === d).length > 1) swap = i;
      }
      if (swap < 0) return picked;
      const fresh = ctx.candidates.filter((m) => !used.has(domainOf(m, this.level)) && !picked.includes(m.index));
      const [alt] = fresh.length === 0 ? [] : this.base.select(source, 1, { ...ctx, candidates: fresh });
      if (alt === undefined) return picked;
      picked[swap] = alt;
    }
  }
}

/**
 * The configured strategy, wrapped in its failure-domain constraint if it has
 * one. `rng`: the placer's own stream, asked for only by the strategies that
 * draw (`random`, `copyset`), so the others open no stream.
 */
export function makePlacement(opts: PlacementOptions, replicationFactor: number, rng: () => Rng): PlacementStrategy {
  const base = baseStrategy(opts, replicationFactor, rng);
  return opts.spread.domain === 'none' ? base : new SpreadPlacement(base, opts.spread.domain, opts.spread.minDomains);
}

function baseStrategy(opts: PlacementOptions, replicationFactor: number, rng: () => Rng): PlacementStrategy {
  switch (opts.strategy) {
    case 'random':
      return new RandomPlacement(rng());
    case 'copyset':
      return new CopysetPlacement(rng(), replicationFactor, opts.scatterWidth ?? replicationFactor - 1);
    case 'consistent_hash':
      return new ConsistentHashPlacement(opts.shards);
    case 'network_aware':
      return new NetworkAwarePlacement(opts);
    case 'round_robin':
      return new RoundRobinPlacement();
    case 'load_balanced':
      return new LoadBalancedPlacement();
  }
}

/**
 * The `limit` smallest items offered under a total order, smallest first:
 * the first `limit` of a full sort, at O(items x limit) instead of a sort of
 * every candidate (placement wants 3 of 1,000s, per chunk).
 */
class BestFew<T> {
  readonly best: T[] = [];
  seen = 0;

  constructor(private readonly limit: number, private readonly compare: (a: T, b: T) => number) {}

  offer(item: T): void {
    this.seen++;
    const best = this.best;
    if (this.limit <= 0 || (best.length === this.limit && this.compare(item, best[best.length - 1]!) >= 0)) return;
    let i = best.length < this.limit ? best.length : best.length - 1;
    if (best.length < this.limit) best.push(item);
    while (i > 0 && this.compare(item, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = item;
  }
}

function fillFrom(picked: number[], pool: readonly MemberInfo[], count: number): number[] {
  for (const m of pool) {
    if (picked.length >= count) break;
    if (!picked.includes(m.index)) picked.push(m.index);
  }
  return picked.slice(0, count);
}
