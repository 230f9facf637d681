import { describe, expect, it } from 'vitest';
import type { ClusterConfig, MemberInfo } from '../../src/systems/index.js';
import { LoadBalancedPlacement, NetworkAwarePlacement, RoundRobinPlacement } from '../../src/systems/index.js';

// aws: 0,1,2 (0 is the source) ; gcp: 3,4 ; azure: 5
const clouds = ['aws', 'aws', 'aws', 'gcp', 'gcp', 'azure'];
const members: MemberInfo[] = clouds.map((cloud, index) => ({ index, name: `n${index}`, cloud, region: `${cloud}-r`, slots: 4, diskCapacityBytes: 1000 }));
const latencyMs: Record<string, number> = { 'aws-aws': 5, 'aws-gcp': 50, 'aws-azure': 60, 'gcp-azure': 45, 'gcp-gcp': 5, 'azure-azure': 5 };
const cluster: ClusterConfig = {
  members,
  nominalLatency: (a, b) => 1000 * (latencyMs[`${clouds[a]}-${clouds[b]}`] ?? latencyMs[`${clouds[b]}-${clouds[a]}`]!),
};
const ctx = (placed: number[] = [0, 0, 0, 0, 0, 0], exclude = [0]) => ({
  cluster,
  candidates: members.filter((m) => !exclude.includes(m.index)),
  placedBytes: placed,
});
const opts = { strategy: 'network_aware' as const, preferSameCloud: true, crossCloudThreshold: 0.7 };

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
