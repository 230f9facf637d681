import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const s = (n: number) => n * 1_000_000;

function run(file: string, seed = 42, defects: Array<'double_vote'> = []) {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loadScenario(file), { seed, defects, observe: (t, e) => events.push({ t, e }) });
  const roles = events.flatMap(({ t, e }) => (e.kind === 'raft_role' ? [{ t, ...e }] : []));
  return { result, events, roles };
}

describe('Raft', () => {
  it('leader crash: a new leader within an election timeout or two; the old one returns with its state from disk', () => {
    const { result, roles, events } = run('scenarios/raft-leader-crash.yml');
    const before = roles.filter((r) => r.role === 'leader' && r.t < s(30)).at(-1)!;
    const after = roles.find((r) => r.role === 'leader' && r.t > s(30))!;
    expect(after.node).not.toBe(before.node);
    expect(after.term).toBeGreaterThan(before.term);
    // Followers time out after 150-300 ms of silence, then need one round of votes.
    expect(after.t - s(30)).toBeLessThanOrEqual(2 * 300_000);
    // Restarted at 50 s, the old leader comes back as a follower in at least its old term, and catches up.
    const back = roles.find((r) => r.node === before.node && r.t >= s(50))!;
    expect(back.role).toBe('follower');
    expect(back.term).toBeGreaterThanOrEqual(before.term);
    const applied = events.filter(({ t, e }) => e.kind === 'raft_applied' && e.node === before.node && t > s(50));
    expect(applied.length).toBeGreaterThan(100);
    expect(result.summary.raft!.p95_commit_ms!).toBeLessThan(100);
    expect(result.summary.raft!.write_availability).toBeGreaterThan(0.999);
    expect(result.ok).toBe(true);
    expect(result.files['consensus.csv']!.split('\n')[0]).toBe('time_s,leader,term,elections,writes_acked,commit_p50_ms,commit_p95_ms,commit_p99_ms,leaderless_s');
  });

  it('partition: the isolated leader commits nothing, the majority elects another, the old one steps down after the heal', () => {
    const { result, roles, events } = run('scenarios/raft-partition.yml');
    const old = roles.filter((r) => r.role === 'leader' && r.t < s(30)).at(-1)!;
    const commitsWhileCut = events.filter(({ t, e }) => e.kind === 'raft_commit' && e.node === old.node && t > s(30.1) && t < s(50));
    expect(commitsWhileCut).toEqual([]);
    expect(roles.some((r) => r.role === 'leader' && r.node !== old.node && r.t > s(30) && r.t < s(50))).toBe(true);
    const stepDown = roles.find((r) => r.node === old.node && r.t >= s(50) && r.role === 'follower')!;
    expect(stepDown.term).toBeGreaterThan(old.term);
    expect(stepDown.t - s(50)).toBeLessThan(s(1));
    expect(result.ok).toBe(true);
  });

  it('the checkers catch a Raft that grants two votes in one term', () => {
    const { result } = run('scenarios/raft-flapping.yml', 42, ['double_vote']);
    expect(result.ok).toBe(false);
    expect(result.failures.join('\n')).toMatch(/invariant raft_one_leader_per_term broken/);
    expect(run('scenarios/raft-flapping.yml', 42).result.ok).toBe(true);
  });
});
