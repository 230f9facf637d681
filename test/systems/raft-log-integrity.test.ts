import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const FILE = 'scenarios/raft-log-corruption.yml';
const s = (n: number) => n * 1_000_000;

describe('Raft log integrity: a member that reads back a damaged log abstains until it has repaired it', () => {
  const loaded = loadScenario(FILE);
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loaded, { seed: 42, observe: (t, e) => events.push({ t, e }) });

  it('detects the damage on read, keeps the verified prefix, repairs the rest from a leader; every checker holds', () => {
    expect(result.ok, result.failures.join('; ')).toBe(true);
    const damaged = events.find(({ e }) => e.kind === 'raft_log_damaged')!;
    expect(damaged.t).toBe(s(26) + 1_001); // the restart at 26 s reads the state back (one disk operation)
    expect((damaged.e as { lost: number }).lost).toBeGreaterThan(0);
    expect(result.summary.raft!.log_repairs).toEqual([{ member: 'aws-east-2', at_s: 26.001001, entries_lost: (damaged.e as { lost: number }).lost, repaired_after_s: expect.any(Number) }]);
  });

  it('no leader is elected while only the damaged member and the two stale ones are up', () => {
    const leaders = events.filter(({ t, e }) => e.kind === 'raft_role' && e.role === 'leader' && t > s(25) && t < s(45));
    expect(leaders).toEqual([]);
    const next = events.find(({ t, e }) => e.kind === 'raft_role' && e.role === 'leader' && t >= s(45))!;
    expect(['aws-east-1', 'aws-west-1']).toContain(['aws-east-1', 'aws-east-2', 'aws-east-3', 'aws-west-1', 'aws-west-2', 'aws-central-1', 'aws-central-2'][(next.e as { node: number }).node]);
  });

  it('a planted defect: a damaged member that votes helps elect a leader without committed entries, and the checkers see acknowledged writes lost', () => {
    const inv = runScenario(loaded, { seed: 42, defects: ['vote_with_damaged_log'] }).summary.invariants;
    const broken = (name: string) => inv.find((i) => i.name === name)!;
    expect(broken('raft_leader_completeness').held).toBe(false);
    expect(broken('raft_acked_writes_kept').held).toBe(false);
    expect(broken('raft_acked_writes_kept').first!.detail).toMatch(/^acknowledged write w\S+ at index \d+ replaced by noop-\d+-\d+$/);
  });

  it('holds at seeds 1-5, each damaged log repaired', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = runScenario(loaded, { seed });
      expect(r.ok, `seed ${seed}: ${r.failures.join('; ')}`).toBe(true);
      expect(r.summary.raft!.log_repairs!.every((x) => x.repaired_after_s !== null), `seed ${seed}`).toBe(true);
    }
  });
});
