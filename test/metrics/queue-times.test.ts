import { describe, expect, it } from 'vitest';
import { QueueTimesCollector } from '../../src/metrics/index.js';
import { runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

describe('QueueTimesCollector', () => {
  it('means to the microsecond, nearest-rank quantiles, nulls with no task', () => {
    const empty = new QueueTimesCollector().summary();
    expect(empty).toMatchObject({ tasks: 0, wait_mean_s: null, wait_p99_s: null, sojourn_mean_s: null });
    const c = new QueueTimesCollector();
    // Waits of 1..100 s, sojourns a second longer, in a shuffled order.
    for (let i = 0; i < 100; i++) {
      const w = ((i * 37) % 100) + 1;
      c.observe({ kind: 'queued', chunk: i, waitMicros: w * 1e6, sojournMicros: (w + 1) * 1e6 });
    }
    c.observe({ kind: 'processed', chunk: 0, bytes: 1, node: 0 } as TelemetryEvent);
    expect(c.summary()).toEqual({
      tasks: 100,
      wait_mean_s: 50.5, wait_p50_s: 50, wait_p95_s: 95, wait_p99_s: 99,
      sojourn_mean_s: 51.5, sojourn_p50_s: 51, sojourn_p95_s: 96, sojourn_p99_s: 100,
    });
  });
});

describe('the processing stage as a queue', () => {
  /** 1 KB chunks arriving every `every` at the source, its one slot the only one (the two storage nodes have none), 1 s of nominal work each. */
  const queue = (duration: string, size: string, every: string, service: string) => scenarioFrom(`
duration: ${duration}
topology:
  clouds:
    aws:
      regions:
        aws-proc: { nodes: 1, slots: 1 }
        aws-store: { nodes: 2, slots: 0 }
pipeline:
  source_node: aws-proc-1
  dataset: { size: ${size}, file_size: ${size}, arrivals: { every: ${every} } }
  chunk_size: 1KB
  ingest_rate: 1GB/s
  processing: { rate_per_slot: 1KB/s, ${service} }
  distribution: { replication_factor: 1, min_replicas_success: 1 }
`);

  it('one slot, a task every 0.5 s, each 1 s long: first come first served, the k-th waits k × 0.5 s', () => {
    const waits: number[] = [];
    const workers = new Set<number>();
    const r = runScenario(queue('1m', '10KB', '500ms', 'jitter: 0'), {
      seed: 1,
      observe: (_t, e) => {
        if (e.kind === 'queued') waits.push(e.waitMicros);
        if (e.kind === 'processed') workers.add(e.node);
      },
    });
    // The slot frees when the answer reaches the orchestrator, the next task is sent at once: no polling gap.
    expect(waits).toHaveLength(10);
    waits.forEach((w, k) => expect(Math.abs(w - k * 500_000)).toBeLessThan(1000));
    expect(r.summary.processing_queue.tasks).toBe(10);
    expect(r.summary.processing_queue.wait_p99_s).toBeCloseTo(4.5, 2);
    // Only the source's slot processed; the storage-only nodes hold the outputs.
    expect([...workers]).toEqual([0]);
    expect(r.summary.pipeline.chunks_acked).toBe(10);
  });

  it("exponential service and exponential arrivals draw from the worker's and the source's own streams", () => {
    const run = (seed: number) => runScenario(queue('1h', '200KB', '{ dist: exponential, mean: 2s }', 'service: exponential'), { seed }).summary.processing_queue;
    const a = run(1);
    expect(a.tasks).toBe(200);
    expect(run(1)).toEqual(a);
    expect(run(2).wait_mean_s).not.toBe(a.wait_mean_s);
    // Mean service 1 s: sojourn minus wait is about a second on average.
    expect(a.sojourn_mean_s! - a.wait_mean_s!).toBeGreaterThan(0.7);
    expect(a.sojourn_mean_s! - a.wait_mean_s!).toBeLessThan(1.3);
  });
});
