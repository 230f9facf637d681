import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DurabilityCollector } from '../../src/metrics/durability.js';
import { chunkKey } from '../../src/systems/index.js';
import type { GroundTruth } from '../../src/world/ground-truth.js';
import { tinyWorld } from '../world/helpers.js';

/** What a sample must say, by walking every acknowledged chunk's holders (the collector's former algorithm). */
function scan(truth: GroundTruth, acked: Map<number, number>, rf: number) {
  const s = { replicasIntact: 0, replicasAvailable: 0, underReplicated: 0, overReplicated: 0, unavailable: 0, lost: 0, bytesLost: 0, replicasCorrupt: 0 };
  for (const [chunk, bytes] of acked) {
    const key = chunkKey(chunk);
    let intact = 0;
    let available = 0;
    for (const node of truth.holders(key)) {
      if (!truth.intactOn(node, key)) {
        s.replicasCorrupt++;
        continue;
      }
      intact++;
      if (truth.nodes[node]!.up) available++;
    }
    s.replicasIntact += intact;
    s.replicasAvailable += available;
    if (available < rf) s.underReplicated++;
    if (available > rf) s.overReplicated++;
    if (intact === 0) {
      s.lost++;
      s.bytesLost += bytes;
    } else if (available === 0) s.unavailable++;
  }
  return s;
}

type Op =
  | { kind: 'write' | 'remove' | 'corrupt'; node: number; chunk: number }
  | { kind: 'ack'; chunk: number }
  | { kind: 'crash' | 'restart' | 'fail_disk'; node: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('write' as const, 'remove' as const, 'corrupt' as const), node: fc.integer({ min: 0, max: 3 }), chunk: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('ack' as const), chunk: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constantFrom('crash' as const, 'restart' as const, 'fail_disk' as const), node: fc.integer({ min: 0, max: 3 }) }),
);

describe('DurabilityCollector: sums kept per change equal a walk over every chunk', () => {
  it('after any sequence of writes, removals, corruption, acknowledgements, crashes, restarts and disk failures', () => {
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
      const w = tinyWorld();
      const collector = new DurabilityCollector(w.world.truth, 2);
      const acked = new Map<number, number>();
      const undo = new Map<number, () => void>();
      ops.forEach((o, i) => {
        w.at(1_000 + i * 100_000, () => {
          switch (o.kind) {
            case 'write': return w.rts[o.node]!.disk.write(chunkKey(o.chunk), 1_000 + o.chunk, 7, () => {});
            case 'remove': return w.rts[o.node]!.disk.remove(chunkKey(o.chunk));
            case 'corrupt': return w.world.corrupt(o.node, [chunkKey(o.chunk)]);
            case 'ack':
              if (!acked.has(o.chunk)) acked.set(o.chunk, 1_000 + o.chunk);
              return collector.observe({ kind: 'acked', chunk: o.chunk, bytes: 1_000 + o.chunk, replicas: [], pending: 0, adopted: false });
            case 'crash':
              if (!undo.has(o.node)) undo.set(o.node, w.world.crash(o.node));
              return;
            case 'restart':
              undo.get(o.node)?.();
              undo.delete(o.node);
              return;
            case 'fail_disk':
              w.world.failDisk(o.node);
              return;
          }
        });
        // Just before the next step: every write issued has completed.
        w.at(1_000 + i * 100_000 + 99_000, () => {
          const { time: _t, chunksAcked, bytesAcked: _b, repairBacklogChunks: _r, repairBacklogBytes: _rb, orphansRemoved: _o, atRiskChunkS: _a, nodesUp: _n, ...sums } = collector.sample();
          expect(chunksAcked).toBe(acked.size);
          expect(sums).toEqual(scan(w.world.truth, acked, 2));
        });
      });
      w.sim.run();
    }), { numRuns: 200 });
  });
});

describe('DurabilityCollector: the largest repair backlog', () => {
  it('is the most bytes any report gave, not the last', () => {
    const collector = new DurabilityCollector(tinyWorld().world.truth, 3);
    expect(collector.mostBacklogBytes()).toBe(0);
    for (const bytes of [3e9, 7e9, 2e9, 0]) collector.observe({ kind: 'repair_backlog', chunks: bytes / 1e8, bytes });
    expect(collector.mostBacklogBytes()).toBe(7e9);
  });
});
