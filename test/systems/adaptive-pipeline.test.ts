import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

/** A shipped scenario with `--set` overrides, run at `seed`: its summary and whether every invariant held. */
function shipped(file: string, set: string[] = [], seed = 1) {
  const r = runScenario(scenarioFrom(readFileSync(`scenarios/${file}`, 'utf8'), file, set), { seed });
  return { s: r.summary, invariantsHeld: r.summary.invariants.every((i) => i.held) };
}

describe('acknowledge: min_replicas (document 002: asynchronous replication)', () => {
  it('acknowledges at min_replicas_success; the background replicas join the catalog, so nothing is repaired or collected', () => {
    const all = shipped('baseline.yml');
    const early = shipped('baseline.yml', ['pipeline.distribution.acknowledge=min_replicas']);
    expect(all.s.pipeline.chunks_partial).toBe(0);
    // Every chunk was acknowledged with 2 of 3 verified (PARTIAL), the third still being written.
    expect(early.s.pipeline.chunks_partial).toBe(200);
    expect(early.s.repair.repairs).toBe(0);
    expect(early.s.repair.orphans_removed).toBe(0);
    expect(early.s.durability.under_replicated_at_end).toBe(0);
    expect(early.s.durability.over_replicated_at_end).toBe(0);
    expect(early.invariantsHeld).toBe(true);
  });

  it('a slow target no longer holds up its chunks', () => {
    const waiting = shipped('slow-node.yml');
    const early = shipped('slow-node.yml', ['pipeline.distribution.acknowledge=min_replicas']);
    expect(early.s.pipeline.throughput_mb_s).toBeGreaterThan(1.5 * waiting.s.pipeline.throughput_mb_s);
    expect(early.s.durability.lost_chunks).toBe(0);
    expect(early.invariantsHeld).toBe(true);
  });
});

describe('balancer: dynamic (document 004)', () => {
  const baseline = shipped('baseline.yml').s.pipeline.throughput_mb_s;

  for (const seed of [1, 2, 3]) {
    it(`slow-node-balanced.yml keeps at least 0.85x of baseline throughput (seed ${seed}); slow-node.yml keeps about half`, () => {
      const balanced = shipped('slow-node-balanced.yml', [], seed);
      const fixed = shipped('slow-node.yml', [], seed);
      expect(balanced.s.pipeline.throughput_mb_s).toBeGreaterThanOrEqual(0.85 * baseline);
      expect(fixed.s.pipeline.throughput_mb_s).toBeLessThan(0.6 * baseline);
      expect(balanced.s.durability.lost_chunks).toBe(0);
      expect(balanced.invariantsHeld).toBe(true);
    });
  }

  it('the balancer alone (every target awaited) moves work off the slow node: more throughput than the static choice', () => {
    const fixed = shipped('slow-node.yml');
    const dynamic = shipped('slow-node.yml', ['pipeline.balancer=dynamic']);
    expect(dynamic.s.pipeline.throughput_mb_s).toBeGreaterThan(1.2 * fixed.s.pipeline.throughput_mb_s);
    expect(dynamic.invariantsHeld).toBe(true);
  });

  it('costs nothing without a slow node: baseline throughput within 5 %', () => {
    const dynamic = shipped('baseline.yml', ['pipeline.balancer=dynamic']).s.pipeline.throughput_mb_s;
    expect(dynamic).toBeGreaterThan(0.95 * baseline);
  });
});

describe('placement.spread (failure domains)', () => {
  it('domain-loss.yml: 20 % of nodes lost at once in one region loses chunks without spread, none with it', () => {
    const without = shipped('domain-loss.yml', ['pipeline.distribution.placement.spread.domain=none']);
    const spread = shipped('domain-loss.yml');
    expect(without.s.durability.lost_chunks).toBeGreaterThan(0);
    expect(without.s.durability.chunks_in_one_region).toBeGreaterThan(0);
    expect(spread.s.durability.lost_chunks).toBe(0);
    expect(spread.s.durability.chunks_in_one_region).toBe(0);
    expect(spread.invariantsHeld).toBe(true);
  });

  it('repair keeps the rule: after node-loss.yml every chunk still spans two clouds', () => {
    const plain = shipped('node-loss.yml');
    const spread = shipped('node-loss.yml', ['pipeline.distribution.placement.spread.domain=cloud']);
    expect(plain.s.durability.chunks_in_one_cloud).toBeGreaterThan(0);
    expect(spread.s.repair.repairs).toBeGreaterThan(0);
    expect(spread.s.durability.chunks_in_one_cloud).toBe(0);
    expect(spread.s.durability.under_replicated_at_end).toBe(0);
  });

  it('rebalancing keeps the rule: rebalance.yml with a region spread moves replicas and leaves no chunk in one region', () => {
    const spread = shipped('rebalance.yml', ['pipeline.distribution.placement.spread.domain=region', 'pipeline.distribution.placement.spread.min_domains=3']);
    expect(spread.s.rebalance.moves).toBeGreaterThan(0);
    expect(spread.s.durability.chunks_in_one_region).toBe(0);
    expect(spread.invariantsHeld).toBe(true);
  });

  it('a spread on racks in a topology with racks', () => {
    const r = runScenario(scenarioFrom(`
duration: 3m
topology:
  clouds:
    aws: { regions: { aws-east: { nodes: 6, racks: 3 } } }
pipeline:
  source_node: aws-east-1
  dataset: { size: 3GB, file_size: 1GB }
  distribution:
    placement: { spread: { domain: rack, min_domains: 3 } }
`), { seed: 5 });
    expect(r.summary.pipeline.chunks_acked).toBe(30);
    expect(r.summary.durability.chunks_in_one_rack).toBe(0);
  });
});

describe("document 000's failure model: transfer_failure and the PARTIAL outcome", () => {
  it('transfer-failures.yml: about 5 % of replicas fail, some chunks are acknowledged PARTIAL and repaired, nothing is lost', () => {
    const { s, invariantsHeld } = shipped('transfer-failures.yml');
    expect(s.pipeline.replica_success_rate).toBeGreaterThan(0.92);
    expect(s.pipeline.replica_success_rate).toBeLessThan(0.98);
    expect(s.pipeline.chunks_partial).toBeGreaterThan(0);
    expect(s.network.transfers_aborted).toBeGreaterThan(0);
    expect(s.repair.repairs).toBeGreaterThan(0);
    expect(s.durability.under_replicated_at_end).toBe(0);
    expect(s.durability.lost_chunks).toBe(0);
    expect(invariantsHeld).toBe(true);
  });

  it('counts cross-cloud transfers and their mean time; a fault-free baseline verifies every replica', () => {
    const { s } = shipped('baseline.yml');
    expect(s.pipeline.replica_success_rate).toBe(1);
    expect(s.network.transfers_cross_cloud).toBeGreaterThan(0);
    expect(s.network.transfers_cross_cloud).toBeLessThan(s.network.transfers_completed);
    expect(s.network.mean_transfer_s).toBeGreaterThan(0);
  });
});

describe("document 004's balance and per-cloud figures", () => {
  it('rebalancing brings the per-node chunk balance within the 30 % bound; without it the default placement is far from it', () => {
    const on = shipped('rebalance.yml', [], 42).s.rebalance;
    const off = shipped('rebalance.yml', ['rebalance.enabled=false'], 42).s.rebalance;
    expect(on.chunk_imbalance_at_end).toBeLessThanOrEqual(0.3);
    expect(off.chunk_imbalance_at_end).toBeGreaterThan(0.3);
  });

  it("per-cloud storage throughput adds up to the storage stage's bytes over the active time", () => {
    const { s } = shipped('baseline.yml');
    const sum = Object.values(s.pipeline.storage_mb_s_by_cloud).reduce((a, b) => a + b, 0);
    expect(Object.keys(s.pipeline.storage_mb_s_by_cloud)).toEqual(['aws', 'gcp', 'azure']);
    expect(sum).toBeCloseTo(s.stages.storage.bytes / 1e6 / s.pipeline.completion_s!, 1);
  });

  it('backoff with jitter changes only the retry waits: transfer-failures.yml still loses nothing', () => {
    const { s, invariantsHeld } = shipped('transfer-failures.yml', ['pipeline.distribution.backoff.multiplier=2', 'pipeline.distribution.backoff.jitter=0.2']);
    expect(s.durability.lost_chunks).toBe(0);
    expect(s.pipeline.chunks_acked).toBe(200);
    expect(invariantsHeld).toBe(true);
  });
});

describe("document 004's multi-batch runs", () => {
  it('multi-batch.yml: a batch is read only once it has arrived; each batch has its throughput, and their variation is reported', () => {
    const r = runScenario(scenarioFrom(readFileSync('scenarios/multi-batch.yml', 'utf8'), 'multi-batch.yml'), { seed: 42 });
    const b = r.summary.batches!;
    expect(b.count).toBe(4);
    expect(b.throughput_mb_s.every((x) => x !== null && x > 0)).toBe(true);
    expect(b.throughput_cv).toBeGreaterThan(0);
    // Ingestion rows (time_s, bucket_start_s, stage, chunks, ...): batch 2 (chunks 100-199) arrives at 45 s, so the
    // first batch (10 GB at 400 MB/s: 25 s) is read by 30 s and nothing is read in the bucket from 30 to 40 s.
    const ingested = r.files['throughput.csv']!.trim().split('\n').map((l) => l.split(',')).filter((c) => c[2] === 'ingestion');
    expect(ingested.find((c) => c[1] === '30')![3]).toBe('0');
    expect(Number(ingested.find((c) => c[1] === '40')![3])).toBeGreaterThan(0);
  });

  it('one batch (the default) has no batches section; a last batch after the end of the run is refused, naming the field', () => {
    expect(shipped('baseline.yml').s.batches).toBeUndefined();
    expect(() => scenarioFrom('duration: 1m\npipeline:\n  dataset: { size: 1GB, file_size: 250MB, batches: { count: 3, every: 30s } }\n'))
      .toThrow(/3:71: pipeline\.dataset\.batches\.every: the last of 3 batches would arrive at 1 min, when the 1 min run is over/);
  });
});
