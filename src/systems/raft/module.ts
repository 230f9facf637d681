import { RaftChecker } from '../../check/raft-checker.js';
import { ConsensusCollector } from '../../metrics/consensus.js';
import type { SystemModule } from '../../modules/system-module.js';
import { AppliedPagePool } from './applied-ids.js';
import { bootRaft } from './boot.js';
import { RAFT_DEFECTS, type RaftClientOptions, type RaftDefect, type RaftOptions } from './options.js';
import { raftBlock, type RaftBlock } from './scenario-block.js';

export interface RaftSettings { group: RaftOptions; client: RaftClientOptions }

/** The fault target that names whichever node leads the Raft group when the fault strikes. */
export const RAFT_LEADER = '@raft-leader';
/** The fault target that names the Raft client's node (where the operator's membership tool runs). */
export const RAFT_CLIENT = '@raft-client';

/** Nodes the scenario's faults add to the group, in the order they appear, each once. */
function joinersOf(faults: ReadonlyArray<{ kind: string; node?: string }>, members: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of faults) if (f.kind === 'raft_add_member' && f.node && !members.includes(f.node) && !out.includes(f.node)) out.push(f.node);
  return out;
}

/**
 * A Raft group for metadata (documents 001 and 002) and its client workload,
 * when the scenario has a `raft:` block. Its observers write consensus.csv
 * and the `raft` section (elections, commit latency, write availability
 * judged from ground truth) and check Raft's safety and liveness; they also
 * say who leads now, for faults aimed at `@raft-leader`.
 */
export const raftModule: SystemModule<RaftSettings, RaftBlock> = {
  name: 'raft',
  block: { key: 'raft', schema: raftBlock },
  defects: RAFT_DEFECTS,
  check({ names, hint }, r) {
    if (!r) return undefined;
    for (const [i, m] of r.members.entries()) {
      if (!names.nodes.includes(m)) return { path: ['raft', 'members', i], message: `no node called "${m}"; ${hint}` };
      if (r.members.indexOf(m) !== i) return { path: ['raft', 'members', i], message: `"${m}" is listed twice` };
    }
    if (!names.nodes.includes(r.client.node)) return { path: ['raft', 'client', 'node'], message: `no node called "${r.client.node}"; ${hint}` };
    if (r.preferred_region !== undefined && !names.regions.includes(r.preferred_region)) return { path: ['raft', 'preferred_region'], message: `no region called "${r.preferred_region}"; ${hint}` };
    if (r.election_timeout.min > r.election_timeout.max) return { path: ['raft', 'election_timeout', 'min'], message: 'must not exceed max' };
    return undefined;
  },
  // log_device: dedicated gives each member a second device like its first, for Raft's state.
  topology: (topology, r, scenario) => {
    if (r.log_device !== 'dedicated') return topology;
    const members = [...r.members, ...joinersOf(scenario.faults, r.members)];
    return { ...topology, nodes: topology.nodes.map((n) => (members.includes(n.name) ? { ...n, logDisk: { ...n.disk } } : n)) };
  },
  settings({ index, defects, scenario, topology }, r) {
    if (!r) return undefined;
    const regions = new Map(topology.regions.map((g, i) => [g.name, i]));
    return {
      group: {
        regionOf: topology.nodes.map((n) => regions.get(n.region)!),
        preferredRegion: r.preferred_region === undefined ? -1 : regions.get(r.preferred_region)!,
        members: r.members.map(index),
        joiners: joinersOf(scenario.faults, r.members).map(index),
        changes: scenario.faults.some((f) => f.kind === 'raft_add_member' || f.kind === 'raft_remove_member'),
        electionTimeoutMin: r.election_timeout.min,
        electionTimeoutMax: r.election_timeout.max,
        heartbeatInterval: r.heartbeat,
        maxBatch: r.max_batch,
        maxStaleness: r.max_staleness,
        checkQuorum: r.check_quorum,
        preVote: r.pre_vote,
        snapshotEvery: r.snapshot_every,
        timerNoise: r.timer_noise,
        defects: defects as ReadonlySet<RaftDefect>,
        appliedPages: new AppliedPagePool(),
      },
      client: {
        node: index(r.client.node), every: r.client.every, timeout: r.client.timeout, keys: r.client.keys,
        readEvery: r.client.reads.every, readLevels: r.client.reads.levels, writeLevels: r.client.write_levels,
      },
    };
  },
  boot(node, s) {
    bootRaft(node.rt, s, node.telemetry);
  },
  roles: { [RAFT_LEADER]: 'a raft group', [RAFT_CLIENT]: 'a raft group' },
  observe(run, s) {
    const { truth, bucket } = run;
    const consensus = new ConsensusCollector(truth, bucket, s.group.members);
    // Followers learn of a commit with the next heartbeat or append; ten heartbeats is ample.
    const checker = new RaftChecker(truth, s.group.members, 10 * s.group.heartbeatInterval, { answerWindow: s.client.timeout, keptEntries: s.group.snapshotEvery });
    const leader = (): number => consensus.leadership.currentLeader();
    return {
      observe: (e) => {
        consensus.observe(e);
        checker.observe(e);
      },
      sample: () => consensus.sample(),
      afterFault: () => consensus.leadership.recheck(),
      finish: () => {
        checker.finish(leader() >= 0);
        consensus.finish();
      },
      files: (): Record<string, string> => {
        const csv = consensus.toCsv();
        return csv === undefined ? {} : { 'consensus.csv': csv };
      },
      summary: () => {
        const raft = consensus.summary(run.horizon);
        return raft ? { raft } : {};
      },
      invariants: () => checker.results(),
      // Resolved when the fault strikes, by asking who leads now (as a Jepsen nemesis would).
      holders: (role) => (role === RAFT_CLIENT ? [s.client.node] : leader() >= 0 ? [leader()] : []),
    };
  },
  terminal(s) {
    if (!s.raft) return [];
    const r = s.raft;
    const losses = r.leader_losses.map((l) => `${l.leader} lost at ${l.at_s}s, ${l.new_leader_after_s === null ? 'no new leader by the end' : `new leader after ${l.new_leader_after_s}s`}`);
    return [`raft: ${r.elections} elections, ${r.writes_acked}/${r.writes_sent} writes acknowledged, p95 commit ${r.p95_commit_ms ?? '-'} ms, write availability ${r.write_availability}` +
      (losses.length > 0 ? `; ${losses.slice(0, 3).join('; ')}${losses.length > 3 ? `; … ${losses.length - 3} more` : ''}` : '')];
  },
  metrics: {
    raft_elections: (s) => s.raft?.elections ?? null,
    raft_writes_acked: (s) => s.raft?.writes_acked ?? null,
    p50_commit_ms: (s) => s.raft?.p50_commit_ms ?? null,
    p95_commit_ms: (s) => s.raft?.p95_commit_ms ?? null,
    p99_commit_ms: (s) => s.raft?.p99_commit_ms ?? null,
    max_leaderless_s: (s) => s.raft?.max_leaderless_s ?? null,
    raft_recovery_after_crash_max_s: (s) => s.raft?.leader_loss_after_crash.max_s ?? null,
    write_availability: (s) => s.raft?.write_availability ?? null,
    raft_members_at_end: (s) => s.raft?.final_members?.length ?? null,
    raft_logs_repaired: (s) => (s.raft?.log_repairs ? s.raft.log_repairs.filter((r) => r.repaired_after_s !== null).length : null),
    raft_changes_done: (s) => (s.raft?.membership_changes ? s.raft.membership_changes.filter((c) => c.done_after_s !== null).length : null),
  },
};
