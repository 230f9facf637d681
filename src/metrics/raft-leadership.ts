import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';

/** Where a stretch of time without a leader, or without a leader able to commit, is accounted. */
export interface LeadershipSpans {
  add(from: SimTime, to: SimTime, what: 'leaderless' | 'unavailable'): void;
  /** An election was won now. */
  elected(): void;
}

/**
 * Why writes stopped being able to commit, judged at that instant from the
 * world: the leader crashed (or was lost), left the cluster, was paused, is
 * up but cut off from a majority, or no longer leads (it stepped down or was
 * deposed by a newer term before a successor could commit).
 */
export type LossCause = 'crash' | 'left' | 'pause' | 'cut_off' | 'stepped_down';

/** A time writes stopped being able to commit: which leader it was, why, and how long until one could again (null: not yet). */
export interface LeaderLoss { at: SimTime; leader: number; cause: LossCause; after: SimTime | null }

/**
 * Who leads the Raft group now, by the members' own reports and the world's
 * truth (a crashed leader leads nothing), and whether a write could commit:
 * a leader that is up, not paused, and reaches a majority of the members
 * (itself included) both ways. It answers the `@raft-leader` fault target
 * and judges write availability; the consensus collector turns its spans
 * into rows and a summary.
 */
export class RaftLeadership {
  leader = -1;
  term = 0;
  elections = 0;
  /** Elections that put a different node in charge than the previous leader. */
  changes = 0;
  firstElection: SimTime = 0;
  /** Longest closed leaderless stretch after the first election. */
  maxLeaderless: SimTime = 0;
  /** Start of the current leaderless stretch (bucket accounting cuts it; this does not). */
  stretchStart: SimTime = 0;
  readonly losses: LeaderLoss[] = [];
  private lastLeader = -1;
  private leaderlessSince: SimTime = 0;
  /** Since when no leader could commit (-1: one can now); counted from the first election. */
  private unavailableSince: SimTime = -1;

  constructor(private readonly truth: GroundTruth, private members: readonly number[], private readonly spans: LeadershipSpans) {
    truth.onNodeState((node, event) => {
      if ((event === 'crash' || event === 'leave') && node.index === this.leader) this.loseLeader();
      this.recheck();
    });
  }

  /** The voting members the leader must reach (its configuration in force). */
  setMembers(members: readonly number[]): void {
    this.members = members;
    this.recheck();
  }

  /** The voting members as last set (the initial configuration until a change). */
  get voters(): readonly number[] {
    return this.members;
  }

  /** The node that leads now (and is up), or -1: what a fault targeting "@raft-leader" strikes. */
  currentLeader(): number {
    return this.leader;
  }

  observe(e: TelemetryEvent): void {
    if (e.kind !== 'raft_role') return;
    const now = this.truth.now;
    if (e.role === 'leader') {
      if (this.elections === 0) this.firstElection = now;
      else if (this.leader === -1) this.maxLeaderless = Math.max(this.maxLeaderless, now - this.stretchStart);
      this.elections++;
      if (this.lastLeader !== -1 && this.lastLeader !== e.node) this.changes++;
      this.lastLeader = e.node;
      this.accrueLeaderless();
      this.leader = e.node;
      this.term = e.term;
      this.spans.elected();
      this.recheck();
    } else if (e.node === this.leader) {
      this.loseLeader();
      this.recheck();
    }
  }

  /** Whether the current leader could commit a write now, by the world's ground truth. */
  private leaderCanCommit(): boolean {
    const l = this.leader;
    if (l < 0) return false;
    const nodes = this.truth.nodes;
    if (!nodes[l]!.up || nodes[l]!.paused) return false;
    let reach = 0;
    for (const m of this.members) {
      if (m === l || (!nodes[m]!.paused && this.truth.canReach(l, m) && this.truth.canReach(m, l))) reach++;
    }
    return reach * 2 > this.members.length;
  }

  /** Re-judges write availability after anything that may change it: a role, a crash or restart, a fault. */
  recheck(): void {
    if (this.elections === 0) return;
    const now = this.truth.now;
    const able = this.leaderCanCommit();
    if (!able && this.unavailableSince < 0) {
      this.unavailableSince = now;
      this.losses.push({ at: now, leader: this.lastLeader, cause: this.causeOf(this.lastLeader), after: null });
    } else if (able && this.unavailableSince >= 0) {
      this.accrueUnavailable(now);
      const loss = this.losses.at(-1);
      if (loss && loss.after === null) loss.after = now - loss.at;
    }
  }

  private causeOf(lost: number): LossCause {
    if (lost < 0) return 'stepped_down';
    const n = this.truth.nodes[lost]!;
    if (n.service === 'retired') return 'left';
    if (!n.up) return 'crash';
    if (n.paused) return 'pause';
    return this.leader === lost ? 'cut_off' : 'stepped_down';
  }

  /** Accounts every open stretch up to now (at each bucket's end, and at the end of the run). */
  accrue(): void {
    this.accrueLeaderless();
    if (this.unavailableSince >= 0) this.accrueUnavailable(this.truth.now);
  }

  private accrueUnavailable(now: SimTime): void {
    this.spans.add(this.unavailableSince, now, 'unavailable');
    this.unavailableSince = this.leaderCanCommit() ? -1 : now;
  }

  private loseLeader(): void {
    if (this.leader === -1) return;
    this.leader = -1;
    this.leaderlessSince = this.truth.now;
    this.stretchStart = this.truth.now;
  }

  /** Adds the leaderless stretch that ends now to the spans. */
  private accrueLeaderless(): void {
    if (this.leader !== -1) return;
    const now = this.truth.now;
    this.spans.add(this.leaderlessSince, now, 'leaderless');
    this.leaderlessSince = now;
  }
}
