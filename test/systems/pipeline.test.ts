import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

describe('pipeline conservation without faults', () => {
  for (const strategy of ['network_aware', 'round_robin', 'load_balanced']) {
    it(`${strategy}: every chunk ends with replication_factor verified replicas`, () => {
      const loaded = scenarioFrom(`
duration: 3m
pipeline:
  dataset: { size: 2.5GB, file_size: 1GB }
  distribution:
    placement: { strategy: ${strategy} }
`);
      const r = runScenario(loaded, { seed: 3 });
      const s = r.summary;
      // 1 GB + 1 GB + 0.5 GB files in 100 MB chunks.
      expect(s.pipeline.chunks_total).toBe(25);
      expect(s.pipeline.chunks_acked).toBe(25);
      expect(s.pipeline.chunks_failed).toBe(0);
      expect(s.stages.storage.bytes).toBe(2.5e9 * 3);
      expect(s.stages.storage.chunks).toBe(25 * 3);
      expect(s.durability.under_replicated_at_end).toBe(0);
      expect(s.durability.lost_chunks).toBe(0);
      expect(r.ok).toBe(true);
      const lastRow = r.files['durability.csv']!.trim().split('\n').pop()!.split(',');
      expect(lastRow[3]).toBe('75'); // replicas_intact
    });
  }

  it('splits files into chunks with a short last chunk', () => {
    const r = runScenario(scenarioFrom('duration: 2m\npipeline:\n  dataset: { size: 250MB, file_size: 250MB }\n'), { seed: 1 });
    expect(r.summary.pipeline.chunks_total).toBe(3);
    expect(r.summary.stages.ingestion.bytes).toBe(250e6);
  });

});

describe('pipeline under faults', () => {
  it('reassigns work from a crashed worker and acknowledges every chunk', () => {
    const r = runScenario(scenarioFrom(`
duration: 5m
pipeline:
  dataset: { size: 5GB, file_size: 1GB }
faults:
  - { kind: node_crash, at: 3s, node: gcp-central-1 }
`), { seed: 11 });
    expect(r.summary.pipeline.chunks_acked).toBe(50);
    expect(r.summary.pipeline.retries.processing + r.summary.pipeline.retries.distribution).toBeGreaterThan(0);
    expect(r.summary.durability.lost_chunks).toBe(0);
    expect(r.ok).toBe(true);
  });

  it('reports replicas on a dead node as under-replicated, not lost, and counts them again after restart', () => {
    const r = runScenario(scenarioFrom(`
duration: 3m
pipeline:
  dataset: { size: 3GB, file_size: 1GB }
faults:
  - { kind: node_crash, at: 60s, node: aws-east-2, restart_after: 60s }
`), { seed: 5 });
    const [header, ...lines] = r.files['durability.csv']!.trim().split('\n').map((l) => l.split(','));
    const at = (t: string, column: string) => lines.find((row) => row[0] === t)![header!.indexOf(column)];
    expect(Number(at('70', 'chunks_under_replicated'))).toBeGreaterThan(0); // while down
    expect(at('70', 'chunks_lost')).toBe('0');
    expect(at('70', 'nodes_up')).toBe('10');
    expect(at('130', 'chunks_under_replicated')).toBe('0'); // back after restart
  });
});

describe('fallback_to_any_node (document 000)', () => {
  const run = (fallback: boolean) => runScenario(scenarioFrom(`
duration: 3m
topology:
  clouds: { aws: { regions: { a: { nodes: 4 } } } }
pipeline:
  source_node: a-1
  dataset: { size: 3GB, file_size: 1GB }
  suspicion_period: 10m
  distribution: { fallback_to_any_node: ${fallback} }
# Only the orchestrator's own evidence (a failed transfer) marks a-4: no detector, no repair.
detector: { kind: none }
repair: { enabled: false }
faults:
  - { kind: node_crash, at: 1s, node: a-4, restart_after: 5s }
`), { seed: 1 }).summary;

  it('with it, a suspected node that is back up still receives replicas; without it, chunks stay short', () => {
    const withFallback = run(true);
    const without = run(false);
    expect(withFallback.pipeline.chunks_acked).toBe(30);
    expect(without.pipeline.chunks_acked).toBe(30);
    // Four nodes, the worker holds none: with a-4 suspected for 10 minutes only two targets remain.
    expect(without.durability.under_replicated_at_end).toBe(30);
    expect(withFallback.durability.under_replicated_at_end).toBeLessThan(30);
  });
});

describe('chunkCount', () => {
  it('counts what planChunks makes, for whole and short files and chunks', async () => {
    const { chunkCount, planChunks } = await import('../../src/systems/pipeline/chunks.js');
    for (const [d, f, c] of [[0, 10, 3], [1, 10, 3], [10, 10, 3], [25, 10, 3], [25, 10, 10], [25, 7, 100], [1e12, 1e9, 1e8], [2.5e9, 1e9, 1e8]] as const) {
      expect(chunkCount(d, f, c), `${d} ${f} ${c}`).toBe(planChunks(d, f, c).length);
    }
  });

  it('chunkAt gives what planChunks has at that index, for any dataset, file and chunk sizes', async () => {
    const { chunkAt, planChunks } = await import('../../src/systems/pipeline/chunks.js');
    fc.assert(fc.property(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 300 }), (d, f, c) => {
      planChunks(d, f, c).forEach((chunk, i) => expect(chunkAt(i, d, f, c)).toEqual(chunk));
    }), { numRuns: 300 });
  });
});
