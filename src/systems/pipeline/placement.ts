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

export const SHARDS = 256;
const VIRTUAL_NODES = 64;

/**
 * Document 002's consistent hashing over 256 shards: a chunk belongs to shard
 * hash(chunk) mod 256; the shard's replicas go to the first distinct
 * candidates clockwise from the shard's point on a ring where every member has
 * 64 virtual points. Losing a node moves only the shards it held.
 */
export class ConsistentHashPlacement implements PlacementStrategy {
  private ring: Array<{ point: number; member: number }> | undefined;

  select(_source: number, count: number, ctx: PlacementContext): number[] {
    const ring = (this.ring ??= ctx.cluster.members
      .flatMap((m) => Array.from({ length: VIRTUAL_NODES }, (_, v) => ({ point: hash32(`${m.name}#${v}`), member: m.index })))
      .sort((a, b) => a.point - b.point || a.member - b.member));
    const allowed = new Set(ctx.candidates.map((m) => m.index));
    const shard = hash32(`chunk-${ctx.chunk}`) % SHARDS;
    const start = hash32(`shard-${shard}`);
    let i = ring.findIndex((p) => p.point >= start);
    if (i < 0) i = 0;
    const picked: number[] = [];
    for (let step = 0; step < ring.length && picked.length < count; step++) {
      const { member } = ring[(i + step) % ring.length]!;
      if (allowed.has(member) && !picked.includes(member)) picked.push(member);
    }
    return picked;
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
  constructor(private readonly base: PlacementStrategy, private readonly level: DomainLevel, private readonly minDomains: number) {}

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

/** The configured strategy, wrapped in its failure-domain constraint if it has one. */
export function makePlacement(opts: PlacementOptions): PlacementStrategy {
  const base = baseStrategy(opts);
  return opts.spread.domain === 'none' ? base : new SpreadPlacement(base, opts.spread.domain, opts.spread.minDomains);
}

function baseStrategy(opts: PlacementOptions): PlacementStrategy {
  switch (opts.strategy) {
    case 'consistent_hash':
      return new ConsistentHashPlacement();
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
