import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import type { RaftDefect, TelemetryEvent } from '../../src/systems/index.js';

const s = (n: number) => n * 1_000_000;

function run(file: string, seed = 42, defects: RaftDefect[] = [], set: string[] = []) {
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
    // The summary names the loss and the time to a leader that can commit again.
    expect(result.summary.raft!.leader_losses).toEqual([{ at_s: 30, leader: 'aws-central-1', cause: 'crash', new_leader_after_s: (after.t - s(30)) / 1e6 }]);
    expect(result.summary.raft!.p95_commit_ms!).toBeLessThan(100);
    expect(result.summary.raft!.write_availability).toBeGreaterThan(0.999);
    expect(result.ok).toBe(true);
    expect(result.files['consensus.csv']!.split('\n')[0]).toBe('time_s,leader,term,elections,writes_acked,writes_refused,commit_p50_ms,commit_p95_ms,commit_p99_ms,leaderless_s,write_unavailable_s');
  });

  it('partition: the isolated leader commits nothing, the majority elects another, the old one steps down after the heal', () => {
    const { result, roles, events } = run('scenarios/raft-partition.yml');
    const old = roles.filter((r) => r.role === 'leader' && r.t < s(30)).at(-1)!;
    const commitsWhileCut = events.filter(({ t, e }) => e.kind === 'raft_commit' && e.node === old.node && t > s(30.1) && t < s(50));
    expect(commitsWhileCut).toEqual([]);
    expect(roles.some((r) => r.role === 'leader' && r.node !== old.node && r.t > s(30) && r.t < s(50))).toBe(true);
    // The client still reaches it: what it took before stepping down times out, afterwards it refuses with a reason.
    const refused = events.flatMap(({ t, e }) => (e.kind === 'raft_write_refused' && e.member === old.node && t > s(30) && t < s(50) ? [{ t, reason: e.reason }] : []));
    const down = roles.find((r) => r.node === old.node && r.t > s(30) && r.role === 'follower')!;
    expect(refused.filter((r) => r.reason === 'no_leader' && r.t > down.t).length).toBeGreaterThan(0);
    expect(refused.filter((r) => r.reason === 'timeout').length).toBeGreaterThan(0);
    // The summary counts them per member (aws-central-1 led term 1 at seed 42).
    expect(result.summary.raft!.write_refusals['aws-central-1']).toMatchObject({ no_leader: expect.any(Number), timeout: refused.filter((r) => r.reason === 'timeout').length });
    const stepDown = roles.find((r) => r.node === old.node && r.t >= s(50) && r.role === 'follower')!;
    expect(stepDown.term).toBeGreaterThan(old.term);
    expect(stepDown.t - s(50)).toBeLessThan(s(1));
    expect(result.ok).toBe(true);
  });

  it('no leader ever: write availability 0; a leaderless stretch still open at the end counts', () => {
    const split = 'faults=[{kind: partition, at: 0s, groups: [[aws-east-1],[aws-east-2],[aws-west-1],[aws-west-2],[aws-central-1]]}]';
    const never = run('scenarios/raft-leader-crash.yml', 42, [], ['duration=30s', split]).result.summary.raft!;
    expect(never.elections).toBe(0);
    expect(never.write_availability).toBe(0);
    const open = run('scenarios/raft-leader-crash.yml', 42, [], ['duration=60s', split.replace('at: 0s', 'at: 30s')]).result.summary.raft!;
    expect(open.max_leaderless_s).toBeGreaterThanOrEqual(29);
    expect(open.write_availability).toBeLessThan(0.51);
  });

  it('timer noise: with equal election timeouts exact timers split every vote for ever, the default noise (1 %) elects a leader', () => {
    const equal = ['duration=20s', 'faults=[]', 'raft.election_timeout={min: 200ms, max: 200ms}'];
    const exact = run('scenarios/raft-leader-crash.yml', 42, [], [...equal, 'raft.timer_noise=0']).result.summary.raft!;
    expect(exact.write_availability).toBe(0);
    const noisy = run('scenarios/raft-leader-crash.yml', 42, [], equal);
    const first = noisy.roles.find((r) => r.role === 'leader')!;
    expect(first.t).toBeLessThan(s(1));
    expect(noisy.result.summary.raft!.write_availability).toBeGreaterThan(0.9);
  });

  it('exact timers with equal election timeouts are legal but warned about before the run: no leader would ever be elected', () => {
    const equal = ['raft.election_timeout={min: 200ms, max: 200ms}'];
    expect(loadScenario('scenarios/raft-leader-crash.yml', { set: [...equal, 'raft.timer_noise=0'] }).warnings).toEqual([
      '--set raft.timer_noise=0: raft.timer_noise: is 0 with election_timeout.min = max (200ms): every member times out at the same instant and votes split for ever, so no leader is ever elected.',
    ]);
    expect(loadScenario('scenarios/raft-leader-crash.yml', { set: equal }).warnings).toEqual([]);
  });

  it('timer noise that lets a stretched heartbeat outlast a shrunk election timeout is an input error', () => {
    expect(() => loadScenario('scenarios/raft-leader-crash.yml', { set: ['raft.heartbeat=140ms', 'raft.timer_noise=0.05'] })).toThrow(/raft\.timer_noise: is too large for heartbeat 140 ms and election_timeout\.min 150 ms/);
  });

  it('pre-vote: the isolated leader cannot raise its term, and rejoins after the heal without disrupting the group', () => {
    const maxTerm = (roles: Array<{ term: number }>) => Math.max(...roles.map((r) => r.term));
    const off = run('scenarios/raft-partition.yml');
    const on = run('scenarios/raft-partition.yml', 42, [], ['raft.pre_vote=true']);
    // Without pre-vote the cut-off member keeps campaigning, and its term forces an election at the heal.
    expect(maxTerm(off.roles)).toBeGreaterThan(10);
    expect(off.result.summary.raft!.elections).toBe(3);
    // With it: one election for the initial leader, one when it is cut off; the heal costs nothing.
    expect(maxTerm(on.roles)).toBe(2);
    expect(on.result.summary.raft!.elections).toBe(2);
    expect(on.roles.filter((r) => r.t > s(50) && r.role !== 'follower')).toEqual([]);
    expect(on.result.ok).toBe(true);
    // Never leaderless (the isolated leader steps down as the new one wins), yet writes could not commit
    // from the cut (30 s) until the majority's new leader was elected: that is the unavailable time.
    const next = on.roles.find((r) => r.role === 'leader' && r.t > s(30))!;
    const [header, ...rows] = on.result.files['consensus.csv']!.trim().split('\n').map((l) => l.split(','));
    const row40 = rows.find((r) => r[0] === '40')!;
    expect(Number(row40[header!.indexOf('write_unavailable_s')])).toBeCloseTo((next.t - s(30)) / 1e6, 6);
    expect(on.result.summary.raft!.max_leaderless_s).toBe(0);
    expect(on.result.summary.raft!.write_availability).toBeLessThan(1);
  });

  it('pre-vote: a member whose term fell behind learns the term from refusals, so the longest log can still win', () => {
    // aws-west-* miss term 1's entries, then candidate aws-east-2 dies right after asking for votes in term 2:
    // aws-east-1 (the longest log) is left at term 1, the others at term 2, and only it can win.
    const faults = 'faults=[{kind: partition, at: 5s, duration: 5s, groups: [[aws-west-1, aws-west-2]]}, {kind: node_loss, at: 10s, node: aws-central-1}, {kind: partition, at: 10s, duration: 50s, shape: isolate, node: aws-east-1}, {kind: node_loss, at: 10265000us, node: aws-east-2}]';
    const with_ = run('scenarios/raft-partition.yml', 42, [], ['duration=3m', 'raft.pre_vote=true', faults]).result;
    const without = run('scenarios/raft-partition.yml', 42, [], ['duration=3m', faults]).result;
    expect(with_.summary.invariants.filter((i) => !i.held)).toEqual([]);
    expect(with_.summary.raft!.writes_acked).toBe(without.summary.raft!.writes_acked);
  });

  it('snapshots: members compact their logs; the old leader restarts from its snapshot and catches up by installing the leader\'s', () => {
    const { result, roles, events } = run('scenarios/raft-leader-crash.yml', 42, [], ['raft.snapshot_every=100']);
    const old = roles.filter((r) => r.role === 'leader' && r.t < s(30)).at(-1)!.node;
    const snaps = events.flatMap(({ t, e }) => (e.kind === 'raft_snapshot' ? [{ t, ...e }] : []));
    expect(snaps.filter((x) => !x.installed).length).toBeGreaterThan(1000);
    // Restarted at 50 s with the snapshot it took before the crash, and its log after it.
    const restored = events.find(({ t, e }) => e.kind === 'raft_restored' && e.node === old && t >= s(50))!.e as { base: number };
    expect(restored.base).toBeGreaterThan(0);
    // Twenty seconds behind, more than the 100 entries the leader keeps: it gets the leader's snapshot, then entries after it.
    const installed = snaps.find((x) => x.installed && x.node === old && x.t >= s(50))!;
    expect(installed.t - s(50)).toBeLessThan(s(1));
    expect(installed.index).toBeGreaterThan(restored.base + 100);
    const appliedAfter = events.filter(({ t, e }) => e.kind === 'raft_applied' && e.node === old && t > installed.t);
    expect((appliedAfter[0]!.e as { index: number }).index).toBe(installed.index + 1);
    expect(result.ok).toBe(true);
    // Compaction changes no decision: the same writes are acknowledged as without it.
    expect(result.summary.raft!.writes_acked).toBe(run('scenarios/raft-leader-crash.yml').result.summary.raft!.writes_acked);
  });

  it('the checkers catch a Raft that grants two votes in one term', () => {
    const { result } = run('scenarios/raft-flapping.yml', 42, ['double_vote']);
    expect(result.ok).toBe(false);
    expect(result.failures.join('\n')).toMatch(/invariant raft_one_leader_per_term broken/);
    expect(run('scenarios/raft-flapping.yml', 42).result.ok).toBe(true);
  });

  const broken = (defect: RaftDefect, file: string, set: string[], seed = 42) => {
    const r = run(file, seed, [defect], set).result;
    return new Map(r.summary.invariants.filter((i) => !i.held).map((i) => [i.name, i.first!.detail]));
  };

  it.each([
    // A member that votes for a candidate missing committed entries elects it: those entries are overwritten.
    ['vote_without_log_check', 'scenarios/raft-partition.yml', [], 'raft_leader_completeness', /leads term \d+ without committed entry/],
    // A follower that appends without the consistency check ends up with entries after the wrong history.
    ['skip_log_check', 'scenarios/raft-partition.yml', [], 'raft_log_matching', /index \d+ term \d+: .* after a term-\d+ entry, .* after a term-\d+ entry/],
    // Acknowledged on append: the client is told before a majority has the write.
    ['ack_before_commit', 'scenarios/raft-leader-crash.yml', [], 'raft_acked_writes_kept', /acknowledged at index \d+, where the committed log holds nothing yet/],
    // A leader cut off from the majority (and not stepping down) serves strong reads from its frozen state.
    ['unconfirmed_strong_reads', 'scenarios/raft-partition.yml', ['raft.check_quorum=false'], 'raft_linearizable', /read r\S+ \(saw \S+ @\d+\) started at .* after write \S+ \(log index \d+\) had finished/],
    // A member that ignores the client's session serves a follower's older state: the client's own write is not there.
    ['ignore_session', 'scenarios/raft-leader-crash.yml', [], 'raft_session_guarantees', /session read \S+ of k\d+ returned \S+ \(@\d+\), older than the client's own write acknowledged at @\d+/],
  ] as Array<[RaftDefect, string, string[], string, RegExp]>)('the checkers catch %s (%s)', (defect, file, set, invariant, detail) => {
    const found = broken(defect, file, set);
    expect(found.get(invariant)).toMatch(detail);
    // Without the defect the same run holds every invariant.
    expect(run(file, 42, [], set).result.summary.invariants.filter((i) => !i.held)).toEqual([]);
  });

  it('reads at each consistency level: strong reads are never stale; weaker ones trade freshness for availability', () => {
    const { result } = run('scenarios/raft-partition.yml');
    const reads = result.summary.raft!.reads;
    expect(Object.keys(reads).sort()).toEqual(['bounded_staleness', 'consistent_prefix', 'eventual', 'session', 'strong']);
    expect(result.summary.invariants.find((i) => i.name === 'raft_linearizable')!.held).toBe(true);
    // The isolated member keeps answering eventual reads from its frozen state: far behind.
    expect(reads.eventual!.max_staleness_entries).toBeGreaterThan(reads.strong!.max_staleness_entries);
    expect(reads.session!.refused).toBeGreaterThan(0);
  });

  it('bounded_staleness reads stay within max_staleness (1 s) through flapping links; eventual ones do not', () => {
    // Contact with the leader alone let a follower far behind answer: 9504.72 ms stale here before it also had to
    // have applied the leader's commit index. (The bound stretches by message delay: at seed 1 the worst, 2.73 s,
    // comes while every link's latency is 20 times higher.)
    const reads = run('scenarios/raft-flapping.yml', 42).result.summary.raft!.reads;
    expect(reads.bounded_staleness!.max_staleness_ms!).toBeLessThan(1000);
    expect(reads.eventual!.max_staleness_ms!).toBeGreaterThan(1000);
  });

  it('liveness holds members to writes acknowledged at least `settle` before the end, and only to those, however many were acknowledged', async () => {
    const { RaftChecker } = await import('../../src/check/index.js');
    const { tinyWorld } = await import('../world/helpers.js');
    const verdict = (settle: number) => {
      const w = tinyWorld();
      const checker = new RaftChecker(w.world.truth, [0, 1, 2], settle);
      const at = (t: number, e: TelemetryEvent) => w.world.sim.at(t, (x: TelemetryEvent) => checker.observe(x), e);
      at(0, { kind: 'raft_role', node: 0, term: 1, role: 'leader' });
      // A write a millisecond, indexes 1..1000, each committed and acknowledged; node 1 applies up to 400, node 2 up to 990.
      for (let i = 1; i <= 1000; i++) {
        const t = i * 1000;
        at(t, { kind: 'raft_write', node: 3, id: `w${i}`, key: 'k', phase: 'sent', latency: 0, index: 0 });
        at(t, { kind: 'raft_log', node: 0, index: i, term: 1, id: `w${i}`, prevTerm: i === 1 ? 0 : 1 });
        at(t, { kind: 'raft_persisted', node: 0, index: i });
        for (const m of [1, 2]) {
          at(t, { kind: 'raft_log', node: m, index: i, term: 1, id: `w${i}`, prevTerm: i === 1 ? 0 : 1 });
          at(t, { kind: 'raft_persisted', node: m, index: i });
        }
        at(t, { kind: 'raft_commit', node: 0, index: i, term: 1 });
        at(t, { kind: 'raft_applied', node: 0, index: i, term: 1, id: `w${i}` });
        if (i <= 400) at(t, { kind: 'raft_applied', node: 1, index: i, term: 1, id: `w${i}` });
        if (i <= 990) at(t, { kind: 'raft_applied', node: 2, index: i, term: 1, id: `w${i}` });
        at(t, { kind: 'raft_write', node: 3, id: `w${i}`, key: 'k', phase: 'acked', latency: 0, index: i });
      }
      w.world.sim.run(1_000_000);
      checker.finish(true);
      return checker.results().find((r) => r.name === 'raft_liveness')!;
    };
    // Ending at 1 s: with 20 ms to settle, writes up to index 980 are owed; node 1 is behind, node 2 is not.
    expect(verdict(20_000)).toMatchObject({ held: false, violations: 1 });
    expect(verdict(20_000).first!.detail).toBe('r1-1 applied up to 400, writes acknowledged more than 0.02s before the end reach 980');
    // With 700 ms to settle, only writes up to index 300 are owed: both have them.
    expect(verdict(700_000)).toMatchObject({ held: true });
  });

  it('the checker flags a strong read older than a write acknowledged before it was sent, and writes out of real-time order', async () => {
    const { RaftChecker } = await import('../../src/check/index.js');
    const { tinyWorld } = await import('../world/helpers.js');
    const w = tinyWorld();
    const checker = new RaftChecker(w.world.truth, [0], 0);
    const emit = (e: TelemetryEvent) => checker.observe(e);
    const at = (t: number, e: TelemetryEvent) => w.world.sim.at(t, emit, e);
    at(0, { kind: 'raft_role', node: 0, term: 1, role: 'leader' });
    at(1, { kind: 'raft_write', node: 3, id: 'w0', key: 'k', phase: 'sent', latency: 0, index: 0 });
    at(1, { kind: 'raft_write', node: 3, id: 'w1', key: 'k', phase: 'sent', latency: 0, index: 0 });
    for (let i = 1; i <= 8; i++) at(2, { kind: 'raft_log', node: 0, index: i, term: 1, id: `e${i}`, prevTerm: i === 1 ? 0 : 1 });
    at(2, { kind: 'raft_log', node: 0, index: 9, term: 1, id: 'w0', prevTerm: 1 });
    at(2, { kind: 'raft_log', node: 0, index: 10, term: 1, id: 'w1', prevTerm: 1 });
    at(2, { kind: 'raft_persisted', node: 0, index: 10 });
    at(3, { kind: 'raft_commit', node: 0, index: 10, term: 1 });
    at(3, { kind: 'raft_applied', node: 0, index: 9, term: 1, id: 'w0' });
    at(3, { kind: 'raft_applied', node: 0, index: 10, term: 1, id: 'w1' });
    at(4, { kind: 'raft_write', node: 3, id: 'w1', key: 'k', phase: 'acked', latency: 3, index: 10 });
    // Sent after w1 was acknowledged, answered with w0's value: stale.
    at(5, { kind: 'raft_read', node: 3, id: 'r1', key: 'k', level: 'strong', phase: 'sent', ok: false, index: 0, writeId: '', reason: '', latency: 0 });
    at(6, { kind: 'raft_read', node: 3, id: 'r1', key: 'k', level: 'strong', phase: 'done', ok: true, index: 9, writeId: 'w0', reason: '', latency: 1 });
    // Eventual reads may be stale: not checked.
    at(5, { kind: 'raft_read', node: 3, id: 'r2', key: 'k', level: 'eventual', phase: 'sent', ok: false, index: 0, writeId: '', reason: '', latency: 0 });
    at(6, { kind: 'raft_read', node: 3, id: 'r2', key: 'k', level: 'eventual', phase: 'done', ok: true, index: 3, writeId: '', reason: '', latency: 1 });
    // A write sent after index 10 was acknowledged, found at index 7: out of real-time order.
    at(7, { kind: 'raft_write', node: 3, id: 'w2', key: 'j', phase: 'sent', latency: 0, index: 0 });
    at(8, { kind: 'raft_applied', node: 0, index: 7, term: 1, id: 'w2' });
    w.world.sim.run(10);
    checker.finish(true);
    const lin = checker.results().find((r) => r.name === 'raft_linearizable')!;
    expect(lin).toMatchObject({ held: false, violations: 1 });
    expect(lin.first!.detail).toBe('key k: read r1 (saw w0 @9) started at 0.000005s, after write w1 (log index 10) had finished at 0.000004s, yet comes before it in the log');
    emit({ kind: 'raft_write', node: 3, id: 'w2', key: 'j', phase: 'acked', latency: 1, index: 7 });
    expect(checker.results().find((r) => r.name === 'raft_writes_in_real_time_order')).toMatchObject({ held: false, violations: 1 });
    // The acknowledgement of w2 names an index the committed log does not hold it at.
    expect(checker.results().find((r) => r.name === 'raft_acked_writes_kept')!.first!.detail).toBe('write w2 acknowledged at index 7, where the committed log holds e7');
  });
});

describe('raft-soak: 7 members, pre-vote and snapshots under random chaos', () => {
  it('every checker holds while members crash (losing unsynced writes), restart from snapshots and catch up by installing the leader\'s', () => {
    let installs = 0;
    let restoredFromSnapshot = 0;
    const r = runScenario(loadScenario('scenarios/raft-soak.yml'), { seed: 42, observe: (_t, e) => {
      if (e.kind === 'raft_snapshot' && e.installed) installs++;
      if (e.kind === 'raft_restored' && e.base > 0) restoredFromSnapshot++;
    } });
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
    expect(r.summary.invariants.map((i) => i.name)).toEqual(expect.arrayContaining(['raft_log_matching', 'raft_leader_completeness', 'raft_linearizable', 'raft_liveness']));
    expect(installs).toBeGreaterThan(0);
    expect(restoredFromSnapshot).toBeGreaterThan(0);
    expect(r.summary.raft!.writes_acked).toBeGreaterThan(14000);
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

  it('migrations commit through Raft: with the source cut off from the group, rebalancing waits for the heal', () => {
    const members = 'aws-west-1, gcp-central-1, gcp-central-2, azure-east-1, azure-east-2';
    const set = [
      `raft.members=[${members}]`, 'raft.client={node: azure-east-3, every: 0}',
      // The source node loses the Raft group (and only it) from 130 s to 190 s, while rebalancing is under way.
      `faults=[{kind: partition, at: 130s, duration: 60s, shape: isolate, node: aws-east-1, among: [aws-east-1, ${members}]}]`,
    ];
    const moves = (catalog: string) => {
      const at: number[] = [];
      const r = runScenario(loadScenario('scenarios/rebalance.yml', { set: [...set, `pipeline.catalog=${catalog}`] }), { seed: 42, observe: (t, e) => void (e.kind === 'replica_moved' && at.push(t)) });
      return { r, inCut: at.filter((t) => t > s(130) && t < s(190)).length, first: at[0]! };
    };
    const local = moves('local');
    const raft = moves('raft');
    expect(local.inCut).toBeGreaterThan(0);
    expect(raft.inCut).toBe(0);
    expect(raft.first).toBeGreaterThan(s(190));
    expect(raft.r.summary.rebalance!.moves).toBeGreaterThan(0);
    // Every acknowledged chunk and every migration is a committed catalog write.
    expect(raft.r.summary.raft!.writes_acked).toBeGreaterThanOrEqual(200 + raft.r.summary.rebalance!.moves);
    expect(raft.r.ok).toBe(true);
  });

  // Found in review: copies that waited for the catalog while their node died were counted anyway.
  it('a node lost while its new copy waits for the catalog commit is not counted (repairs, moves, acknowledgements)', () => {
    const members = 'aws-west-1, gcp-central-1, gcp-central-2, azure-east-1, azure-east-2';
    const move = runScenario(loadScenario('scenarios/rebalance.yml', { set: [
      `raft.members=[${members}]`, 'raft.client={node: azure-east-3, every: 0}', 'pipeline.catalog=raft',
      // gcp-central-3 is the target of a verified move waiting for the commit when it is lost.
      `faults=[{kind: partition, at: 130s, duration: 60s, shape: isolate, node: aws-east-1, among: [aws-east-1, ${members}]}, {kind: node_loss, at: 150s, node: gcp-central-3}]`,
    ] }), { seed: 42 });
    expect(move.summary.invariants.filter((i) => !i.held)).toEqual([]);
    expect(move.summary.durability.under_replicated_at_end).toBe(0);
    const repair = runScenario(loadScenario('scenarios/raft-catalog-partition.yml', { set: [
      // Repairs onto aws-west-1 wait for a commit the partition holds up; aws-west-1 is lost meanwhile.
      'faults=[{kind: partition, at: 15s, duration: 90s, groups: [[aws],[gcp,azure]]}, {kind: node_loss, at: 40s, node: aws-east-2}, {kind: node_loss, at: 62s, node: aws-west-1}]',
    ] }), { seed: 42 });
    expect(repair.summary.invariants.filter((i) => !i.held)).toEqual([]);
    expect(repair.summary.durability.under_replicated_at_end).toBe(0);
    expect(repair.summary.pipeline.chunks_acked).toBe(100);
  });

  it('a dedicated log device keeps Raft from queuing behind bulk data', () => {
    const shared = runScenario(loadScenario('scenarios/raft-catalog-partition.yml'), { seed: 42 }).summary.raft!;
    const dedicated = runScenario(loadScenario('scenarios/raft-catalog-partition.yml', { set: ['raft.log_device=dedicated'] }), { seed: 42 }).summary.raft!;
    // Sharing the disk with replicas, elections time out before any fault: 5 elections against 2.
    expect(shared.elections).toBe(5);
    expect(dedicated.elections).toBe(2);
    expect(dedicated.write_availability).toBeGreaterThan(shared.write_availability);
    // Document 001's bar with 1 GB of pipeline data on the same nodes: missed when shared, met when dedicated.
    const bar = (device: string) => runScenario(loadScenario('scenarios/raft-leader-crash.yml', { set: ['pipeline.dataset.size=1GB', `raft.log_device=${device}`] }), { seed: 42 }).summary.raft!.write_availability;
    expect(bar('shared')).toBeLessThan(0.999);
    expect(bar('dedicated')).toBeGreaterThan(0.999);
  });

  it('a raft catalog without a raft group is an input error', async () => {
    const { loadScenarioFromText } = await import('../../src/run/index.js');
    expect(() => loadScenarioFromText('x.yml', 'pipeline:\n  catalog: raft\n')).toThrow(/pipeline\.catalog: "raft" needs a raft group/);
  });
});

describe('leader losses by cause', () => {
  it('a crashed leader is a crash, counted in leader_loss_after_crash; an isolated one is cut off, and not counted there', () => {
    const crash = runScenario(loadScenario('scenarios/raft-leader-crash.yml'), { seed: 42 }).summary.raft!;
    expect(crash.leader_losses).toEqual([{ at_s: 30, leader: 'aws-central-1', cause: 'crash', new_leader_after_s: 0.232825 }]);
    expect(crash.leader_loss_after_crash).toEqual({ losses: 1, recovered: 1, p50_s: 0.232825, max_s: 0.232825 });
    const cut = runScenario(loadScenario('scenarios/raft-partition.yml'), { seed: 1 }).summary.raft!;
    expect(cut.leader_losses[0]).toMatchObject({ at_s: 30, leader: 'aws-west-1', cause: 'cut_off' });
    expect(cut.leader_loss_after_crash).toEqual({ losses: 0, recovered: 0, p50_s: null, max_s: null });
  });

  it('a paused leader is a pause', () => {
    const r = runScenario(loadScenario('scenarios/raft-leader-crash.yml', { set: ['faults=[{"kind":"node_pause","at":"30s","node":"@raft-leader","duration":"10s"}]'] }), { seed: 42 }).summary.raft!;
    expect(r.leader_losses[0]).toMatchObject({ at_s: 30, cause: 'pause' });
  });
});

describe('role targets', () => {
  it('a fault aimed at "@raft-leader" while nobody leads waits for the first leader, recorded, then strikes it', () => {
    const r = runScenario(loadScenario('scenarios/raft-leader-crash.yml', { set: ['faults.0.at=0s'] }), { seed: 42 });
    const rows = r.files['faults.csv']!.trim().split('\n').slice(1);
    expect(rows[0]).toBe('0,0,node_crash,waiting,@raft-leader (no node is @raft-leader now; it strikes when one is)');
    // The fault looks every 10 ms from 0 s: it strikes the first leader at the first look after its election.
    expect(rows[1]).toBe('0.18,0,node_crash,start,@raft-leader (@raft-leader=aws-central-1)');
    expect(rows[2]).toBe('20.18,0,node_crash,end,@raft-leader (@raft-leader=aws-central-1)');
    expect(r.summary.raft!.leader_losses[0]).toMatchObject({ at_s: 0.18, leader: 'aws-central-1' });
    expect(r.summary.invariants.filter((i) => !i.held)).toEqual([]);
  });
});

describe('a planted defect: a leader that commits one member short of a majority', () => {
  // Without raft_commit_on_majority, none of the other checkers sees a loss in these five runs at seed 42 (with exact timers, raft-flapping's partitions turned it into one).
  it.each(['raft-leader-crash', 'raft-partition', 'raft-flapping', 'raft-catalog-partition', 'raft-soak'])('is caught in %s, and the same run without it holds', (name) => {
    const loaded = loadScenario(`scenarios/${name}.yml`, { set: name === 'raft-soak' ? ['duration=3m'] : [], allowLateFaults: true });
    const verdict = (defects: RaftDefect[]) => runScenario(loaded, { seed: 42, defects }).summary.invariants.find((i) => i.name === 'raft_commit_on_majority')!;
    const caught = verdict(['commit_short_of_majority']);
    expect(caught.held).toBe(false);
    expect(caught.first!.detail).toMatch(/committed index \d+ \(term \d+\) held on disk by \d of [357] members/);
    expect(verdict([]).held).toBe(true);
  });
});
