import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const NAMES = ['aws-east-1', 'aws-east-2', 'aws-east-3', 'aws-west-1', 'gcp-central-1', 'azure-east-1'];

function leaders(file: string, set: string[] = [], seed = 42) {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loadScenario(file, { set }), { seed, observe: (t, e) => events.push({ t, e }) });
  const elected = events.flatMap(({ t, e }) => (e.kind === 'raft_role' && e.role === 'leader' ? [{ t, node: NAMES[e.node]!, term: e.term }] : []));
  return { result, elected };
}

describe("document 001's 100 ms commit bar across clouds, and the preferred region that meets it", () => {
  it('with no cloud holding a majority the bar is missed, whoever leads (reported, not excused)', () => {
    const r = runScenario(loadScenario('scenarios/raft-cross-cloud.yml'), { seed: 42 });
    expect(r.ok, r.failures.join('; ')).toBe(true);
    expect(r.summary.raft!.p95_commit_ms!).toBeGreaterThan(100);
  });

  it('with a majority in AWS and the leader kept in aws-east, every leader is there and p95 commit is under 100 ms', () => {
    const { result, elected } = leaders('scenarios/raft-preferred-region.yml');
    expect(result.ok, result.failures.join('; ')).toBe(true);
    expect(elected.length).toBeGreaterThanOrEqual(2);
    for (const l of elected) expect(l.node).toMatch(/^aws-east-/);
    expect(result.summary.raft!.p95_commit_ms!).toBeLessThan(100);
  });

  it('a leader elected outside the preferred region hands over once a member there has caught up', () => {
    // Both aws-east members are down for the first 5 s: someone else must lead, then hand over.
    const { result, elected } = leaders('scenarios/raft-preferred-region.yml', ['faults=[{kind: node_crash, at: 0s, node: aws-east-1, restart_after: 5s}, {kind: node_crash, at: 0s, node: aws-east-2, restart_after: 5s}]']);
    // (The commit bar is not this run's point: for 5 s the majority needs GCP or Azure.)
    expect(result.summary.invariants.filter((i) => !i.held)).toEqual([]);
    expect(elected[0]!.node).not.toMatch(/^aws-east-/);
    const back = elected.find((l) => l.node.startsWith('aws-east-'))!;
    expect(back.t).toBeGreaterThan(5_000_000);
    expect(back.t).toBeLessThan(7_000_000);
    expect(elected.at(-1)!.node).toMatch(/^aws-east-/);
  });
});
