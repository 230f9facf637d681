import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import { InvariantSet, type InvariantResult } from './invariant.js';
import { F64Column, I32Column } from '../kernel/columns.js';
import { OpIds } from './op-ids.js';
import { RaftLogs } from './raft-logs.js';
import { RegisterHistory } from './register-history.js';
import { SessionGuarantees } from './session-guarantees.js';

/**
 * Raft's safety properties, checked from what members and clients report, as
 * it happens, and liveness at the end:
 * - election safety: at most one leader per term;
 * - log matching, leader completeness, acknowledged writes kept (RaftLogs);
 * - state machine safety: no two members apply different entries at one index;
 * - writes in real-time order: a write sent after another was acknowledged
 *   sits later in the log;
 * - linearizability: every key, with its writes and strong reads, behaves as
 *   one register (checkRegisters' verdicts, found as the run goes, what is
 *   settled dropped: RegisterHistory);
 * - liveness: a leader at the end of the run, and every member that is up has
 *   applied every acknowledged write;
 * - configurations: a commit needs a majority of the configuration in force
 *   on the committing leader, and each configuration a member takes keeps
 *   the majorities of the one before it overlapping (what single-server
 *   changes guarantee, and two servers at once break).
 */
export class RaftChecker {
  // Declared in the order summary.json reports them.
  private readonly invariants = new InvariantSet();
  private readonly election = this.invariants.declare('raft_one_leader_per_term', 'at most one leader per term');
  private readonly matching = this.invariants.declare('raft_log_matching', 'entries with the same index and term hold the same command, after the same history');
  private readonly completeness = this.invariants.declare('raft_leader_completeness', "every leader's log holds every entry committed before it was elected; committed entries never change");
  private readonly quorum = this.invariants.declare('raft_commit_on_majority', 'an entry is committed only once a majority of the members hold it on disk');
  private readonly stateMachine = this.invariants.declare('raft_state_machine_safety', 'no two members apply different entries at the same index');
  private readonly durable = this.invariants.declare('raft_acked_writes_kept', 'every acknowledged write is the committed entry at its index, to the end of the run');
  private readonly realTime = this.invariants.declare('raft_writes_in_real_time_order', 'a write sent after another was acknowledged comes later in the log');
  private readonly linearizable = this.invariants.declare('raft_linearizable', 'per key, writes and strong reads form a linearizable register history');
  private readonly session = new SessionGuarantees(this.invariants.declare('raft_session_guarantees', "a session read reflects the client's own acknowledged writes and never goes back before its earlier session reads (per key)"));
  private readonly overlap = this.invariants.declare('raft_config_quorums_overlap', 'every configuration a member takes has majorities that overlap those of the configuration before it (one server at a time)');
  private readonly liveness = this.invariants.declare('raft_liveness', 'after the run, a leader exists and every live member has applied every acknowledged write');
  private readonly logs: RaftLogs;
  /** For writes in flight: the highest acknowledged index when each was first sent. */
  private readonly writeFloor = new Map<string, number>();
  private highestAcked = 0;
  private readonly leaders = new Map<number, number>();
  /**
   * Operation ids as numbers: what follows is kept for every write of the
   * run, so it is kept in columns of numbers (a client writing 10 times a
   * second made some 200 MiB a simulated day of objects and strings).
   */
  private readonly ids = new OpIds();
  /** By log index: the first entry any member applied there (its id's code, -1: none yet), and who applied it. */
  private readonly appliedId = new F64Column(-1);
  private readonly appliedBy = new I32Column();
  private readonly lastApplied = new Map<number, number>();
  /**
   * For liveness at the end: the highest index acknowledged at least `settle`
   * before the end. Acks come in time order and the end is no earlier than
   * the latest, so an ack more than `settle` older than the latest is settled
   * whatever the end: it is folded into `settledUpTo`, and only the last
   * `settle`'s acks are kept (a handful), not every ack of the run.
   */
  private settledUpTo = 0;
  private readonly recentAcks: Array<{ at: SimTime; index: number }> = [];
  /** The register history: every write sent, and every strong read answered. */
  private readonly history = new RegisterHistory(this.ids);
  private readonly readsSent = new Map<string, SimTime>();
  private active = false;
  /** Per member, how far its log is durable, as it reported (clamped when it rewrites an entry at or below). */
  private readonly durableUpTo = new Map<number, number>();
  /** Per member, the configurations in its log (index, voters), oldest first; before the first, `base` (its snapshot's, or the initial one). */
  private readonly configs = new Map<number, { base: readonly number[]; entries: Array<{ index: number; voters: readonly number[] }> }>();
  /** The latest configuration some leader committed: whom liveness expects at the end. */
  private committedConfig: { index: number; voters: readonly number[] };
  private readonly answerWindow: SimTime;
  private readonly keptEntries: number;
  /**
   * Where each member's log starts (its snapshot stands for what is
   * below). A member writes only entries a leader's log holds, and applies
   * only above its snapshot, so below the lowest start (`floor`) nothing is
   * written again: what was kept there to check later writes and
   * applications is dropped, and memory stays flat however long the run.
   */
  private readonly logBase = new Map<number, number>();
  private floor = 0;

  /**
   * `members`: the group's initial configuration (a commit needs more than
   * half of the configuration in force). `settle`: writes acknowledged
   * within this of the end may still be on their way to the followers, and
   * are not held against them by liveness. `answerWindow`: a strong read
   * not answered within this of being sent never is (the client's timeout),
   * so the register history can settle what came before the oldest read
   * still in flight. `keptEntries`: how many entries a member's log keeps
   * before its latest snapshot (`snapshot_every`), so the checker knows
   * where each log starts.
   */
  constructor(private readonly truth: GroundTruth, private readonly members: readonly number[], private readonly settle: SimTime, options: { answerWindow?: SimTime; keptEntries?: number } = {}) {
    this.answerWindow = options.answerWindow ?? Infinity;
    this.keptEntries = options.keptEntries ?? 0;
    for (const m of members) this.logBase.set(m, 0);
    this.committedConfig = { index: 0, voters: members };
    this.logs = new RaftLogs((n) => this.truth.nodeName(n), { matching: this.matching, completeness: this.completeness, durable: this.durable }, this.ids);
  }

  /** The log index where write `id` first took effect, -1 if none yet. */
  private appliedAt(id: string): number {
    return this.history.positionOf(id);
  }

  private configsOf(member: number) {
    let c = this.configs.get(member);
    if (!c) this.configs.set(member, (c = { base: this.members, entries: [] }));
    return c;
  }

  /** The configuration in force on `member`: the latest in its log. */
  private inForce(member: number): readonly number[] {
    const c = this.configsOf(member);
    return c.entries.at(-1)?.voters ?? c.base;
  }

  /** `member` wrote an entry at `index` (a configuration, if `voters`): later ones are gone; a new configuration must overlap the one before. */
  private configWritten(now: SimTime, member: number, index: number, voters: readonly number[] | undefined): void {
    const c = this.configsOf(member);
    while (c.entries.length > 0 && c.entries.at(-1)!.index >= index) c.entries.pop();
    if (!voters) return;
    const before = this.inForce(member);
    if (!majoritiesOverlap(before, voters)) {
      const names = (v: readonly number[]) => v.map((m) => this.truth.nodeName(m)).join(', ');
      this.overlap.violated(now, `${this.truth.nodeName(member)} went from [${names(before)}] to [${names(voters)}] at index ${index}: a majority of each can be disjoint`);
    }
    c.entries.push({ index, voters });
  }

  /** The leader's entry at `index` must be on the disks of a majority (the leader's own counted) when it commits it. */
  private checkQuorum(now: SimTime, leader: number, index: number, term: number): void {
    const entry = this.logs.entryAt(leader, index);
    if (entry === undefined) return;
    const voters = this.inForce(leader);
    const holders = voters.filter((m) => {
      const theirs = this.logs.entryAt(m, index);
      return (this.durableUpTo.get(m) ?? 0) >= index && theirs !== undefined && theirs.term === entry.term && theirs.code === entry.code;
    });
    const latest = this.configsOf(leader).entries.at(-1);
    if (latest && latest.index <= index && latest.index > this.committedConfig.index) this.committedConfig = latest;
    if (holders.length * 2 > voters.length) return;
    const names = holders.map((m) => this.truth.nodeName(m)).join(', ') || 'none';
    this.quorum.violated(now, `${this.truth.nodeName(leader)} committed index ${index} (term ${term}) held on disk by ${holders.length} of ${voters.length} members (${names})`);
  }

  observe(e: TelemetryEvent): void {
    const now = this.truth.now;
    switch (e.kind) {
      case 'raft_role': {
        this.active = true;
        if (e.role !== 'leader') return;
        const other = this.leaders.get(e.term);
        if (other !== undefined && other !== e.node) this.election.violated(now, `term ${e.term} has two leaders: ${this.truth.nodes[other]!.name} and ${this.truth.nodes[e.node]!.name}`);
        this.leaders.set(e.term, e.node);
        return this.logs.electedLeader(now, e.node, e.term);
      }
      case 'raft_log':
        // An entry rewritten in memory is not on disk until the member persists again.
        if ((this.durableUpTo.get(e.node) ?? 0) >= e.index) this.durableUpTo.set(e.node, e.index - 1);
        this.configWritten(now, e.node, e.index, e.config);
        return this.logs.written(now, e.node, e.index, e.term, e.id, e.prevTerm);
      case 'raft_persisted':
        this.durableUpTo.set(e.node, e.index);
        return;
      case 'raft_restored':
        this.logStarts(e.node, e.base);
        this.durableUpTo.set(e.node, e.base + e.entries.length);
        // A restarted member has applied its snapshot only; liveness must see it catch up again.
        this.lastApplied.set(e.node, e.base);
        this.configs.set(e.node, {
          base: e.baseConfig,
          entries: e.entries.flatMap((x, i) => (x.config ? [{ index: e.base + 1 + i, voters: x.config }] : [])),
        });
        return this.logs.restored(e.node, e.base, e.entries);
      case 'raft_snapshot':
        // A member's own snapshot keeps `keptEntries` entries before it in the log; a leader's replaces the log up to it.
        if (!e.installed) return this.keptEntries > 0 ? this.logStarts(e.node, Math.max(this.logBase.get(e.node) ?? 0, e.index - this.keptEntries)) : undefined;
        this.logStarts(e.node, e.index);
        {
          // The snapshot stands for everything up to its index, its configuration included.
          const c = this.configsOf(e.node);
          c.entries = c.entries.filter((x) => x.index > e.index);
          c.base = e.config;
        }
        this.logs.installed(e.node, e.index, e.term);
        this.lastApplied.set(e.node, Math.max(this.lastApplied.get(e.node) ?? 0, e.index));
        return;
      case 'raft_commit':
        this.checkQuorum(now, e.node, e.index, e.term);
        return this.logs.committedUpTo(now, e.node, e.index);
      case 'raft_applied': {
        const code = this.ids.code(e.id);
        if (e.index <= this.floor) {
          // Settled (see logStarts): a member whose snapshot on disk was older than its log's start re-applies what is committed there.
          const c = this.logs.committedAt(e.index);
          if (c && c.code !== code) this.stateMachine.violated(now, `index ${e.index}: ${this.truth.nodes[e.node]!.name} applied ${e.id}, where ${this.ids.id(c.code)} is committed`);
        } else {
          const before = this.appliedId.get(e.index);
          if (before !== -1 && before !== code) {
            this.stateMachine.violated(now, `index ${e.index}: ${this.truth.nodes[this.appliedBy.get(e.index)]!.name} applied ${this.ids.id(before)}, ${this.truth.nodes[e.node]!.name} applied ${e.id}`);
          }
          if (before === -1) {
            this.appliedId.set(e.index, code);
            this.appliedBy.set(e.index, e.node);
          }
        }
        this.history.appliedCode(code, e.index);
        this.lastApplied.set(e.node, e.index);
        return;
      }
      case 'raft_write':
        if (e.phase === 'sent') {
          if (!this.writeFloor.has(e.id)) this.writeFloor.set(e.id, this.highestAcked);
          return this.history.sent(e.id, e.key, now, Math.max(0, this.appliedAt(e.id)));
        }
        const at = this.appliedAt(e.id);
        if ((at < 0 ? Infinity : at) <= (this.writeFloor.get(e.id) ?? 0)) {
          this.realTime.violated(now, `write ${e.id} is at index ${at}, before index ${this.writeFloor.get(e.id)} acknowledged before it was sent`);
        }
        this.writeFloor.delete(e.id);
        // Below strong an acknowledgement promises no commit (document 001's weaker write quorums): it is measured
        // (the raft section's write_levels), not held to the promises of committed writes.
        if (e.level !== undefined && e.level !== 'strong') return;
        this.logs.acknowledged(now, e.id, e.index);
        this.session.acknowledged(e.node, e.key, at < 0 ? e.index : at);
        this.recentAcks.push({ at: now, index: e.index });
        while (this.recentAcks[0]!.at < now - this.settle) this.settledUpTo = Math.max(this.settledUpTo, this.recentAcks.shift()!.index);
        this.highestAcked = Math.max(this.highestAcked, e.index);
        this.history.acknowledged(e.id, now);
        return this.settleHistory(now);
      case 'raft_read':
        if (e.level === 'session') {
          if (e.phase === 'sent') return this.session.sent(e.id, e.node, e.key);
          if (!e.ok) return this.session.dropped(e.id);
          return this.session.answered(now, e.id, e.writeId ? Math.max(0, this.appliedAt(e.writeId)) : 0, e.writeId);
        }
        if (e.level !== 'strong') return;
        if (e.phase === 'sent') return void this.readsSent.set(e.id, now);
        if (e.ok) this.history.read(e.id, e.key, this.readsSent.get(e.id) ?? now, now, e.writeId);
        this.readsSent.delete(e.id);
        return this.settleHistory(now);
      default:
        return;
    }
  }

  /** `member`'s log now starts after `base`: the floor rises to the lowest start, never above the committed log. */
  private logStarts(member: number, base: number): void {
    this.logBase.set(member, base);
    let floor = this.logs.committedContiguous;
    for (const b of this.logBase.values()) floor = Math.min(floor, b);
    if (floor <= this.floor) return;
    this.floor = floor;
    this.logs.settle(floor);
    this.appliedId.forget(floor + 1);
    this.appliedBy.forget(floor + 1);
  }

  /** Lets the register history judge and drop what is settled, now and then: nothing recorded from now on started before the oldest strong read that can still be answered. */
  private settleHistory(now: SimTime): void {
    if (!this.history.due) return;
    let horizon = now;
    for (const [id, sent] of this.readsSent) {
      if (sent < now - this.answerWindow) this.readsSent.delete(id);
      else horizon = Math.min(horizon, sent);
    }
    this.history.settle(horizon);
  }

  /** Checks at the end of the run; `leaderUp` says whether a live leader exists now. */
  finish(leaderUp: boolean): void {
    if (!this.active) return;
    // Liveness is owed by the members of the latest committed configuration.
    const members = this.committedConfig.voters;
    const now = this.truth.now;
    const registers = this.history.check();
    if (registers.first) this.linearizable.violatedTimes(registers.violations, registers.first.time, registers.first.detail);
    if (!leaderUp) this.liveness.violated(now, 'no leader at the end of the run');
    const settle = this.settle;
    let settled = this.settledUpTo;
    for (const a of this.recentAcks) if (a.at <= now - settle) settled = Math.max(settled, a.index);
    for (const m of members) {
      if (!this.truth.nodes[m]!.up) continue;
      if ((this.lastApplied.get(m) ?? 0) < settled) {
        this.liveness.violated(now, `${this.truth.nodes[m]!.name} applied up to ${this.lastApplied.get(m) ?? 0}, writes acknowledged more than ${settle / 1e6}s before the end reach ${settled}`);
      }
    }
  }

  results(): InvariantResult[] {
    if (!this.active) return [];
    return this.invariants.results();
  }
}

/**
 * Whether every majority of `a` meets every majority of `b`: the largest
 * majority of `a` that avoids `b` as much as it can still takes
 * max(0, qa - |a \ b|) members of `b`, and a majority of `b` can avoid
 * those only if enough of `b` is left.
 */
export function majoritiesOverlap(a: readonly number[], b: readonly number[]): boolean {
  const qa = Math.floor(a.length / 2) + 1;
  const qb = Math.floor(b.length / 2) + 1;
  const aOnly = a.filter((m) => !b.includes(m)).length;
  const forcedIntoB = Math.max(0, qa - aOnly);
  return b.length - forcedIntoB < qb;
}
