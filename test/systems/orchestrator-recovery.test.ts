import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const s = (n: number) => n * 1_000_000;

describe('orchestrator crash and resumption from its outcome log', () => {
  for (const seed of [1, 42]) {
    it(`seed ${seed}: every chunk acknowledged exactly once, none lost, none stored twice`, () => {
      const events: Array<{ t: number; e: TelemetryEvent }> = [];
      const r = runScenario(loadScenario('scenarios/orchestrator-crash.yml'), { seed, observe: (t, e) => events.push({ t, e }) });
      const acks = events.filter(({ e }) => e.kind === 'acked');
      const perChunk = new Map<number, number>();
      for (const { e } of acks) if (e.kind === 'acked') perChunk.set(e.chunk, (perChunk.get(e.chunk) ?? 0) + 1);
      expect(perChunk.size).toBe(200);
      expect([...perChunk.values()].every((n) => n === 1)).toBe(true);
      // Work on both sides of the crash (25 s) and the restart (55 s).
      expect(acks.filter(({ t }) => t < s(25)).length).toBeGreaterThan(0);
      expect(acks.filter(({ t }) => t > s(55)).length).toBeGreaterThan(0);
      // Nothing is acknowledged while the source is down.
      expect(acks.filter(({ t }) => t >= s(25) && t < s(55)).length).toBe(0);
      expect(r.summary.durability.over_replicated_at_end).toBe(0);
      expect(r.summary.durability.lost_chunks).toBe(0);
      expect(r.ok).toBe(true);
    });
  }

  it('chunks whose replicas were complete when the source died are adopted from inventories, not redone', () => {
    const events: Array<{ t: number; e: TelemetryEvent }> = [];
    runScenario(loadScenario('scenarios/orchestrator-crash.yml'), { seed: 42, observe: (t, e) => events.push({ t, e }) });
    // Acknowledged at the end of the 2 s recovery window without being ingested again.
    const adopted = events.filter(({ t, e }) => e.kind === 'acked' && t >= s(57) && t < s(57.1)).map(({ e }) => (e as { chunk: number }).chunk);
    expect(adopted.length).toBeGreaterThan(0);
    const reingested = new Set(events.filter(({ t, e }) => e.kind === 'ingested' && t > s(55)).map(({ e }) => (e as { chunk: number }).chunk));
    expect(adopted.filter((c) => reingested.has(c))).toEqual([]);
  });
});

describe('the outcome log on a failed disk', () => {
  it('retries at a steady pace instead of multiplying writes', async () => {
    const { loadScenarioFromText } = await import('../../src/run/index.js');
    const r = runScenario(loadScenarioFromText('x.yml', 'duration: 2m\npipeline:\n  dataset: { size: 5GB, file_size: 1GB }\nfaults:\n  - { kind: disk_fail, at: 5s, node: aws-east-1 }\n'), { seed: 1 });
    // Outcomes can no longer be made durable, so no more are announced; the node keeps trying once a second.
    expect(r.summary.events).toBeLessThan(30_000);
    expect(r.summary.pipeline.chunks_acked).toBeLessThan(50);
  });
});
