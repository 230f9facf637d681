import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const s = (n: number) => n * 1_000_000;

describe('coordinator (document 003)', () => {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loadScenario('scenarios/coordinator-failover.yml'), { seed: 42, observe: (t, e) => events.push({ t, e }) });
  const roles = events.flatMap(({ t, e }) => (e.kind === 'coord_role' ? [{ t, ...e }] : []));

  it('the highest score coordinates first; after it dies the next best takes over within the heartbeat timeout', () => {
    expect(roles[0]).toMatchObject({ node: 0, term: 1 }); // aws-east-1, priority 50
    const next = roles.find((r) => r.t > s(60))!;
    expect(next.node).toBe(1); // aws-east-2, priority 40
    expect(next.term).toBeGreaterThan(1);
    expect(next.t - s(60)).toBeLessThanOrEqual(s(10) + s(2) * 2);
  });

  it('an agent is declared dead only by a quorum vote, and its tasks are reassigned', () => {
    const votes = events.flatMap(({ t, e }) => (e.kind === 'coord_vote' ? [{ t, ...e }] : []));
    const deadWorker = votes.find((v) => v.agent === 6 /* gcp-central-2 */ && v.passed)!;
    expect(deadWorker.t).toBeGreaterThan(s(150));
    // Tasks were running on it at the crash, and every task still finished.
    expect(result.summary.coordinator!.tasks_lost).toBe(0);
    expect(result.summary.invariants.filter((i) => !i.held)).toEqual([]);
  });

  it('tasks run only on agents, never on the submitter or other nodes', () => {
    const ranOn = new Map<string, number>();
    for (const { e } of events) if (e.kind === 'coord_task' && e.phase === 'executed') ranOn.set(e.id, e.node);
    expect(ranOn.size).toBeGreaterThan(500);
    // Agents are nodes 0,1 (aws-east-1,2), 5,6 (gcp-central-1,2), 8 (azure-east-1); the submitter (aws-west-1) runs nothing.
    expect([...new Set(ranOn.values())].every((n) => [0, 1, 5, 6, 8].includes(n))).toBe(true);
  });
});
