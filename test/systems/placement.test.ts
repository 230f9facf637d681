import { describe, expect, it } from 'vitest';
import type { ClusterConfig, MemberInfo } from '../../src/systems/index.js';
import { ConsistentHashPlacement, LoadBalancedPlacement, NetworkAwarePlacement, RoundRobinPlacement, SHARDS } from '../../src/systems/index.js';
import { makePlacement } from '../../src/systems/pipeline/placement.js';
import { FailureDomains } from '../../src/systems/pipeline/spread.js';

// aws: 0,1,2 (0 is the source) ; gcp: 3,4 ; azure: 5
const clouds = ['aws', 'aws', 'aws', 'gcp', 'gcp', 'azure'];
const members: MemberInfo[] = clouds.map((cloud, index) => ({ index, name: `n${index}`, cloud, region: `${cloud}-r`, rack: `${cloud}-r`, slots: 4, diskCapacityBytes: 1000, initial: true }));
const latencyMs: Record<string, number> = { 'aws-aws': 5, 'aws-gcp': 50, 'aws-azure': 60, 'gcp-azure': 45, 'gcp-gcp': 5, 'azure-azure': 5 };
const cluster: ClusterConfig = {
  members,
  nominalLatency: (a, b) => 1000 * (latencyMs[`${clouds[a]}-${clouds[b]}`] ?? latencyMs[`${clouds[b]}-${clouds[a]}`]!),
};
const ctx = (placed: number[] = [0, 0, 0, 0, 0, 0], exclude = [0], chunk = 0) => ({
  cluster,
  candidates: members.filter((m) => !exclude.includes(m.index)),
  placedBytes: placed,
  chunk,
});
const opts = { strategy: 'network_aware' as const, preferSameCloud: true, crossCloudThreshold: 0.7, spread: { domain: 'none' as const, minDomains: 2 } };

describe('network_aware placement (document 000)', () => {
  it('stays in the source cloud when it has enough nodes', () => {
    expect(new NetworkAwarePlacement(opts).select(0, 2, ctx())).toEqual([1, 2]);
  });

  it('mixes floor(n x threshold) same-cloud replicas with the nearest other clouds when the home cloud is short', () => {
    // 3 replicas, 2 same-cloud candidates: floor(3 x 0.7) = 2 in aws, 1 in the nearest other cloud (gcp, 50 ms).
    expect(new NetworkAwarePlacement(opts).select(0, 3, ctx())).toEqual([1, 2, 3]);
  });

  it('leaves the home cloud when its load is above the threshold', () => {
    const loaded = [0, 800, 800, 0, 0, 0];
    expect(new NetworkAwarePlacement(opts).select(0, 2, ctx(loaded))).toEqual([1, 3]);
  });

  it('without prefer_same_cloud, still keeps floor(n x threshold) at home', () => {
    expect(new NetworkAwarePlacement({ ...opts, preferSameCloud: false }).select(0, 2, ctx())).toEqual([1, 3]);
  });

  it('never returns duplicates and fills from any candidate when clouds run out', () => {
    const few = ctx(undefined, [0, 1, 2, 3]);
    expect(new NetworkAwarePlacement(opts).select(0, 3, few).sort()).toEqual([4, 5]);
  });
});

describe('round_robin and load_balanced placement', () => {
  it('round_robin rotates through candidates', () => {
    const rr = new RoundRobinPlacement();
    expect(rr.select(0, 2, ctx())).toEqual([1, 2]);
    expect(rr.select(0, 2, ctx())).toEqual([3, 4]);
    expect(rr.select(0, 2, ctx())).toEqual([5, 1]);
  });

  it('load_balanced picks the least-loaded, ties by index', () => {
    expect(new LoadBalancedPlacement().select(0, 3, ctx([0, 500, 0, 100, 0, 50]))).toEqual([2, 4, 5]);
  });
});

describe('consistent_hash placement (document 002: 256 shards)', () => {
  const all = (chunk: number, exclude: number[] = []) => new ConsistentHashPlacement().select(0, 3, ctx(undefined, exclude, chunk));

  it('is a pure function of the chunk and the candidates: the same chunk always lands on the same nodes', () => {
    expect(all(7)).toEqual(all(7));
    expect(new Set(all(7)).size).toBe(3);
  });

  it('spreads chunks over every node', () => {
    const counts = new Map<number, number>();
    for (let c = 0; c < 2 * SHARDS; c++) for (const n of all(c)) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(n).toBeGreaterThan((2 * SHARDS * 3) / 6 / 2); // no node under half its share
  });

  it('removing a node moves only the replicas it held', () => {
    let moved = 0;
    for (let c = 0; c < 200; c++) {
      const before = all(c);
      const after = all(c, [4]);
      const kept = before.filter((n) => n !== 4);
      // Every surviving replica stays where it was; only node 4's place is refilled.
      expect(after.filter((n) => kept.includes(n)).length).toBe(kept.length);
      if (before.includes(4)) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });
});

describe('failure-domain spread (placement.spread)', () => {
  const spread = (domain: 'cloud' | 'region' | 'rack', minDomains: number) => makePlacement({ ...opts, spread: { domain, minDomains } });

  it('network_aware alone keeps both replicas in the source cloud; spread over 2 clouds swaps the last for the nearest other cloud', () => {
    expect(new NetworkAwarePlacement(opts).select(0, 2, ctx())).toEqual([1, 2]);
    expect(spread('cloud', 2).select(0, 2, ctx())).toEqual([1, 3]);
  });

  it('counts the replicas a chunk already has (repair): a third replica of a chunk held only in aws goes elsewhere with min_domains 2', () => {
    const [target] = spread('cloud', 2).select(1, 1, { ...ctx(undefined, [0, 1, 2]), holders: [0, 1] });
    expect(members[target!]!.cloud).not.toBe('aws');
  });

  it('asks for no more domains than replicas, and places as spread as it can when domains run out', () => {
    expect(spread('cloud', 3).select(0, 1, ctx())).toHaveLength(1);
    const onlyAws = ctx(undefined, [0, 3, 4, 5]);
    expect(spread('cloud', 2).select(0, 2, onlyAws)).toEqual([1, 2]);
  });

  it('FailureDomains judges a replica set against min(min_domains, its size)', () => {
    const d = new FailureDomains(cluster, 'cloud', 2);
    expect(d.spread([0, 1, 2])).toBe(false);
    expect(d.spread([0, 1, 3])).toBe(true);
    expect(d.spread([0])).toBe(true);
  });
});
