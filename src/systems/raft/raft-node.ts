import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime, Port, TimerHandle } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { RaftLog, type Entry } from './log.js';
import { RaftPort, type AppendEntries, type AppendReply, type InstallSnapshot, type PreVote, type PreVoteReply, type Propose, type ProposeReply, type Read, type ReadLevel, type ReadReply, type Reconfigure, type ReconfigureReply, type RequestVote, type VoteReply } from './messages.js';
import type { RaftOptions } from './options.js';
import { KvStateMachine, snapshotBytes, type Snapshot } from './state-machine.js';

type Role = 'follower' | 'candidate' | 'leader';

/** A membership change the leader is carrying out: the learners it is catching up, then the configuration entry it waits to commit. */
interface Change { id: string; from: number; replyPort: Port<ReconfigureReply>; op: 'add' | 'remove'; nodes: number[]; configIndex: number }

/**
 * What a member keeps on its disk: term, vote, its latest snapshot and the log
 * after it (Raft's persistent state). The log is the live array cut at
 * `length` (see RaftLog), and snapshots never change once taken, so storing
 * costs no copying.
 */
interface Persistent { term: number; votedFor: number; snapshot: Snapshot | null; base: number; baseTerm: number; entries: readonly Entry[]; length: number; /** Still repairing a damaged log (kept with the term and vote, so a restart does not forget it). */ repairing?: boolean }

/** Where a member keeps its state, on its log device (a fault corrupting "the Raft log" looks here). */
export const RAFT_STATE_PREFIX = 'raft/';
const STATE_KEY = `${RAFT_STATE_PREFIX}state`;
const BYTES_PER_ENTRY = 64;

/**
 * One Raft member (Ongaro and Ousterhout), on simulated messages and the
 * simulated disk: randomized election timeouts, RequestVote with the
 * up-to-date check, AppendEntries with the consistency check and conflict
 * truncation, commit only of current-term entries (a no-op is appended on
 * election), term fencing of stale leaders. Term, vote and log are written and
 * synced before the member grants a vote, acknowledges entries, or answers a
 * leader after taking its term, so a restarted member comes back with them.
 * (Rejecting a stale term changes nothing and is answered at once.) Log
 * indexes start at 1. With `snapshotEvery`, a member compacts its log into a
 * snapshot of the state machine every so many applied entries, and a leader
 * sends its snapshot to a follower that needs entries it no longer has.
 *
 * Membership changes one server at a time (Ongaro's thesis, chapter 4): a
 * configuration is a log entry, in force on a member as soon as it is in its
 * log; the leader catches a new member up as a learner (replicated to, not
 * counted) before it appends the configuration that adds it, and starts no
 * change while another is uncommitted. Majorities are always of the
 * configuration in force; a member outside it never campaigns.
 *
 * Log integrity (document 001's checksum per entry): a member that reads
 * back a state whose checksum fails verifies its entries, keeps those before
 * the first damaged one, and repairs the rest from a leader; until it holds
 * everything a leader of the current term has committed in that term, it
 * neither votes nor campaigns (a member that forgot committed entries must
 * not help elect a leader that lacks them). Term and vote are kept twice and
 * survive; the snapshot has its own checksum.
 */
export class RaftNode {
  private role: Role = 'follower';
  private term = 0;
  private votedFor = -1;
  private log = new RaftLog();
  private snapshot: Snapshot | null = null;
  private commitIndex = 0;
  private lastApplied = 0;
  private leader = -1;
  private votes = new Set<number>();
  /** During a pre-vote round: who said yes (null: no round under way). */
  private preVotes: Set<number> | null = null;
  private nextIndex = new Map<number, number>();
  private matchIndex = new Map<number, number>();
  private electionTimer: TimerHandle | -1 = -1;
  private heartbeatTimer: TimerHandle | -1 = -1;
  private readonly rng: Rng;
  /** Draws for timer noise: a stream of their own, so noise on or off leaves the election draws (stream `raft`) as they were. */
  private readonly timerRng: Rng;
  /** The voting members in force (the latest configuration in the log, else the snapshot's, else the initial one), and its log index. */
  private voters: readonly number[];
  private configIndex = 0;
  /** Leader only: members being caught up before a configuration adds them, and the change under way. */
  private readonly learners = new Set<number>();
  private change: Change | undefined;
  /** Client writes waiting for their entry to commit: index -> (client, id). */
  private readonly waiting = new Map<number, { client: number; id: string; replyPort: Port<ProposeReply> }>();
  /** Leader only: writes at a level below strong, answered once enough members hold them (document 001's write quorums), by index. */
  private readonly weak = new Map<number, { client: number; id: string; replyPort: Port<ProposeReply>; level: ReadLevel }>();
  /** Persistence: a write in flight, and actions waiting for the next one to be durable. */
  private persisting = false;
  private afterPersist: Array<() => void> = [];
  /** Last log index already written (for the size of the next append) and known durable (for commit). */
  private writtenEntries = 0;
  private durableEntries = 0;
  /** Index of the snapshot last written, so an unchanged one costs no bytes. */
  private writtenSnapshot = 0;
  private sm: KvStateMachine;
  /** Heartbeat rounds: the current one, and the latest each peer echoed in this term. */
  private round = 0;
  private readonly ackRound = new Map<number, number>();
  private readonly lastAckAt = new Map<number, number>();
  private leaderSince = 0;
  /** When a follower last heard from its leader (monotonic), for bounded-staleness reads. */
  private lastLeaderContact = -Infinity;
  /** The leader's commit index as of its latest AppendEntries: a bounded-staleness read needs at least that applied. */
  private leaderCommitSeen = 0;
  /** Set after reading back a damaged log: the member does not vote or campaign until a leader's commit in its own term shows it caught up. */
  private repairing = false;
  /** When this leader last started a transfer to the preferred region (monotonic), and the transfer under way (-1: none). */
  private lastHandOver = -Infinity;
  private transferTo = -1;
  private transferSince = 0;
  private timeoutNowSent = false;
  private repairSince = 0;
  /** Strong reads waiting for a confirmed heartbeat round and their read index to be applied. */
  private pendingReads: Array<{ from: number; req: Read; round: number; readIndex: number }> = [];

  constructor(private readonly rt: NodeRuntime, private readonly opts: RaftOptions, private readonly telemetry: Telemetry) {
    this.sm = new KvStateMachine(undefined, opts.appliedPages);
    this.rng = rt.rng('raft');
    this.timerRng = rt.rng('raft-timer-noise');
    this.voters = opts.members;
    rt.logDisk.read(STATE_KEY, (obj) => {
      const saved = obj?.data as Persistent | undefined;
      if (saved) {
        this.term = saved.term;
        this.votedFor = saved.votedFor;
        let length = saved.length;
        if (obj!.actualChecksum !== obj!.checksum) length = this.damaged(saved);
        else if (saved.repairing) {
          this.repairing = true;
          this.repairSince = rt.monotonic();
        }
        this.log = new RaftLog(saved.base, saved.baseTerm, saved.entries.slice(0, length));
        this.writtenEntries = this.log.lastIndex;
        this.durableEntries = this.log.lastIndex;
        if (saved.snapshot) this.restoreSnapshot(saved.snapshot);
        this.writtenSnapshot = saved.snapshot?.index ?? 0;
        this.recomputeConfig();
      }
      this.telemetry.emit({ kind: 'raft_restored', node: rt.self, base: this.log.base, entries: this.log.copy(), baseConfig: this.snapshot?.config ?? this.opts.members });
      rt.listen(RaftPort.requestVote, (from, req) => this.onRequestVote(from, req));
      rt.listen(RaftPort.voteReply, (from, reply) => this.onVote(from, reply));
      rt.listen(RaftPort.preVote, (from, req) => this.onPreVote(from, req));
      rt.listen(RaftPort.preVoteReply, (from, reply) => this.onPreVoteReply(from, reply));
      rt.listen(RaftPort.appendEntries, (from, req) => this.onAppend(from, req));
      rt.listen(RaftPort.appendReply, (from, reply) => this.onAppendReply(from, reply));
      rt.listen(RaftPort.installSnapshot, (from, req) => this.onInstallSnapshot(from, req));
      rt.listen(RaftPort.propose, (from, req) => this.onPropose(from, req));
      rt.listen(RaftPort.read, (from, req) => this.onRead(from, req));
      rt.listen(RaftPort.reconfigure, (from, req) => this.onReconfigure(from, req));
      rt.listen(RaftPort.timeoutNow, (from, req) => {
        // Only from the leader this member follows, in its term: a stale or forged hand-over changes nothing.
        if (req.term === this.term && from === this.leader && this.role === 'follower' && this.isVoter(this.rt.self) && this.mayVote()) this.startElection();
      });
      this.becomeFollower(this.term, -1);
    });
  }

  /**
   * The stored state fails its checksum: which entries the damage reached is
   * drawn (the object is one opaque blob here), and every entry from the
   * first damaged one fails its own checksum. Returns how many entries after
   * the base are kept.
   */
  private damaged(saved: Persistent): number {
    const kept = saved.length === 0 ? 0 : this.rt.rng('raft-log-damage').int(0, saved.length - 1);
    const lost = saved.length - kept;
    this.repairing = true;
    this.repairSince = this.rt.monotonic();
    this.telemetry.emit({ kind: 'raft_log_damaged', node: this.rt.self, kept: saved.base + kept, lost });
    return kept;
  }

  /** A leader's append brought this member's log up to the leader's commit in the leader's own term: it holds every committed entry again. */
  private maybeRepaired(leaderCommit: number, leaderTerm: number, match: number): void {
    if (!this.repairing || match < leaderCommit || this.termAt(leaderCommit) !== leaderTerm) return;
    this.repairing = false;
    this.telemetry.emit({ kind: 'raft_log_repaired', node: this.rt.self, after: this.rt.monotonic() - this.repairSince });
  }

  /** Whether this member may vote and campaign: not while repairing a damaged log (unless a test plants that bug). */
  private mayVote(): boolean {
    return !this.repairing || this.opts.defects.has('vote_with_damaged_log');
  }

  // --- log helpers -----------------------------------------------------------

  private lastIndex(): number {
    return this.log.lastIndex;
  }

  private termAt(index: number): number {
    return this.log.termAt(index);
  }

  /** Appends to the log, reporting the entry (checkers keep a shadow of every member's log). A configuration entry is in force at once. */
  private append(e: Entry): void {
    this.log.append(e);
    const index = this.lastIndex();
    if (e.config) {
      this.voters = e.config;
      this.configIndex = index;
      this.telemetry.emit({ kind: 'raft_log', node: this.rt.self, index, term: e.term, id: e.id, prevTerm: this.termAt(index - 1), config: e.config });
      return;
    }
    this.telemetry.emit({ kind: 'raft_log', node: this.rt.self, index, term: e.term, id: e.id, prevTerm: this.termAt(index - 1) });
  }

  // --- configuration ---------------------------------------------------------

  /** The configuration in force as of `index`: the latest configuration entry at or before it, else the snapshot's, else the initial one. */
  private configAsOf(index: number): { voters: readonly number[]; at: number } {
    for (let i = Math.min(index, this.lastIndex()); i > this.log.base; i--) {
      const c = this.log.at(i)!.config;
      if (c) return { voters: c, at: i };
    }
    return { voters: this.snapshot?.config ?? this.opts.members, at: this.snapshot?.index ?? 0 };
  }

  /** After the log changed other than by an append (truncation, restart, an installed snapshot). */
  private recomputeConfig(): void {
    const { voters, at } = this.configAsOf(this.lastIndex());
    this.voters = voters;
    this.configIndex = at;
  }

  private isVoter(node: number): boolean {
    return this.voters.includes(node);
  }

  /** The other voting members: whom elections ask. */
  private electorate(): number[] {
    return this.voters.filter((m) => m !== this.rt.self);
  }

  /** Whom a leader replicates to: the other voters and its learners. */
  private targets(): number[] {
    const out = this.electorate();
    for (const l of this.learners) if (!out.includes(l)) out.push(l);
    return out;
  }

  /** More than half of the voting members in force. */
  private isMajority(count: number): boolean {
    return count * 2 > this.voters.length;
  }

  /** The state machine and indexes as of a snapshot (at restart, or installed from the leader). */
  private restoreSnapshot(snap: Snapshot): void {
    this.snapshot = snap;
    this.sm = new KvStateMachine(snap);
    this.commitIndex = Math.max(this.commitIndex, snap.index);
    this.lastApplied = snap.index;
  }

  // --- persistence -----------------------------------------------------------

  /** Writes term, vote and log, syncs, then runs `then`. Requests during a write share the next one. */
  private persist(then: () => void): void {
    this.afterPersist.push(then);
    if (!this.persisting) this.writeState();
  }

  private writeState(): void {
    this.persisting = true;
    const waiting = this.afterPersist;
    this.afterPersist = [];
    const length = this.lastIndex();
    // The content is the live log cut at its length (see Persistent); bytes are what a log append (and a new snapshot) would write.
    const snap = this.snapshot;
    const bytes = 64 + Math.max(0, length - this.writtenEntries) * BYTES_PER_ENTRY + (snap && snap.index !== this.writtenSnapshot ? snapshotBytes(snap) : 0);
    const snapshotBefore = this.writtenSnapshot;
    this.writtenEntries = length;
    this.writtenSnapshot = snap?.index ?? 0;
    this.rt.logDisk.write(STATE_KEY, bytes, this.term, (ok) => {
      if (!ok) {
        // Disk full or failed: nothing is durable, so nothing waiting may act. Try again shortly (charged again in full).
        this.writtenEntries = Math.min(this.writtenEntries, this.durableEntries);
        this.writtenSnapshot = snapshotBefore;
        this.afterPersist = [...waiting, ...this.afterPersist];
        this.rt.setTimer(this.noisy(this.opts.heartbeatInterval), () => this.writeState());
        return;
      }
      this.rt.logDisk.sync(() => {
        this.persisting = false;
        this.durableEntries = Math.min(length, this.lastIndex());
        this.telemetry.emit({ kind: 'raft_persisted', node: this.rt.self, index: this.durableEntries });
        for (const w of waiting) w();
        if (this.afterPersist.length > 0) this.writeState();
      });
    }, { term: this.term, votedFor: this.votedFor, snapshot: snap, ...this.log.stored(), ...(this.repairing ? { repairing: true } : {}) } satisfies Persistent);
  }

  // --- roles -----------------------------------------------------------------

  private setRole(role: Role): void {
    this.role = role;
    this.telemetry.emit({ kind: 'raft_role', node: this.rt.self, term: this.term, role });
  }

  private becomeFollower(term: number, leader: number): void {
    const changed = term !== this.term || this.role !== 'follower';
    if (term > this.term) {
      this.term = term;
      this.votedFor = -1;
    }
    this.leader = leader;
    this.preVotes = null;
    // A change under way dies with the leadership; the operator's tool asks the next leader. So do unanswered weak writes (their writer retries).
    this.change = undefined;
    this.weak.clear();
    this.transferTo = -1;
    this.learners.clear();
    if (this.heartbeatTimer !== -1) this.rt.cancelTimer(this.heartbeatTimer);
    this.heartbeatTimer = -1;
    for (const p of this.pendingReads) this.refuseRead(p.from, p.req, 'not_leader');
    this.pendingReads = [];
    if (changed) this.setRole('follower');
    this.armElection();
  }

  private armElection(): void {
    if (this.electionTimer !== -1) this.rt.cancelTimer(this.electionTimer);
    // Outside the preferred region a member waits a whole `max` longer, so one inside usually campaigns first.
    const outside = this.opts.preferredRegion >= 0 && this.opts.regionOf[this.rt.self] !== this.opts.preferredRegion;
    const timeout = Math.round(this.rng.uniform(this.opts.electionTimeoutMin, this.opts.electionTimeoutMax)) + (outside ? this.opts.electionTimeoutMax : 0);
    this.electionTimer = this.rt.setTimer(this.noisy(timeout), () => this.electionTimeout());
  }

  /** A timer's length as this member's clock and scheduler give it: off by up to timerNoise of it either way. */
  private noisy(delay: number): number {
    const noise = this.opts.timerNoise;
    if (noise === 0) return delay;
    return Math.max(1, Math.round(delay * (1 + this.timerRng.uniform(-noise, noise))));
  }

  /** The election timer fired: campaign, or first ask whether a majority would vote (pre-vote). */
  private electionTimeout(): void {
    this.electionTimer = -1;
    // A member outside the configuration in force (a learner, or removed), or repairing its log, does not campaign.
    if (!this.isVoter(this.rt.self) || !this.mayVote()) return this.armElection();
    if (!this.opts.preVote) return this.startElection();
    this.leader = -1;
    this.preVotes = new Set([this.rt.self]);
    this.armElection();
    const req: PreVote = { term: this.term + 1, lastLogIndex: this.lastIndex(), lastLogTerm: this.termAt(this.lastIndex()) };
    for (const p of this.electorate()) this.rt.send(p, RaftPort.preVote, req);
    this.maybePreVoteWon();
  }

  private onPreVote(from: number, req: PreVote): void {
    // No while this member follows a live leader (or leads): a member cut off must not unseat it.
    const leaderAlive = this.role === 'leader' || (this.leader >= 0 && this.rt.monotonic() - this.lastLeaderContact < this.opts.electionTimeoutMin);
    const upToDate = req.lastLogTerm > this.termAt(this.lastIndex()) || (req.lastLogTerm === this.termAt(this.lastIndex()) && req.lastLogIndex >= this.lastIndex());
    this.rt.send(from, RaftPort.preVoteReply, { term: req.term, current: this.term, granted: req.term > this.term && upToDate && !leaderAlive && this.mayVote() } satisfies PreVoteReply);
  }

  private onPreVoteReply(from: number, reply: PreVoteReply): void {
    // A refusal from a member at a higher term brings this one up to it (as etcd does): otherwise a member
    // whose term fell behind, with the longest log, would ask about a term the others already hold, for ever.
    if (reply.current > this.term) return this.becomeFollower(reply.current, -1);
    if (!this.preVotes || reply.term !== this.term + 1 || !reply.granted) return;
    this.preVotes.add(from);
    this.maybePreVoteWon();
  }

  private maybePreVoteWon(): void {
    if (!this.preVotes || !this.isMajority([...this.preVotes].filter((v) => this.isVoter(v)).length)) return;
    this.preVotes = null;
    this.startElection();
  }

  private startElection(): void {
    if (this.electionTimer !== -1) this.rt.cancelTimer(this.electionTimer);
    this.electionTimer = -1;
    this.preVotes = null;
    this.term++;
    this.votedFor = this.rt.self;
    this.leader = -1;
    this.votes = new Set([this.rt.self]);
    this.setRole('candidate');
    this.armElection();
    const term = this.term;
    this.persist(() => {
      if (this.term !== term || this.role !== 'candidate') return;
      const req: RequestVote = { term, lastLogIndex: this.lastIndex(), lastLogTerm: this.termAt(this.lastIndex()) };
      for (const p of this.electorate()) this.rt.send(p, RaftPort.requestVote, req);
      this.maybeWin();
    });
  }

  private onRequestVote(from: number, req: RequestVote): void {
    if (req.term > this.term) this.becomeFollower(req.term, -1);
    const upToDate = this.opts.defects.has('vote_without_log_check') || req.lastLogTerm > this.termAt(this.lastIndex()) || (req.lastLogTerm === this.termAt(this.lastIndex()) && req.lastLogIndex >= this.lastIndex());
    const free = this.votedFor === -1 || this.votedFor === from || this.opts.defects.has('double_vote');
    const granted = req.term === this.term && free && upToDate && this.mayVote();
    if (granted) {
      this.votedFor = from;
      this.armElection();
    }
    const term = this.term;
    this.persist(() => this.rt.send(from, RaftPort.voteReply, { term, granted }));
  }

  private onVote(from: number, reply: VoteReply): void {
    if (reply.term > this.term) return this.becomeFollower(reply.term, -1);
    if (this.role !== 'candidate' || reply.term !== this.term || !reply.granted) return;
    this.votes.add(from);
    this.maybeWin();
  }

  private maybeWin(): void {
    if (this.role !== 'candidate' || !this.isVoter(this.rt.self) || !this.isMajority([...this.votes].filter((v) => this.isVoter(v)).length)) return;
    if (this.electionTimer !== -1) this.rt.cancelTimer(this.electionTimer);
    this.electionTimer = -1;
    this.leader = this.rt.self;
    this.leaderSince = this.rt.monotonic();
    this.setRole('leader');
    for (const p of this.electorate()) {
      this.nextIndex.set(p, this.lastIndex() + 1);
      this.matchIndex.set(p, 0);
      this.ackRound.set(p, 0);
      this.lastAckAt.set(p, this.leaderSince);
    }
    // A no-op of the new term lets entries of earlier terms commit with it.
    this.append({ term: this.term, id: `noop-${this.term}-${this.rt.self}`, key: '', value: 0 });
    this.persist(() => this.advanceCommit());
    this.broadcast();
  }

  /**
   * A leader outside the preferred region hands over to a voter inside it
   * that holds its whole log (the first in configuration order), by
   * TimeoutNow; that member campaigns at once and, being up to date, wins.
   */
  private handOver(): void {
    const preferred = this.opts.preferredRegion;
    if (preferred < 0 || this.role !== 'leader' || this.opts.regionOf[this.rt.self] === preferred || this.change) return;
    const now = this.rt.monotonic();
    if (this.transferTo >= 0) {
      // A transfer that has not made the target leader within an election timeout is given up: writes resume here.
      if (now - this.transferSince > this.opts.electionTimeoutMax) this.transferTo = -1;
      else if (!this.timeoutNowSent && (this.matchIndex.get(this.transferTo) ?? 0) === this.lastIndex()) {
        this.timeoutNowSent = true;
        this.rt.send(this.transferTo, RaftPort.timeoutNow, { term: this.term });
      }
      return;
    }
    // At most one transfer per election timeout.
    if (now - this.lastHandOver < this.opts.electionTimeoutMax) return;
    const target = this.electorate().find((m) => this.opts.regionOf[m] === preferred && (this.matchIndex.get(m) ?? 0) >= this.commitIndex);
    if (target === undefined) return;
    // As the thesis does: take no new writes while the target catches up with the whole log, then tell it to campaign.
    this.lastHandOver = now;
    this.transferTo = target;
    this.transferSince = now;
    this.timeoutNowSent = false;
    this.sendAppend(target);
  }

  // --- replication -----------------------------------------------------------

  private broadcast(): void {
    if (this.role !== 'leader') return;
    if (this.lostQuorum()) return this.becomeFollower(this.term, -1);
    this.round++;
    for (const p of this.targets()) this.sendAppend(p);
    this.handOver();
    if (this.heartbeatTimer !== -1) this.rt.cancelTimer(this.heartbeatTimer);
    this.heartbeatTimer = this.rt.setTimer(this.noisy(this.opts.heartbeatInterval), () => {
      this.heartbeatTimer = -1;
      this.broadcast();
    });
  }

  /** Check-quorum: no majority has answered within an election timeout, so this leader may be cut off. */
  private lostQuorum(): boolean {
    if (!this.opts.checkQuorum) return false;
    const now = this.rt.monotonic();
    const window = this.opts.electionTimeoutMax;
    if (now - this.leaderSince < window) return false;
    const heard = this.electorate().filter((p) => now - (this.lastAckAt.get(p) ?? -Infinity) <= window).length;
    return !this.isMajority(heard + (this.isVoter(this.rt.self) ? 1 : 0));
  }

  private sendAppend(peer: number): void {
    const next = this.nextIndex.get(peer) ?? this.lastIndex() + 1;
    // The peer needs entries compacted away: it gets the snapshot instead.
    if (next <= this.log.base && this.snapshot) return this.rt.send(peer, RaftPort.installSnapshot, { term: this.term, snapshot: this.snapshot, round: this.round });
    const prev = next - 1;
    const entries = this.log.slice(next, this.opts.maxBatch);
    this.rt.send(peer, RaftPort.appendEntries, { term: this.term, prevLogIndex: prev, prevLogTerm: this.termAt(prev), entries, leaderCommit: this.commitIndex, round: this.round });
  }

  /** A message from the leader of `term` (at least ours): follow it, and its contact resets the election timer. */
  private heardLeader(from: number, term: number): void {
    if (term > this.term || this.role !== 'follower' || this.leader !== from) this.becomeFollower(term, from);
    else this.armElection();
    this.lastLeaderContact = this.rt.monotonic();
  }

  private onAppend(from: number, req: AppendEntries): void {
    if (req.term < this.term) return this.rt.send(from, RaftPort.appendReply, { term: this.term, success: false, matchIndex: 0, round: req.round, prevLogIndex: req.prevLogIndex });
    this.heardLeader(from, req.term);
    this.leaderCommitSeen = req.leaderCommit;
    if (req.prevLogIndex < this.log.base) {
      // Entries up to the snapshot are committed, so they match the leader's: skip them.
      const skip = Math.min(req.entries.length, this.log.base - req.prevLogIndex);
      req = { ...req, prevLogIndex: req.prevLogIndex + skip, prevLogTerm: skip > 0 ? req.entries[skip - 1]!.term : req.prevLogTerm, entries: req.entries.slice(skip) };
      if (req.prevLogIndex < this.log.base) {
        const term = this.term;
        return this.persist(() => this.rt.send(from, RaftPort.appendReply, { term, success: true, matchIndex: req.prevLogIndex, round: req.round, prevLogIndex: req.prevLogIndex }));
      }
    }
    if (this.termAt(req.prevLogIndex) !== req.prevLogTerm && !(this.opts.defects.has('skip_log_check') && req.prevLogIndex <= this.lastIndex())) {
      // Consistency check failed: tell the leader where our log ends, so it backs up quickly
      // (after persisting, since accepting this leader may have moved our term).
      const reply: AppendReply = { term: this.term, success: false, matchIndex: Math.min(this.lastIndex(), req.prevLogIndex - 1), round: req.round, prevLogIndex: req.prevLogIndex };
      return this.persist(() => this.rt.send(from, RaftPort.appendReply, reply));
    }
    let index = req.prevLogIndex;
    for (const e of req.entries) {
      index++;
      if (index <= this.lastIndex()) {
        if (this.termAt(index) === e.term) continue;
        // Conflict: drop our suffix (into a new array, so stored copies keep theirs) and take the leader's.
        this.log.truncateFrom(index);
        this.writtenEntries = Math.min(this.writtenEntries, index - 1);
        this.durableEntries = Math.min(this.durableEntries, index - 1);
        // A configuration in the dropped suffix is no longer in force.
        if (this.configIndex >= index) this.recomputeConfig();
      }
      this.append(e);
    }
    const match = req.prevLogIndex + req.entries.length;
    const term = this.term;
    this.persist(() => {
      if (req.leaderCommit > this.commitIndex) this.commit(Math.min(req.leaderCommit, match));
      this.maybeRepaired(req.leaderCommit, req.term, match);
      this.rt.send(from, RaftPort.appendReply, { term, success: true, matchIndex: match, round: req.round, prevLogIndex: req.prevLogIndex });
    });
  }

  private onAppendReply(from: number, reply: AppendReply): void {
    if (reply.term > this.term) return this.becomeFollower(reply.term, -1);
    if (this.role !== 'leader' || reply.term !== this.term) return;
    // Any answer in this term confirms this node still leads, as of that round.
    this.ackRound.set(from, Math.max(this.ackRound.get(from) ?? 0, reply.round));
    this.lastAckAt.set(from, this.rt.monotonic());
    this.serveReads();
    if (reply.success) {
      // Only progress triggers the next append: stale or duplicated successes send nothing more.
      if (reply.matchIndex <= (this.matchIndex.get(from) ?? 0)) return;
      this.matchIndex.set(from, reply.matchIndex);
      this.nextIndex.set(from, reply.matchIndex + 1);
      this.advanceCommit();
      this.serveWeakWrites();
      this.learnerCaughtUp();
      if (reply.matchIndex === this.lastIndex()) this.handOver();
      if (reply.matchIndex + 1 <= this.lastIndex()) this.sendAppend(from);
    } else {
      // Only a refusal of the append we would send now moves nextIndex back; older ones are stale.
      if (reply.prevLogIndex !== (this.nextIndex.get(from) ?? 0) - 1) return;
      this.nextIndex.set(from, Math.max(1, Math.max(reply.matchIndex, this.matchIndex.get(from) ?? 0) + 1));
      this.sendAppend(from);
    }
  }

  /** The highest index stored on a majority (the leader's own log counts once durable), of the current term. */
  private advanceCommit(): void {
    if (this.role !== 'leader') return;
    // The voters' durable indexes (the leader's own only if it is one: a leader removing itself counts the new configuration).
    const matches = this.electorate().map((p) => this.matchIndex.get(p) ?? 0);
    if (this.isVoter(this.rt.self)) matches.push(this.durableEntries);
    matches.sort((a, b) => b - a);
    // Test-only defect: one member short of a majority suffices.
    const short = this.opts.defects.has('commit_short_of_majority') ? 1 : 0;
    const majority = matches[Math.floor(this.voters.length / 2) - short] ?? 0;
    for (let n = majority; n > this.commitIndex; n--) {
      if (this.termAt(n) === this.term) return this.commit(n);
    }
  }

  private commit(index: number): void {
    if (index <= this.commitIndex) return;
    this.commitIndex = index;
    if (this.role === 'leader') this.telemetry.emit({ kind: 'raft_commit', node: this.rt.self, index, term: this.term });
    while (this.lastApplied < this.commitIndex) {
      const i = ++this.lastApplied;
      const e = this.log.at(i)!;
      // A retried write may sit in the log twice: only its first copy takes effect.
      this.sm.apply(i, e);
      this.telemetry.emit({ kind: 'raft_applied', node: this.rt.self, index: i, term: e.term, id: e.id });
      // A weak write that commits before its level's count was reached is answered now.
      const weak = this.weak.get(i);
      if (weak) {
        this.weak.delete(i);
        this.rt.send(weak.client, weak.replyPort, { id: weak.id, ok: weak.id === e.id, leaderHint: this.leader, index: i, reason: weak.id === e.id ? '' : 'overwritten' });
      }
      const w = this.waiting.get(i);
      if (w) {
        this.waiting.delete(i);
        const ok = w.id === e.id;
        this.rt.send(w.client, w.replyPort, { id: w.id, ok, leaderHint: this.leader, index: i, reason: ok ? '' : 'overwritten' });
      }
    }
    this.serveReads();
    this.changeCommitted();
    const every = this.opts.snapshotEvery;
    if (every > 0 && this.lastApplied - (this.snapshot?.index ?? 0) >= every) this.compact();
  }

  // --- snapshots -------------------------------------------------------------

  /**
   * Snapshots the state machine as of the last applied entry, written with the
   * next persist. The log keeps the `snapshotEvery` entries before it, so a
   * follower only slightly behind still catches up by AppendEntries (as etcd
   * keeps entries after a snapshot for slow followers).
   */
  private compact(): void {
    const index = this.lastApplied;
    this.snapshot = { ...this.sm.snapshot(index, this.termAt(index)), config: this.configAsOf(index).voters };
    this.log.compact(index - this.opts.snapshotEvery);
    this.telemetry.emit({ kind: 'raft_snapshot', node: this.rt.self, index, term: this.snapshot.term, installed: false, config: this.snapshot.config! });
    this.persist(() => {});
  }

  private onInstallSnapshot(from: number, req: InstallSnapshot): void {
    if (req.term < this.term) return this.rt.send(from, RaftPort.appendReply, { term: this.term, success: false, matchIndex: 0, round: req.round, prevLogIndex: -1 });
    this.heardLeader(from, req.term);
    const snap = req.snapshot;
    // Already applied that far: nothing to replace (the entries after it are still checked by AppendEntries).
    if (snap.index > this.commitIndex) {
      this.log.install(snap.index, snap.term);
      this.writtenEntries = Math.min(this.writtenEntries, this.lastIndex());
      this.durableEntries = Math.min(this.durableEntries, this.lastIndex());
      this.restoreSnapshot(snap);
      this.recomputeConfig();
      this.telemetry.emit({ kind: 'raft_snapshot', node: this.rt.self, index: snap.index, term: snap.term, installed: true, config: snap.config ?? this.opts.members });
    }
    const term = this.term;
    this.persist(() => this.rt.send(from, RaftPort.appendReply, { term, success: true, matchIndex: snap.index, round: req.round, prevLogIndex: -1 }));
  }

  // --- clients ---------------------------------------------------------------

  private onPropose(from: number, req: Propose): void {
    if (this.role === 'leader' && this.transferTo >= 0) {
      return this.rt.send(from, req.replyPort, { id: req.id, ok: false, leaderHint: -1, index: 0, reason: 'transferring' });
    }
    if (this.role !== 'leader') {
      const reply: ProposeReply = { id: req.id, ok: false, leaderHint: this.leader, index: 0, reason: this.leader >= 0 ? 'not_leader' : 'no_leader' };
      return this.rt.send(from, req.replyPort, reply);
    }
    // A retry of a write already applied: answer at once with where it took effect.
    const at = this.sm.indexOf(req.id);
    if (at !== undefined) {
      return this.rt.send(from, req.replyPort, { id: req.id, ok: true, leaderHint: this.rt.self, index: at, reason: '' });
    }
    this.append({ term: this.term, id: req.id, key: req.key, value: req.value });
    if (this.opts.defects.has('ack_before_commit')) this.rt.send(from, req.replyPort, { id: req.id, ok: true, leaderHint: this.rt.self, index: this.lastIndex(), reason: '' });
    else if (req.level && req.level !== 'strong') this.weak.set(this.lastIndex(), { client: from, id: req.id, replyPort: req.replyPort, level: req.level });
    else this.waiting.set(this.lastIndex(), { client: from, id: req.id, replyPort: req.replyPort });
    this.persist(() => {
      this.advanceCommit();
      this.serveWeakWrites();
    });
    for (const p of this.targets()) if ((this.nextIndex.get(p) ?? 0) === this.lastIndex()) this.sendAppend(p);
  }

  // --- document 001's write levels ------------------------------------------

  /**
   * How many members (the leader included) must hold a write at `level`
   * before it is acknowledged, as document 001 counts: bounded_staleness a
   * majority of the members it believes alive (heard from within an
   * election timeout), session a majority of those in its own region,
   * consistent_prefix 2, eventual 1 (the leader alone).
   */
  private required(level: ReadLevel): number {
    const now = this.rt.monotonic();
    const alive = this.voters.filter((m) => m === this.rt.self || now - (this.lastAckAt.get(m) ?? -Infinity) <= this.opts.electionTimeoutMax);
    switch (level) {
      case 'bounded_staleness': return Math.max(1, Math.floor((alive.length + 1) / 2));
      case 'session': {
        const home = this.opts.regionOf[this.rt.self];
        return Math.max(1, Math.floor((alive.filter((m) => this.opts.regionOf[m] === home).length + 1) / 2));
      }
      case 'consistent_prefix': return Math.min(2, this.voters.length);
      case 'eventual': return 1;
      default: return Math.floor(this.voters.length / 2) + 1;
    }
  }

  /** Answers the weak writes that enough members now hold durably (the leader's own once written and synced). */
  private serveWeakWrites(): void {
    if (this.role !== 'leader' || this.weak.size === 0) return;
    // Computed once per call, not per waiting write: the counts do not change while it runs.
    const electorate = this.electorate();
    const required = new Map<ReadLevel, number>();
    for (const [index, w] of this.weak) {
      let holders = this.durableEntries >= index && this.isVoter(this.rt.self) ? 1 : 0;
      for (const p of electorate) if ((this.matchIndex.get(p) ?? 0) >= index) holders++;
      let need = required.get(w.level);
      if (need === undefined) required.set(w.level, (need = this.required(w.level)));
      if (holders < need) continue;
      this.weak.delete(index);
      this.rt.send(w.client, w.replyPort, { id: w.id, ok: true, leaderHint: this.rt.self, index, reason: '' });
    }
  }

  // --- membership changes ----------------------------------------------------

  private onReconfigure(from: number, req: Reconfigure): void {
    const refuse = (reason: string): void => this.rt.send(from, req.replyPort, { id: req.id, ok: false, reason, leaderHint: this.leader });
    if (this.role !== 'leader') return refuse(this.leader >= 0 ? 'not_leader' : 'no_leader');
    if (this.change?.id === req.id) return;
    const done = req.op === 'add' ? this.isVoter(req.node) : !this.isVoter(req.node);
    // Already so, in a configuration this leader has committed: nothing to do (a retry of a change that took effect).
    if (done && this.configIndex <= this.commitIndex) return this.rt.send(from, req.replyPort, { id: req.id, ok: true, reason: '', leaderHint: this.rt.self });
    // One change at a time: none while another is under way or a configuration is uncommitted.
    // (Test-only defect: a second addition joins one under way, and both go in one configuration.)
    const merge = this.opts.defects.has('add_two_at_once') && req.op === 'add' && this.change?.op === 'add' && this.change.configIndex < 0;
    if (done || (!merge && (this.change || this.configIndex > this.commitIndex))) return refuse('busy');
    if (req.op === 'remove') {
      this.change = { id: req.id, from, replyPort: req.replyPort, op: 'remove', nodes: [req.node], configIndex: -1 };
      return this.appendConfig(this.voters.filter((m) => m !== req.node));
    }
    if (merge) this.change!.nodes.push(req.node);
    else this.change = { id: req.id, from, replyPort: req.replyPort, op: 'add', nodes: [req.node], configIndex: -1 };
    this.learners.add(req.node);
    this.nextIndex.set(req.node, this.lastIndex() + 1);
    this.matchIndex.set(req.node, 0);
    this.sendAppend(req.node);
  }

  /** A learner being added has everything committed so far: the configuration that adds it goes in the log. */
  private learnerCaughtUp(): void {
    const c = this.change;
    if (!c || c.op !== 'add' || c.configIndex >= 0) return;
    if (!c.nodes.every((n) => (this.matchIndex.get(n) ?? 0) >= this.commitIndex)) return;
    for (const n of c.nodes) this.learners.delete(n);
    this.appendConfig([...this.voters, ...c.nodes.filter((n) => !this.isVoter(n))]);
  }

  private appendConfig(voters: number[]): void {
    const index = this.lastIndex() + 1;
    this.append({ term: this.term, id: `config-${this.term}-${index}`, key: '', value: 0, config: voters });
    this.change!.configIndex = index;
    for (const p of this.electorate()) if (!this.nextIndex.has(p)) {
      this.nextIndex.set(p, index);
      this.matchIndex.set(p, 0);
    }
    this.persist(() => this.advanceCommit());
    this.broadcast();
  }

  /** The change's configuration is committed: the operator is answered; a leader that removed itself steps down. */
  private changeCommitted(): void {
    const c = this.change;
    if (this.role !== 'leader' || !c || c.configIndex < 0 || this.commitIndex < c.configIndex) return;
    this.change = undefined;
    this.rt.send(c.from, c.replyPort, { id: c.id, ok: true, reason: '', leaderHint: this.rt.self });
    if (!this.isVoter(this.rt.self)) this.becomeFollower(this.term, -1);
  }

  // --- reads -----------------------------------------------------------------

  private onRead(from: number, req: Read): void {
    switch (req.level) {
      case 'strong':
        if (this.role !== 'leader') return this.refuseRead(from, req, this.leader >= 0 ? 'not_leader' : 'no_leader');
        if (this.opts.defects.has('unconfirmed_strong_reads')) return this.answerRead(from, req);
        // ReadIndex: the commit index now, served once a later heartbeat round is confirmed by a majority.
        this.pendingReads.push({ from, req, round: this.round + 1, readIndex: this.commitIndex });
        return this.broadcast();
      case 'bounded_staleness':
        // Recent contact alone is not enough: a follower catching up hears its leader while far behind.
        if (this.role !== 'leader' && (this.rt.monotonic() - this.lastLeaderContact > this.opts.maxStaleness || this.lastApplied < this.leaderCommitSeen)) {
          return this.refuseRead(from, req, 'too_stale');
        }
        return this.answerRead(from, req);
      case 'session':
        if (this.lastApplied < req.session && !this.opts.defects.has('ignore_session')) return this.refuseRead(from, req, 'behind_session');
        return this.answerRead(from, req);
      case 'consistent_prefix':
      case 'eventual':
        // The applied state is always a prefix of the committed log here, so both levels read it.
        return this.answerRead(from, req);
    }
  }

  /** Serves strong reads whose round a majority confirmed, once this term has committed and their index is applied. */
  private serveReads(): void {
    if (this.role !== 'leader' || this.pendingReads.length === 0 || this.termAt(this.commitIndex) !== this.term) return;
    const confirmed = (round: number): boolean => this.isMajority((this.isVoter(this.rt.self) ? 1 : 0) + this.electorate().filter((p) => (this.ackRound.get(p) ?? 0) >= round).length);
    const waiting: typeof this.pendingReads = [];
    for (const p of this.pendingReads) {
      if (confirmed(p.round) && this.lastApplied >= p.readIndex) this.answerRead(p.from, p.req);
      else waiting.push(p);
    }
    this.pendingReads = waiting;
  }

  private answerRead(from: number, req: Read): void {
    const kv = this.sm.read(req.key);
    const reply: ReadReply = { id: req.id, ok: true, value: kv?.value ?? null, writeId: kv?.writeId ?? '', index: this.lastApplied, reason: '', leaderHint: this.leader };
    this.rt.send(from, RaftPort.readReply, reply);
  }

  private refuseRead(from: number, req: Read, reason: string): void {
    this.rt.send(from, RaftPort.readReply, { id: req.id, ok: false, value: null, writeId: '', index: this.lastApplied, reason, leaderHint: this.leader });
  }
}
