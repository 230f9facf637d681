import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/kernel/index.js';
import { loadScenario, runScenario } from '../../src/run/index.js';
import { NodeRegistry, type ClusterConfig, type TelemetryEvent } from '../../src/systems/index.js';
import { Popularity } from '../../src/systems/reads/popularity.js';
import { shardOf, ShardOwners } from '../../src/systems/reads/shards.js';
import { scenarioFrom } from '../helpers/scenario.js';

const invariant = (summary: { invariants: Array<{ name: string; held: boolean }> }, name: string) => summary.invariants.find((i) => i.name === name)!;

describe('the access model: Zipf popularity over a shuffle of the chunks', () => {
  it('ranks every chunk exactly once', () => {
    for (const n of [1, 7, 200, 1000]) {
      const ranks = new Popularity(n, 1).ranks();
      expect(new Set(ranks).size).toBe(n);
      expect(Math.min(...ranks)).toBe(0);
      expect(Math.max(...ranks)).toBe(n - 1);
    }
  });

  it('draws rank k in proportion to 1 / (k + 1)^skew; skew 0 is uniform', () => {
    const draws = 200_000;
    for (const skew of [0, 1, 2]) {
      const p = new Popularity(100, skew);
      const rng = new Rng('test', 'popularity');
      const counts = new Map<number, number>();
      for (let i = 0; i < draws; i++) {
        const c = p.draw(rng);
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      let total = 0;
      for (let k = 1; k <= 100; k++) total += k ** -skew;
      for (const k of [0, 1, 9]) {
        const expected = ((k + 1) ** -skew / total) * draws;
        // Within 5 standard deviations of a binomial count.
        expect(Math.abs((counts.get(p.chunkAt(k)) ?? 0) - expected)).toBeLessThan(5 * Math.sqrt(expected) + 1);
      }
    }
  });

  it('has nothing to draw from an empty dataset', () => {
    expect(new Popularity(0, 1).draw(new Rng('test', 'x'))).toBe(-1);
  });
});

describe('metadata shard owners: rendezvous hashing over the members a node believes up', () => {
  const cluster: ClusterConfig = {
    members: Array.from({ length: 11 }, (_, index) => ({ index, name: `n${index}`, cloud: 'c', region: 'r', rack: 'r', slots: 1, diskCapacityBytes: 1, initial: true })),
    nominalLatency: () => 0,
  };

  it('spreads 256 shards over every member, and a failure moves only the failed member\'s shards', () => {
    const registry = new NodeRegistry(cluster, () => 0, 0);
    const owners = new ShardOwners(registry, 256);
    const before = Array.from({ length: 256 }, (_, s) => owners.of(s));
    expect(new Set(before).size).toBe(11);
    registry.setState(4, 'failed');
    const after = Array.from({ length: 256 }, (_, s) => owners.of(s));
    for (let s = 0; s < 256; s++) {
      if (before[s] === 4) expect(after[s]).not.toBe(4);
      else expect(after[s]).toBe(before[s]);
    }
    // Suspicion alone moves nothing: shards change hands on a verdict of failure.
    registry.setState(5, 'suspected');
    expect(Array.from({ length: 256 }, (_, s) => owners.of(s))).toEqual(after);
  });

  it('hashes chunks over all shards', () => {
    const used = new Set(Array.from({ length: 10_000 }, (_, c) => shardOf(c, 256)));
    expect(used.size).toBe(256);
  });
});

describe('the read path (scenarios/read-path.yml, read-path-one-region.yml)', () => {
  const readPath = loadScenario('scenarios/read-path.yml');

  it('serves every read of written data through a node loss, with document 002\'s table in the summary', () => {
    const events: TelemetryEvent[] = [];
    const { summary, files } = runScenario(readPath, { seed: 42, observe: (_t, e) => events.push(e) });
    const reads = summary.reads!;
    expect(reads.latency_table.map((r) => r.operation)).toEqual(['read (cached)', 'read (local replica)', 'read (remote replica)', 'metadata operation', 'read (end to end)']);
    const [cached, local, remote, metadata, all] = reads.latency_table;
    expect(cached!.count + local!.count + remote!.count).toBe(reads.ok);
    expect(all!.count).toBe(reads.ok);
    expect(metadata!.count).toBe(reads.metadata.lookups);
    expect(reads.availability).toBe(1);
    // The lost node owned shards and held replicas: some lookups fell back to the metadata node, some fetches went to the next holder.
    expect(reads.metadata.fallbacks).toBeGreaterThan(0);
    expect(reads.metadata.stale_or_down_fetches).toBeGreaterThan(0);
    expect(invariant(summary, 'read_served_intact').held).toBe(true);
    const served = events.filter((e) => e.kind === 'read_served').length;
    // A range is served once per local or remote read that got data (a refused or abandoned fetch serves none, or one the client no longer waits for).
    expect(served).toBeGreaterThanOrEqual(local!.count + remote!.count);
    const csv = files['reads.csv']!.trim().split('\n');
    expect(csv[0]).toBe('time_s,reads,cached,local,remote,failed,not_found');
    const totals = csv.slice(1).map((l) => l.split(',').map(Number)).reduce((a, r) => a.map((x, i) => x + r[i]!), [0, 0, 0, 0, 0, 0, 0]);
    expect(totals.slice(1)).toEqual([reads.reads, cached!.count, local!.count, remote!.count, reads.failed.metadata + reads.failed.unavailable, reads.not_found]);
  });

  it('moves the hottest chunks first: more of the hottest tenth among the moves than in acknowledgement order', () => {
    const hot = runScenario(readPath, { seed: 42 }).summary.reads!;
    const plain = runScenario(loadScenario('scenarios/read-path.yml', { set: ['rebalance.hot_first=false'] }), { seed: 42 }).summary.reads!;
    expect(hot.hot_moves).toBeGreaterThan(plain.hot_moves);
  });

  it('meets document 002\'s table on five nodes of one region', () => {
    const { summary } = runScenario(loadScenario('scenarios/read-path-one-region.yml'), { seed: 42 });
    const [cached, local, remote, metadata] = summary.reads!.latency_table;
    expect(cached!.p50_ms).toBe(1);
    expect(local!.p95_ms).toBeLessThan(5);
    expect(remote!.p95_ms).toBeLessThan(8);
    expect(metadata!.p95_ms).toBeLessThan(7);
  });

  it('a planted defect: a node serving a range without checking its checksum is caught by read_served_intact', () => {
    const corrupt = scenarioFrom([
      'duration: 4m',
      'pipeline: { dataset: { size: 10GB, file_size: 1GB } }',
      'repair: { scrub_interval: 0 }',
      'reads: { every: 100ms, start: 60s }',
      'faults:',
      '  - { kind: disk_corruption, at: 70s, node: aws-east-2, fraction: 0.5 }',
      '  - { kind: disk_corruption, at: 70s, node: aws-east-3, fraction: 0.5 }',
    ].join('\n'));
    const caught = invariant(runScenario(corrupt, { seed: 42, defects: ['read_skip_checksum'] }).summary, 'read_served_intact') as { held: boolean; first?: { detail: string } };
    expect(caught.held).toBe(false);
    expect(caught.first!.detail).toMatch(/^aws-east-[23] served chunk \d+ to \S+ from a replica that is not intact on its disk$/);
    const honest = runScenario(corrupt, { seed: 42 }).summary;
    expect(invariant(honest, 'read_served_intact').held).toBe(true);
    // The honest servers refused the corrupt replicas and the clients went to good ones.
    expect(honest.reads!.availability).toBe(1);
    expect(honest.reads!.metadata.stale_or_down_fetches).toBeGreaterThan(0);
  });

  it('without a reads: block nothing of it runs: no section, no file', () => {
    const { summary, files } = runScenario(scenarioFrom('duration: 1m\n'), { seed: 1 });
    expect(summary.reads).toBeUndefined();
    expect(files['reads.csv']).toBeUndefined();
  });
});
