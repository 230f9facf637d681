import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { World } from '../world/index.js';
import { fixed3, seconds, toCsv } from './csv.js';

interface Bucket { acked: number; refused: number; latencies: number[]; leaderless: number; unavailable: number; elections: number }

export interface ConsensusSummary {
  elections: number;
  /** Elections that put a different node in charge than the previous leader. */
  leader_changes: number;
  writes_sent: number;
  writes_acked: number;
  /** Refusals and unanswered attempts, per member and reason (`not_leader`, `no_leader`, `timeout`), in the order first seen. */
  write_refusals: Record<string, Record<string, number>>;
  p50_commit_ms: number | null;
  p95_commit_ms: number | null;
  p99_commit_ms: number | null;
  /**
   * Each time writes stopped being able to commit after the first election
   * (the leader crashed, paused, was cut off from the majority, stepped down
   * or was deposed): when, which leader it was, and how long until a leader
   * could commit again (null: not by the end).
   */
  leader_losses: Array<{ at_s: number; leader: string; new_leader_after_s: number | null }>;
  /** Longest stretch without a live leader after the first election, seconds. */
  max_leaderless_s: number;
  /**
   * Fraction of the time since the first election in which a write could
   * commit: a leader that is up, not paused, and reaches a majority of the
   * members (itself included) both ways through the partitions (start-up is
   * not an outage). Link loss and latency are not counted.
   */
  write_availability: number;
  /** Per read level: how many were answered, refused (or timed out), and how stale the answers were. */
  reads: Record<string, ReadLevelSummary>;
}

export interface ReadLevelSummary {
  answered: number;
  refused: number;
  /** How far behind the newest commit an answer was, in time: since the first entry it missed was applied anywhere, ms. */
  p50_staleness_ms: number | null;
  p95_staleness_ms: number | null;
  max_staleness_ms: number | null;
  /** The most entries an answer was behind the newest commit. */
  max_staleness_entries: number;
}

const quantile = (sorted: readonly number[], q: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/**
 * consensus.csv: per bucket, the leader and term at the bucket's end, writes
 * acknowledged and their commit latency quantiles, time without a live
 * leader, and time in which no leader could commit. "Live" and "could
 * commit" come from the world: a leader that crashed leads nothing, and one
 * paused or cut off from the majority commits nothing though it still
 * believes it leads.
 */
export class ConsensusCollector {
  private readonly buckets: Bucket[] = [];
  private readonly all: number[] = [];
  private leader = -1;
  private term = 0;
  private leaderlessSince: SimTime = 0;
  private maxLeaderless = 0;
  private elections = 0;
  private changes = 0;
  private sent = 0;
  private firstElection = 0;
  /** Start of the current leaderless stretch (bucket accounting cuts it; this does not). */
  private stretchStart = 0;
  private lastLeader = -1;
  private active = false;
  private members: readonly number[] = [];
  /** Since when no leader could commit (-1: one can now); counted from the first election. */
  private unavailableSince: SimTime = -1;
  private readonly rows: Array<Array<string | number>> = [];
  /** When each log index was first applied anywhere (index 1 at position 0). */
  private readonly appliedAt: SimTime[] = [];
  private readonly reads = new Map<string, { answered: number; refused: number; staleMs: number[]; maxEntries: number }>();
  private readonly refusals = new Map<number, Map<string, number>>();
  private readonly losses: Array<{ at: SimTime; leader: number; after: SimTime | null }> = [];

  constructor(private readonly world: World, private readonly bucket: SimTime) {
    world.onNodeState((node, event) => {
      if (event === 'crash' && node.index === this.leader) this.loseLeader();
      this.recheck();
    });
  }

  /** The group's members, for the majority a leader must reach. */
  watch(members: readonly number[]): void {
    this.members = members;
  }

  /** Whether the current leader could commit a write now, by the world's ground truth. */
  private leaderCanCommit(): boolean {
    const l = this.leader;
    const node = this.world.nodes[l];
    if (l < 0 || !node!.up || node!.paused) return false;
    const p = this.world.partitions;
    let reach = 0;
    for (const m of this.members) {
      const n = this.world.nodes[m]!;
      if (m === l || (n.up && !n.paused && !(p.count > 0 && (p.blocks(l, m) || p.blocks(m, l))))) reach++;
    }
    return reach * 2 > this.members.length;
  }

  /** Re-judges write availability after anything that may change it: a role, a crash or restart, a fault. */
  recheck(): void {
    if (this.elections === 0) return;
    const now = this.world.sim.now;
    const able = this.leaderCanCommit();
    if (!able && this.unavailableSince < 0) {
      this.unavailableSince = now;
      this.losses.push({ at: now, leader: this.lastLeader, after: null });
    } else if (able && this.unavailableSince >= 0) {
      this.accrueUnavailable(now);
      const loss = this.losses.at(-1);
      if (loss && loss.after === null) loss.after = now - loss.at;
    }
  }

  private accrueUnavailable(now: SimTime): void {
    this.spread(this.unavailableSince, now, 'unavailable');
    this.unavailableSince = this.leaderCanCommit() ? -1 : now;
  }

  /** Adds the span [from, to) to the buckets it covers, cut at their boundaries. */
  private spread(from: SimTime, to: SimTime, field: 'leaderless' | 'unavailable'): void {
    for (let t = from; t < to; ) {
      const i = Math.floor(t / this.bucket);
      const end = Math.min(to, (i + 1) * this.bucket);
      this.bucketAt(i)[field] += end - t;
      t = end;
    }
  }

  /** The node that leads now (and is up), or -1: what a nemesis asks when it targets "@raft-leader". */
  currentLeader(): number {
    return this.leader;
  }

  observe(e: TelemetryEvent): void {
    if (e.kind === 'raft_role') {
      this.active = true;
      if (e.role === 'leader') {
        if (this.elections === 0) this.firstElection = this.world.sim.now;
        else if (this.leader === -1) this.maxLeaderless = Math.max(this.maxLeaderless, this.world.sim.now - this.stretchStart);
        this.elections++;
        if (this.lastLeader !== -1 && this.lastLeader !== e.node) this.changes++;
        this.lastLeader = e.node;
        this.accrueLeaderless();
        this.leader = e.node;
        this.term = e.term;
        this.bucketNow().elections++;
        this.recheck();
      } else if (e.node === this.leader) {
        this.loseLeader();
        this.recheck();
      }
    } else if (e.kind === 'raft_applied') {
      if (e.index > this.appliedAt.length) this.appliedAt.push(this.world.sim.now);
    } else if (e.kind === 'raft_read' && e.phase === 'done') {
      const r = this.reads.get(e.level) ?? { answered: 0, refused: 0, staleMs: [], maxEntries: 0 };
      this.reads.set(e.level, r);
      if (!e.ok) return void r.refused++;
      r.answered++;
      const newest = this.appliedAt.length;
      const missed = Math.max(0, newest - e.index);
      r.maxEntries = Math.max(r.maxEntries, missed);
      r.staleMs.push(missed === 0 ? 0 : (this.world.sim.now - this.appliedAt[e.index]!) / 1000);
    } else if (e.kind === 'raft_write_refused') {
      let byReason = this.refusals.get(e.member);
      if (!byReason) this.refusals.set(e.member, (byReason = new Map()));
      byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1);
      this.bucketNow().refused++;
    } else if (e.kind === 'raft_write') {
      if (e.phase === 'sent') this.sent++;
      else {
        const b = this.bucketNow();
        b.acked++;
        b.latencies.push(e.latency / 1000);
        this.all.push(e.latency / 1000);
      }
    }
  }

  private loseLeader(): void {
    if (this.leader === -1) return;
    this.leader = -1;
    this.leaderlessSince = this.world.sim.now;
    this.stretchStart = this.world.sim.now;
  }

  /** Adds the leaderless stretch that ends now to the buckets it spans. */
  private accrueLeaderless(): void {
    if (this.leader !== -1) return;
    const now = this.world.sim.now;
    this.spread(this.leaderlessSince, now, 'leaderless');
    this.leaderlessSince = now;
  }

  private bucketNow(): Bucket {
    return this.bucketAt(Math.max(0, Math.ceil(this.world.sim.now / this.bucket) - 1));
  }

  private bucketAt(i: number): Bucket {
    while (this.buckets.length <= i) this.buckets.push({ acked: 0, refused: 0, latencies: [], leaderless: 0, unavailable: 0, elections: 0 });
    return this.buckets[i]!;
  }

  /** Called at each bucket's end: records the row (leader and term at that instant). */
  sample(): void {
    if (!this.active) return;
    this.accrueLeaderless();
    const now = this.world.sim.now;
    if (this.unavailableSince >= 0) this.accrueUnavailable(now);
    const i = Math.max(0, Math.ceil(now / this.bucket) - 1);
    const b = this.bucketAt(i);
    const lat = [...b.latencies].sort((x, y) => x - y);
    const q = (p: number) => (lat.length ? fixed3(quantile(lat, p)!) : '');
    this.rows.push([seconds(now), this.leader >= 0 ? this.world.nodes[this.leader]!.name : '', this.term, b.elections, b.acked, b.refused, q(0.5), q(0.95), q(0.99), seconds(b.leaderless), seconds(b.unavailable)]);
  }

  summary(horizon: SimTime): ConsensusSummary | undefined {
    if (!this.active) return undefined;
    const lat = [...this.all].sort((x, y) => x - y);
    if (this.unavailableSince >= 0) this.accrueUnavailable(this.world.sim.now);
    // Time before the first leader is start-up, not unavailability (and not counted).
    const unavailable = this.buckets.reduce((t, b) => t + b.unavailable, 0);
    const span = horizon - this.firstElection;
    const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    return {
      elections: this.elections,
      leader_changes: this.changes,
      writes_sent: this.sent,
      writes_acked: this.all.length,
      write_refusals: Object.fromEntries([...this.refusals].map(([m, byReason]) => [this.world.nodes[m]!.name, Object.fromEntries(byReason)])),
      p50_commit_ms: r3(quantile(lat, 0.5)),
      p95_commit_ms: r3(quantile(lat, 0.95)),
      p99_commit_ms: r3(quantile(lat, 0.99)),
      // A stretch still open at the end counts too.
      leader_losses: this.losses.map((l) => ({ at_s: l.at / 1e6, leader: this.world.nodes[l.leader]!.name, new_leader_after_s: l.after === null ? null : l.after / 1e6 })),
      max_leaderless_s: Math.max(this.maxLeaderless, this.elections > 0 && this.leader === -1 ? this.world.sim.now - this.stretchStart : 0) / 1e6,
      // Never a leader: never available.
      write_availability: this.elections > 0 && span > 0 ? Math.round((1 - unavailable / span) * 1e6) / 1e6 : 0,
      reads: Object.fromEntries([...this.reads.entries()].map(([level, r]) => {
        const sorted = [...r.staleMs].sort((x, y) => x - y);
        return [level, { answered: r.answered, refused: r.refused, p50_staleness_ms: r3(quantile(sorted, 0.5)), p95_staleness_ms: r3(quantile(sorted, 0.95)), max_staleness_ms: r3(sorted.at(-1) ?? null), max_staleness_entries: r.maxEntries }];
      })),
    };
  }

  toCsv(): string | undefined {
    if (!this.active) return undefined;
    return toCsv(['time_s', 'leader', 'term', 'elections', 'writes_acked', 'writes_refused', 'commit_p50_ms', 'commit_p95_ms', 'commit_p99_ms', 'leaderless_s', 'write_unavailable_s'], this.rows);
  }
}
