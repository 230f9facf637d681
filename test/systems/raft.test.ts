import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const s = (n: number) => n * 1_000_000;

function run(file: string, seed = 42, defects: Array<'double_vote'> = [], set: string[] = []) {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const result = runScenario(loadScenario(file, { set }), { seed, defects, observe: (t, e) => events.push({ t, e }) });
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

  it('reads at each consistency level: strong reads are never stale; weaker ones trade freshness for availability', () => {
    const { result } = run('scenarios/raft-partition.yml');
    const reads = result.summary.raft!.reads;
    expect(Object.keys(reads).sort()).toEqual(['bounded_staleness', 'consistent_prefix', 'eventual', 'session', 'strong']);
    expect(result.summary.invariants.find((i) => i.name === 'raft_strong_reads_fresh')!.held).toBe(true);
    // The isolated member keeps answering eventual reads from its frozen state: far behind.
    expect(reads.eventual!.max_staleness_entries).toBeGreaterThan(reads.strong!.max_staleness_entries);
    expect(reads.session!.refused).toBeGreaterThan(0);
  });

  it('the freshness checker flags a strong read older than a write acknowledged before it was sent', async () => {
    const { RaftChecker } = await import('../../src/check/index.js');
    const { tinyWorld } = await import('../world/helpers.js');
    const w = tinyWorld();
    const checker = new RaftChecker(w.world);
    const emit = (e: TelemetryEvent) => checker.observe(e);
    emit({ kind: 'raft_role', node: 0, term: 1, role: 'leader' });
    emit({ kind: 'raft_applied', node: 0, index: 10, term: 1, id: 'w1' });
    emit({ kind: 'raft_write', node: 3, id: 'w1', phase: 'acked', latency: 1, index: 10 });
    emit({ kind: 'raft_read', node: 3, id: 'r1', level: 'strong', phase: 'sent', ok: false, index: 0, reason: '', latency: 0 });
    emit({ kind: 'raft_read', node: 3, id: 'r1', level: 'strong', phase: 'done', ok: true, index: 9, reason: '', latency: 1 });
    emit({ kind: 'raft_read', node: 3, id: 'r2', level: 'eventual', phase: 'sent', ok: false, index: 0, reason: '', latency: 0 });
    emit({ kind: 'raft_read', node: 3, id: 'r2', level: 'eventual', phase: 'done', ok: true, index: 3, reason: '', latency: 1 });
    const fresh = checker.results().find((r) => r.name === 'raft_strong_reads_fresh')!;
    expect(fresh).toMatchObject({ held: false, violations: 1 });
    expect(fresh.first!.detail).toContain('strong read r1 answered as of index 9');
    // A write sent after index 10 was acknowledged, found at index 7: out of real-time order.
    emit({ kind: 'raft_write', node: 3, id: 'w2', phase: 'sent', latency: 0, index: 0 });
    emit({ kind: 'raft_applied', node: 0, index: 7, term: 1, id: 'w2' });
    emit({ kind: 'raft_write', node: 3, id: 'w2', phase: 'acked', latency: 1, index: 7 });
    expect(checker.results().find((r) => r.name === 'raft_writes_in_real_time_order')).toMatchObject({ held: false, violations: 1 });
  });
});

describe('the metadata catalog through Raft', () => {
  const ackedBy = (files: Record<string, string>, t: string) => {
    const rows = files['durability.csv']!.trim().split('\n').map((l) => l.split(','));
    return Number(rows.find((r) => r[0] === t)![1]);
  };

  it('a partition that cuts the source off from the Raft majority stops new placements until it heals', () => {
    const raft = runScenario(loadScenario('scenarios/raft-catalog-partition.yml'), { seed: 42 });
    const local = runScenario(loadScenario('scenarios/raft-catalog-partition.yml', { set: ['pipeline.catalog=local'] }), { seed: 42 });
    // Through Raft: nothing is acknowledged between 20 s and 40 s (inside the 15-45 s partition).
    expect(ackedBy(raft.files, '40')).toBe(ackedBy(raft.files, '20'));
    // With the local catalog the same partition does not stop acknowledgements.
    expect(ackedBy(local.files, '40')).toBeGreaterThan(ackedBy(local.files, '20'));
    expect(raft.summary.pipeline.chunks_acked).toBe(100);
    expect(raft.summary.raft!.writes_acked).toBeGreaterThanOrEqual(100);
    expect(raft.ok).toBe(true);
  });

  it('a raft catalog without a raft group is an input error', async () => {
    const { loadScenarioFromText } = await import('../../src/run/index.js');
    expect(() => loadScenarioFromText('x.yml', 'pipeline:\n  catalog: raft\n')).toThrow(/pipeline\.catalog: "raft" needs a raft group/);
  });
});

describe('role targets', () => {
  it('a fault aimed at "@raft-leader" while nobody leads is skipped and recorded, not a crash', () => {
    const r = runScenario(loadScenario('scenarios/raft-leader-crash.yml', { set: ['faults.0.at=0s'] }), { seed: 42 });
    expect(r.files['faults.csv']).toContain('0,0,node_crash,skipped,@raft-leader (no node is @raft-leader now)');
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
  });
});
