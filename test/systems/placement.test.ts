import { describe, expect, it } from 'vitest';
import type { ClusterConfig, MemberInfo } from '../../src/systems/index.js';
import { ConsistentHashPlacement, CopysetPlacement, LoadBalancedPlacement, NetworkAwarePlacement, RandomPlacement, RoundRobinPlacement } from '../../src/systems/index.js';
import { RandomStreams } from '../../src/kernel/index.js';
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
const opts = { strategy: 'network_aware' as const, preferSameCloud: true, crossCloudThreshold: 0.7, spread: { domain: 'none' as const, minDomains: 2 }, shards: 256, scatterWidth: undefined };
const SHARDS = 256;

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
  const all = (chunk: number, exclude: number[] = []) => new ConsistentHashPlacement(SHARDS).select(0, 3, ctx(undefined, exclude, chunk));

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

describe('consistent_hash with fewer shards', () => {
  it('puts the chunks on at most `shards` distinct replica sets', () => {
    const placer = new ConsistentHashPlacement(4);
    const sets = new Set(Array.from({ length: 300 }, (_, c) => placer.select(0, 3, ctx(undefined, [0], c)).join(',')));
    expect(sets.size).toBeLessThanOrEqual(4);
    expect(sets.size).toBeGreaterThan(1);
  });
});

describe('random placement', () => {
  const rng = (seed = 1) => new RandomStreams(seed).get('placement');

  it('distinct candidates, every replica set about equally often, reproducible from its stream', () => {
    const placer = new RandomPlacement(rng());
    const counts = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const picked = placer.select(0, 2, ctx());
      expect(new Set(picked).size).toBe(2);
      expect(picked.includes(0)).toBe(false);
      const key = [...picked].sort().join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // 5 candidates, C(5,2) = 10 sets of 2: each a tenth, within 4 standard errors.
    expect(counts.size).toBe(10);
    for (const c of counts.values()) expect(Math.abs(c / n - 0.1)).toBeLessThan(4 * Math.sqrt(0.09 / n));
    const a = new RandomPlacement(rng(3));
    const b = new RandomPlacement(rng(3));
    for (let i = 0; i < 20; i++) expect(a.select(0, 3, ctx())).toEqual(b.select(0, 3, ctx()));
  });

  it('takes every candidate when asked for more than there are', () => {
    expect(new RandomPlacement(rng()).select(0, 5, ctx(undefined, [0, 1, 2])).sort()).toEqual([3, 4, 5]);
  });
});

describe('copyset placement (Cidon et al. 2013)', () => {
  const nine: MemberInfo[] = Array.from({ length: 9 }, (_, index) => ({ index, name: `m${index}`, cloud: 'c', region: 'r', rack: 'r', slots: 1, diskCapacityBytes: 1000, initial: true }));
  const c9: ClusterConfig = { members: nine, nominalLatency: () => 1000 };
  const at = (exclude: number[], holders?: number[]) => ({ cluster: c9, candidates: nine.filter((m) => !exclude.includes(m.index)), placedBytes: new Array(9).fill(0), chunk: 0, holders });
  const rng = () => new RandomStreams(1).get('placement');

  it('scatter width R - 1: disjoint groups, every chunk on exactly one of them', () => {
    const placer = new CopysetPlacement(rng(), 3, 2);
    const sets = new Set<string>();
    for (let i = 0; i < 500; i++) sets.add(placer.select(0, 3, at([])).sort().join(','));
    expect(sets.size).toBe(3);
    const nodes = [...sets].flatMap((s) => s.split(','));
    expect(new Set(nodes).size).toBe(9);
  });

  it('a larger scatter width gives more copysets, each node in several', () => {
    const placer = new CopysetPlacement(rng(), 3, 4);
    const sets = new Set<string>();
    for (let i = 0; i < 2000; i++) sets.add(placer.select(0, 3, at([])).sort().join(','));
    expect(sets.size).toBe(6);
  });

  it('avoids copysets with a member that is not a candidate; a top-up completes the copyset the holders are in', () => {
    const placer = new CopysetPlacement(rng(), 3, 2);
    const group = placer.select(0, 3, at([]));
    for (let i = 0; i < 50; i++) expect(placer.select(0, 3, at([group[0]!])).some((m) => group.includes(m))).toBe(false);
    const [a, b, c] = group;
    expect(placer.select(0, 1, at([a!, b!], [a!, b!]))).toEqual([c]);
    // The copyset cannot be completed (its third member is down): any other candidate.
    const [other] = placer.select(0, 1, at([a!, b!, c!], [a!, b!]));
    expect(group.includes(other!)).toBe(false);
  });
});

describe('failure-domain spread (placement.spread)', () => {
  const spread = (domain: 'cloud' | 'region' | 'rack', minDomains: number) => makePlacement({ ...opts, spread: { domain, minDomains } }, 3, () => new RandomStreams(1).get('placement'));

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

describe('copyset settings', () => {
  it('refuses a scatter width past the nodes a node could share with', async () => {
    const { loadScenario } = await import('../../src/run/index.js');
    expect(() => loadScenario('experiments/k-random-loss.yml', { set: ['pipeline.distribution.placement.scatter_width=15'] })).toThrow(/scatter_width: 15 is more nodes than a node can share chunks with: the topology starts with 15, so at most 14/);
    expect(loadScenario('experiments/k-random-loss.yml', { set: ['pipeline.distribution.placement.scatter_width=14'] }).scenario.pipeline.distribution.placement.scatter_width).toBe(14);
  });
});
