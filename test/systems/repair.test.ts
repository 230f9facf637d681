import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { PipelineDefect, TelemetryEvent } from '../../src/systems/index.js';
import { repairSettle } from '../../src/systems/pipeline/module/observer.js';
import { scenarioFrom } from '../helpers/scenario.js';

const s = (n: number) => n * 1_000_000;

function record(file: string, seed = 42) {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loadScenario(file), { seed, observe: (t, e) => events.push({ t, e }) });
  return { result, events };
}

describe('repair', () => {
  it('node-loss: under-replication rises at the loss and returns to 0, detected within timeout + one interval', () => {
    const { result } = record('scenarios/node-loss.yml');
    const [header, ...rows] = result.files['durability.csv']!.trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => rows.map((r) => Number(r[header!.indexOf(name)]));
    const under = col('chunks_under_replicated');
    expect(Math.max(...under)).toBeGreaterThan(0);
    expect(under.at(-1)).toBe(0);
    expect(Math.max(...col('chunks_lost'))).toBe(0);
    const detector = result.files['detector.csv']!.trim().split('\n');
    expect(detector[0]).toBe('time_s,event,node,first_observer,state,first_at_s,observers,latency_s');
    const failed = detector.find((l) => l.startsWith('30,crash,aws-east-2,') && l.includes(',failed,'))!.split(',');
    expect(Number(failed[7])).toBeLessThanOrEqual(15 + 5);
    expect(Number(failed[6])).toBe(10); // every other node noticed
  });

  it('correlated-loss: the chunks lost are exactly those whose replicas were all on the lost nodes', () => {
    const { result, events } = record('scenarios/correlated-loss.yml');
    const lostNodes = new Set(['aws-east-2', 'aws-east-3', 'aws-west-1'].map((n) => ['aws-east-1', 'aws-east-2', 'aws-east-3', 'aws-west-1', 'aws-west-2'].indexOf(n)));
    // Ground truth before the first loss at 120 s: where verified replicas were written.
    const holders = new Map<number, Set<number>>();
    for (const { t, e } of events) if (t < s(120) && e.kind === 'replica_stored') holders.set(e.chunk, (holders.get(e.chunk) ?? new Set()).add(e.node));
    const doomed = [...holders.values()].filter((nodes) => [...nodes].every((n) => lostNodes.has(n))).length;
    expect(doomed).toBeGreaterThan(0);
    expect(result.summary.durability.lost_chunks).toBe(doomed);
    expect(result.summary.durability.silently_lost_chunks).toBe(0);
  });

  it('repairs the most endangered chunks first', () => {
    const { events } = record('scenarios/correlated-loss.yml');
    // Replica counts the system believes, replayed from its own telemetry.
    const believed = new Map<number, number>();
    const order: Array<{ t: number; had: number }> = [];
    for (const { t, e } of events) {
      if (e.kind === 'acked') believed.set(e.chunk, e.replicas.length);
      else if (e.kind === 'replica_dropped') believed.set(e.chunk, believed.get(e.chunk)! - 1);
      else if (e.kind === 'repaired') {
        if (e.bytes > 0 && t > s(140)) order.push({ t, had: believed.get(e.chunk)! });
        believed.set(e.chunk, believed.get(e.chunk)! + 1);
      }
    }
    // Once all three losses are known (by 140 s), every chunk down to 1 replica gets its second copy before any chunk gets its third.
    const lastFromOne = Math.max(...order.filter((o) => o.had === 1).map((o) => o.t));
    const firstFromTwo = Math.min(...order.filter((o) => o.had === 2).map((o) => o.t));
    expect(order.filter((o) => o.had === 1).length).toBeGreaterThan(10);
    expect(lastFromOne).toBeLessThanOrEqual(firstFromTwo);
  });

  it('a corrupt replica is found by the scrubber, deleted and repaired', () => {
    const { result, events } = record('scenarios/disk-corruption.yml');
    expect(events.filter(({ e }) => e.kind === 'replica_dropped' && e.reason === 'corrupt').length).toBeGreaterThan(0);
    expect(result.summary.durability.corrupt_replicas_at_end).toBe(0);
    expect(result.summary.repair.repairs).toBeGreaterThan(0);
    expect(result.ok).toBe(true);
  });

  it('replicas of a node that returns are counted again, and surplus copies collected', () => {
    const r = runScenario(scenarioFrom(`
duration: 5m
pipeline:
  dataset: { size: 3GB, file_size: 1GB }
faults:
  - { kind: node_crash, at: 30s, node: aws-east-2, restart_after: 60s }
`), { seed: 2 });
    // Declared failed, repaired elsewhere, back with its old replicas: those are now surplus.
    expect(r.summary.repair.repairs).toBeGreaterThan(0);
    expect(r.summary.repair.orphans_removed).toBeGreaterThan(0);
    expect(r.summary.durability.under_replicated_at_end).toBe(0);
    const last = r.files['durability.csv']!.trim().split('\n').at(-1)!.split(',');
    expect(last[3]).toBe(String(30 * 3)); // replicas_intact: exactly 3 per chunk again
  });
});

describe('repair as a drawn process (repair.process)', () => {
  /** One 1 MB chunk at two (or `replicas`) replicas on four storage nodes; a disk fails at 1 h and is replaced a second later. */
  const scenario = (process: string | undefined, extraFaults = '', replicas = 2) => scenarioFrom(`
duration: 12h
topology:
  clouds:
    aws:
      regions:
        aws-meta: { nodes: 1, disk: { capacity: 1KB } }
        aws-east: { nodes: 4 }
detector:
  kind: none
repair:
  scrub_interval: 0
${process ? `  process: ${process}` : ''}
pipeline:
  source_node: aws-meta-1
  dataset: { size: 1MB, file_size: 1MB }
  distribution: { replication_factor: ${replicas}, min_replicas_success: 2 }
faults:
  - { kind: disk_fail, at: 1h, node: aws-east-1, replace_after: 1s }
${extraFaults}`);

  const run = (text: ReturnType<typeof scenario>, seed = 1) => {
    const events: Array<{ t: number; e: TelemetryEvent }> = [];
    const result = runScenario(text, { seed, observe: (t, e) => events.push({ t, e }) });
    return { result, events };
  };

  it('waits start_after + duration after the loss is known before the copy, and no replica lands on the catalog\'s tiny disk', () => {
    const { result, events } = run(scenario('{ start_after: 10m, duration: 2h }'));
    const dropped = events.find(({ e }) => e.kind === 'replica_dropped')!;
    const repaired = events.filter(({ e }) => e.kind === 'repaired' && e.bytes > 0);
    // The replaced disk reports its empty inventory a second (and a message) after the failure.
    expect(dropped.t).toBeGreaterThan(s(3601));
    expect(dropped.t).toBeLessThan(s(3602));
    expect(repaired).toHaveLength(1);
    // The copy of 1 MB takes milliseconds once the drawn 2 h 10 m are over.
    expect(repaired[0]!.t - dropped.t).toBeGreaterThanOrEqual(s(7800));
    expect(repaired[0]!.t - dropped.t).toBeLessThan(s(7801));
    expect(result.summary.durability.lost_chunks).toBe(0);
    expect(events.some(({ e }) => e.kind === 'replica_stored' && e.node === 0)).toBe(false);
  });

  it('without process, the same repair is a paced copy of milliseconds', () => {
    const { events } = run(scenario(undefined));
    const dropped = events.find(({ e }) => e.kind === 'replica_dropped')!;
    const repaired = events.find(({ e }) => e.kind === 'repaired' && e.bytes > 0)!;
    expect(repaired.t - dropped.t).toBeLessThan(s(1));
  });

  it('draws each repair from the source node\'s own stream: exponential durations differ from seed to seed', () => {
    const times = [1, 2, 3].map((seed) => {
      const { events } = run(scenario('{ start_after: 0s, duration: { dist: exponential, mean: 1h } }'), seed);
      return events.find(({ e }) => e.kind === 'repaired' && e.bytes > 0)!.t;
    });
    expect(new Set(times).size).toBe(3);
  });

  it('a waiting repair whose source loses its replica starts over at once from another replica, with fresh draws', () => {
    // Three replicas (nodes 1-3); node 1's disk dies at 1 h and a 3 h repair from node 2 (the first of the equally
    // loaded) waits; node 2's disk dies at 2 h. Starting over, the repair from node 3 ends at 2 h + 1 s + 3 h; carrying on
    // with its gone source, it would fail at 4 h and end at 7 h.
    const { result, events } = run(scenario('{ start_after: 0s, duration: 3h }', '  - { kind: disk_fail, at: 2h, node: aws-east-2, replace_after: 1s }', 3));
    const repaired = events.filter(({ e }) => e.kind === 'repaired' && e.bytes > 0).map(({ t }) => t);
    expect(repaired[0]).toBeGreaterThan(s(5 * 3600 + 1));
    expect(repaired[0]).toBeLessThan(s(5 * 3600 + 2));
    expect(result.summary.durability.lost_chunks).toBe(0);
  });

  it('a waiting repair holds its chunk against moves: a drain of its source hands the replica off only after the repair', () => {
    // Node 1's disk dies at 1 h; the chunk's other replica (node 2) is to be copied for 3 h; node 2 is drained at 2 h.
    const { result, events } = run(scenario('{ start_after: 0s, duration: 3h }', '  - { kind: node_drain, at: 2h, node: aws-east-2 }'));
    const repaired = events.find(({ e }) => e.kind === 'repaired' && e.bytes > 0)!;
    const moved = events.filter(({ e }) => e.kind === 'replica_moved');
    expect(repaired.t).toBeGreaterThan(s(4 * 3600));
    // The drain moves the replica (never to the catalog's 1 KB disk), and not while the repair waits.
    expect(moved).toHaveLength(1);
    expect(moved[0]!.t).toBeGreaterThan(repaired.t);
    expect((moved[0]!.e as { to: number }).to).not.toBe(0);
    expect(result.summary.durability.lost_chunks).toBe(0);
  });

  it('a waiting repair whose source loses its replica starts over from no one, and the chunk is lost, never copied from a gone replica', () => {
    // The other replica's disk dies while the repair waits: the chunk has no replica left.
    const { result, events } = run(scenario('{ start_after: 0s, duration: 3h }', '  - { kind: disk_fail, at: 2h, node: aws-east-2, replace_after: 1s }'));
    const holders = events.filter(({ e }) => e.kind === 'replica_stored' && e.chunk === 0).map(({ e }) => (e as { node: number }).node);
    // Only meaningful if the two failed disks held the chunk's two replicas (nodes 1 and 2 of the region).
    expect(holders.slice(0, 2).sort()).toEqual([1, 2]);
    expect(result.summary.durability.lost_chunks).toBe(1);
    expect(result.summary.durability.first_loss_s).toBeCloseTo(7200, 3);
    expect(events.filter(({ e }) => e.kind === 'repaired' && e.bytes > 0)).toHaveLength(0);
  });
});

describe('work across crashes', () => {
  it('no processing task is lost or completed twice when workers crash mid-run', () => {
    const { result, events } = record('scenarios/twenty-percent.yml');
    const outcomes = new Map<number, number>();
    for (const { e } of events) if (e.kind === 'acked' || e.kind === 'chunk_failed') outcomes.set(e.chunk, (outcomes.get(e.chunk) ?? 0) + 1);
    expect(outcomes.size).toBe(result.summary.pipeline.chunks_total);
    expect([...outcomes.values()].every((n) => n === 1)).toBe(true);
    expect(result.summary.invariants.find((i) => i.name === 'chunk_outcome_once')!.held).toBe(true);
    expect(result.summary.pipeline.chunks_acked).toBe(300);
    // Work really was taken away from a lost worker and redone.
    expect(result.summary.pipeline.retries.processing).toBeGreaterThan(0);
  });
});

describe('rebalancing by two-phase moves', () => {
  it('evens out disks and never leaves a chunk below the replication factor', () => {
    const { result, events } = record('scenarios/rebalance.yml');
    expect(result.summary.rebalance.moves).toBeGreaterThan(10);
    expect(result.summary.rebalance.disk_imbalance_at_end).toBeLessThanOrEqual(0.25);
    expect(result.summary.durability.max_under_replicated).toBe(0);
    expect(result.summary.invariants.find((i) => i.name === 'move_keeps_replication')).toMatchObject({ held: true, violations: 0 });
    // Copy first: the target's verified write comes before the move is announced.
    const moved = events.find(({ e }) => e.kind === 'replica_moved')!.e as { chunk: number; to: number };
    const stored = events.findIndex(({ e }) => e.kind === 'replica_stored' && e.chunk === moved.chunk && e.node === moved.to);
    const movedAt = events.findIndex(({ e }) => e.kind === 'replica_moved' && e.chunk === moved.chunk);
    expect(stored).toBeGreaterThanOrEqual(0);
    expect(stored).toBeLessThan(movedAt);
  });

  it('the checker catches a one-phase move that deletes before it copies', () => {
    const r = runScenario(loadScenario('scenarios/rebalance.yml'), { seed: 42, defects: ['move_delete_first'] });
    expect(r.ok).toBe(false);
    expect(r.failures.join('\n')).toMatch(/invariant move_keeps_replication broken \d+ time\(s\)/);
  });
});

describe("repair_restores_replication's settle time", () => {
  const parts = { detect: s(10), scrub: 0, timeout: s(30), bandwidthBytesPerS: 100e6 };

  it("copies the larger of the disks' shortfall and the repairer's largest backlog at the repair bandwidth", () => {
    expect(repairSettle({ ...parts, missingBytes: 1e9, backlogBytes: 0 })).toBe(s(10 + 30 + 10));
    // False failure verdicts: the repairer had five times the disks' shortfall to copy, and is given the time for it.
    expect(repairSettle({ ...parts, missingBytes: 1e9, backlogBytes: 5e9 })).toBe(s(10 + 30 + 50));
    // A repairer that leaves chunks out of its backlog is still held to the disks' figure.
    expect(repairSettle({ ...parts, missingBytes: 5e9, backlogBytes: 1e9 })).toBe(s(10 + 30 + 50));
    expect(repairSettle({ ...parts, scrub: s(60), missingBytes: 0, backlogBytes: 0 })).toBe(s(10 + 60 + 30));
  });
});

describe('a planted defect: a repairer that silently skips a fifth of the chunks', () => {
  // correlated-loss's expectations read the repairer's own backlog figure, which the defect keeps at 0: only the checker sees it.
  it.each(['node-loss', 'correlated-loss', 'cascading-failures', 'twenty-percent', 'cloud-outage', 'disk-corruption', 'fail-during-ingestion'])('is caught from the disks in %s, and the same run without it holds', (name) => {
    const loaded = loadScenario(`scenarios/${name}.yml`);
    const verdict = (defects: PipelineDefect[]) => runScenario(loaded, { seed: 42, defects }).summary.invariants.find((i) => i.name === 'repair_restores_replication')!;
    const caught = verdict(['repair_skip_some']);
    expect(caught.held).toBe(false);
    expect(caught.first!.detail).toMatch(/^chunk \d+ has [12] of 3 replicas at the end, [\d.]+s after the last fault \(bound [\d.]+s\)$/);
    expect(verdict([]).held).toBe(true);
  });
});

describe('a planted defect: a placement that stores 2 replicas while 3 are configured', () => {
  // Repair tops every such chunk up to 3 before the end, so end-state expectations pass; the checker sees each acknowledgement.
  it.each(['baseline', 'node-loss', 'partition', 'slow-node', 'raft-catalog-partition', 'coordinated-pipeline', 'transfer-failures'])('is caught at acknowledgement in %s, and the same run without it holds', (name) => {
    const loaded = loadScenario(`scenarios/${name}.yml`);
    const run = (defects: PipelineDefect[]) => runScenario(loaded, { seed: 42, defects }).summary;
    const caught = run(['place_fewer']);
    const verdict = caught.invariants.find((i) => i.name === 'partial_ack_explained')!;
    expect(verdict.held).toBe(false);
    expect(verdict.first!.detail).toMatch(/^chunk \d+ acknowledged with 2 of 3 replicas; 2 targets answered, 0 still writing$/);
    expect(caught.durability.under_replicated_at_end).toBe(0);
    expect(run([]).invariants.find((i) => i.name === 'partial_ack_explained')!.held).toBe(true);
  });
});
