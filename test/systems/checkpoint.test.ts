import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

/** orchestrator-crash.yml: the source node crashes at 25 s and restarts 30 s later. */
const run = (set: string[]) => {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loadScenario('scenarios/orchestrator-crash.yml', { set }), { seed: 42, observe: (t, e) => events.push({ t, e }) });
  return { result, events };
};

describe('checkpoint interval (document 004): fewer log writes against outcomes lost at a crash', () => {
  it('every outcome on disk before it is announced (every: 1) loses nothing and has no checkpoint section', () => {
    const { result } = run([]);
    expect(result.ok).toBe(true);
    expect(result.summary.checkpoint).toBeUndefined();
  });

  it.each([[20, 10, 19], [100, 2, 79]])('every %i: %i checkpoints; the crash loses %i outcomes, acknowledged again from the replicas, each chunk counted once', (every, writes, lost) => {
    const { result, events } = run([`pipeline.checkpoint.every=${every}`]);
    expect(result.ok, result.failures.join('; ')).toBe(true);
    expect(result.summary.checkpoint).toEqual({ every, max_delay_s: 0, writes, outcomes_lost: lost, chunks_readopted: lost, chunks_redone: 0 });
    expect(result.summary.pipeline.chunks_acked).toBe(200);
    expect(result.summary.invariants.find((i) => i.name === 'chunk_outcome_once')!.held).toBe(true);
    // Acknowledged twice: exactly the lost ones, the second time as adopted.
    const acks = new Map<number, number>();
    for (const { e } of events) if (e.kind === 'acked') acks.set(e.chunk, (acks.get(e.chunk) ?? 0) + 1);
    expect([...acks.values()].filter((n) => n === 2)).toHaveLength(lost);
  });

  it('max_delay bounds how long an outcome waits, and completion writes the rest', () => {
    const { result, events } = run(['pipeline.checkpoint.every=1000', 'pipeline.checkpoint.max_delay=5s']);
    expect(result.ok, result.failures.join('; ')).toBe(true);
    const checkpoints = events.filter(({ e }) => e.kind === 'checkpoint');
    const done = events.find(({ e }) => e.kind === 'pipeline_done')!.t;
    // Written within 5 s of the oldest outcome, not after 1,000 of them; the last right after completion.
    expect(checkpoints.length).toBeGreaterThan(5);
    expect(checkpoints.at(-1)!.t).toBeGreaterThanOrEqual(done);
    const written = new Set(checkpoints.flatMap(({ e }) => (e as { chunks: readonly number[] }).chunks));
    expect(written.size).toBe(200);
  });
});
