import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkStates, NO_TARGETS } from '../../src/systems/pipeline/orchestrator/chunk-state.js';
import type { PipelineOptions } from '../../src/systems/pipeline/options.js';

const MB = 1_000_000;
const table = (replicationFactor: number, chunks = 10_000): ChunkStates =>
  new ChunkStates({ datasetBytes: chunks * MB, fileBytes: 100 * MB, chunkBytes: MB, replicationFactor } as PipelineOptions, 5_000);

describe('the chunk table', () => {
  it("a chunk's replicas behave as a Set does (membership, size, order of iteration), past the slots per chunk too", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant('add' as const), n: fc.nat(6) }),
      fc.record({ k: fc.constant('delete' as const), n: fc.nat(6) }),
      fc.record({ k: fc.constant('replace' as const), ns: fc.array(fc.nat(6), { maxLength: 6 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.tuple(fc.nat(3), op), { maxLength: 60 }), (rf, ops) => {
        const states = table(rf);
        const models = [0, 1, 2, 3].map(() => new Set<number>());
        for (const [chunk, o] of ops) {
          const replicas = states.get(chunk * 4_001).replicas;
          const model = models[chunk]!;
          if (o.k === 'add') replicas.add(o.n), model.add(o.n);
          else if (o.k === 'delete') expect(replicas.delete(o.n)).toBe(model.delete(o.n));
          else {
            states.get(chunk * 4_001).replicas = o.ns;
            models[chunk] = new Set(o.ns);
          }
          for (let c = 0; c < 4; c++) {
            const view = states.get(c * 4_001).replicas;
            expect([...view]).toEqual([...models[c]!]);
            expect(view.size).toBe(models[c]!.size);
            for (let n = 0; n <= 6; n++) expect(view.has(n)).toBe(models[c]!.has(n));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('two views of a chunk are one state; a chunk never reached is waiting, with attempts from the epoch', () => {
    const states = table(3);
    const a = states.get(42);
    const b = states.get(42);
    expect([a.status, a.dispatches, a.distAttempt, a.worker, a.timer, a.ticket, a.awaiting]).toEqual(['waiting', 5_000, 5_000, -1, -1, '', NO_TARGETS]);
    a.status = 'distributing';
    a.dispatches++;
    a.awaiting = new Set([4, 5]);
    a.ticket = 't1';
    b.awaiting.delete(4);
    expect([b.status, b.dispatches, [...b.awaiting], b.ticket]).toEqual(['distributing', 5_001, [5], 't1']);
    expect(states.statusOf(42)).toBe('distributing');
    expect(states.statusOf(43)).toBe('waiting');
    a.awaiting = NO_TARGETS;
    a.ticket = '';
    expect([states.awaiting.size, states.tickets.size]).toEqual([0, 0]);
    expect(states.find(10_000)).toBeUndefined();
    expect(states.find(9_999)?.chunk).toEqual(expect.objectContaining({ id: 9_999, bytes: MB }));
  });
});
