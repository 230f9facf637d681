import type { SimTime } from '../kernel/index.js';
import { IntColumn } from '../kernel/columns.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import { fixed3, seconds, toCsv } from './csv.js';
import { RaftLeadership, type LeaderLoss, type LeadershipSpans } from './raft-leadership.js';

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
  leader_losses: Array<{ at_s: number; leader: string; cause: string; new_leader_after_s: number | null }>;
  /**
   * The leader losses a crash caused (cause `crash`), apart from start-up
   * churn and partitions: how many, how many a new leader recovered from by
   * the end, and the recovery time's median and maximum (seconds; null when
   * none recovered).
   */
  leader_loss_after_crash: { losses: number; recovered: number; p50_s: number | null; max_s: number | null };
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
  /** Present when the operator changed the membership: each change, when it was asked for, and how long until its configuration was committed (null: not by the end). */
  membership_changes?: Array<{ op: 'add' | 'remove'; node: string; at_s: number; done_after_s: number | null }>;
  /** Present with membership changes: the voting members of the last configuration a leader put in its log. */
  final_members?: string[];
  /**
   * Present when the client writes below strong (`client.write_levels`): per
   * level, writes acknowledged, their ack latency, how long after its
   * acknowledgement a write was first applied anywhere (the time it could
   * still be lost), and how many were never applied by the end (lost, or
   * still in flight at the end).
   */
  write_levels?: Record<string, { acked: number; p50_ack_ms: number | null; p95_ack_ms: number | null; p95_exposure_ms: number | null; max_exposure_ms: number | null; never_applied: number }>;
  /** Present when a member read back a damaged log: who, when, how many entries failed their checksums, and how long until it held every committed entry again (null: not by the end). */
  log_repairs?: Array<{ member: string; at_s: number; entries_lost: number; repaired_after_s: number | null }>;
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

/** leader_loss_after_crash: the losses a crash caused, and how fast a new leader could commit again. */
function afterCrash(losses: readonly LeaderLoss[]): ConsensusSummary['leader_loss_after_crash'] {
  const crashes = losses.filter((l) => l.cause === 'crash');
  const times = crashes.flatMap((l) => (l.after === null ? [] : [l.after / 1e6])).sort((a, b) => a - b);
  return { losses: crashes.length, recovered: times.length, p50_s: quantile(times, 0.5), max_s: times.at(-1) ?? null };
}

/** The position `quantile` reads in n sorted values: nearest rank. */
const nearestRankAt = (n: number, q: number): number => Math.min(n - 1, Math.ceil(q * n) - 1);

const quantile = (sorted: readonly number[], q: number): number | null => (sorted.length === 0 ? null : sorted[nearestRankAt(sorted.length, q)]!);

/**
 * consensus.csv and the Raft summary: per bucket, the leader and term at the bucket's end, writes
 * acknowledged and their commit latency quantiles, time without a live
 * leader, and time in which no leader could commit. "Live" and "could
 * commit" come from the world: a leader that crashed leads nothing, and one
 * paused or cut off from the majority commits nothing though it still
 * believes it leads.
 */
export class ConsensusCollector implements LeadershipSpans {
  /** Who leads, and whether a write could commit: asked by the `@raft-leader` fault target too. */
  readonly leadership: RaftLeadership;
  private readonly buckets: Bucket[] = [];
  /** Every strong write's commit latency, µs, for the run's quantiles: a paged column (4 bytes a write, never copied as it grows). */
  private readonly all = new IntColumn();
  private sent = 0;
  private active = false;
  private finished = false;
  private readonly rows: Array<Array<string | number>> = [];
  /** When each log index was first applied anywhere (index 1 at position 0): times that rise, 4 bytes each in pages of 4,096 (minutes at a few writes a second). */
  private readonly appliedAt = new IntColumn(0, 12);
  /** Per read level; staleness kept as a count of fresh answers (most strong reads) and the stale ones' values, µs (4 bytes each). */
  private readonly reads = new Map<string, { answered: number; refused: number; fresh: number; staleUs: IntColumn; maxEntries: number }>();
  private readonly refusals = new Map<number, Map<string, number>>();
  private readonly changes: Array<{ id: string; op: 'add' | 'remove'; node: number; at: SimTime; after: SimTime | null }> = [];
  /** The latest configuration each member has in its log, for judging who a new leader must reach. */
  private readonly configOf = new Map<number, readonly number[]>();
  private lastLeaderConfig: readonly number[] | undefined;
  private readonly repairs: Array<{ node: number; at: SimTime; lost: number; after: SimTime | null }> = [];
  /** Writes acknowledged below strong, per level: their ack latencies and the time from ack to first applied anywhere. */
  private readonly weakLevels = new Map<string, { ackMs: number[]; exposureMs: number[] }>();
  private weakCount = 0;
  /** Weak writes acknowledged and not yet applied anywhere: at the end, those are lost (or still in flight). */
  private readonly exposed = new Map<string, { at: SimTime; level: { ackMs: number[]; exposureMs: number[] } }>();

  constructor(private readonly truth: GroundTruth, private readonly bucket: SimTime, members: readonly number[]) {
    this.leadership = new RaftLeadership(truth, members, this);
  }

  /** Adds the span [from, to) to the buckets it covers, cut at their boundaries. */
  add(from: SimTime, to: SimTime, field: 'leaderless' | 'unavailable'): void {
    for (let t = from; t < to; ) {
      const i = Math.floor(t / this.bucket);
      const end = Math.min(to, (i + 1) * this.bucket);
      this.bucketAt(i)[field] += end - t;
      t = end;
    }
  }

  elected(): void {
    this.bucketNow().elections++;
  }

  observe(e: TelemetryEvent): void {
    if (e.kind === 'raft_role') {
      this.active = true;
      this.leadership.observe(e);
      const config = this.configOf.get(e.node);
      if (e.role === 'leader' && config) this.leadership.setMembers(config);
    } else if (e.kind === 'raft_log' && e.config) {
      this.configOf.set(e.node, e.config);
      if (e.node === this.leadership.currentLeader()) {
        this.lastLeaderConfig = e.config;
        this.leadership.setMembers(e.config);
      }
    } else if (e.kind === 'raft_restored') {
      // A restarted member's configuration is the latest in the log it read back (only tracked once configurations change).
      let latest: readonly number[] | undefined;
      for (const x of e.entries) if (x.config) latest = x.config;
      if (latest || this.configOf.has(e.node)) this.configOf.set(e.node, latest ?? e.baseConfig);
    } else if (e.kind === 'raft_log_damaged') {
      this.repairs.push({ node: e.node, at: this.truth.now, lost: e.lost, after: null });
    } else if (e.kind === 'raft_log_repaired') {
      for (let i = this.repairs.length - 1; i >= 0; i--) {
        const r = this.repairs[i]!;
        if (r.node === e.node && r.after === null) {
          r.after = e.after;
          break;
        }
      }
    } else if (e.kind === 'raft_membership') {
      if (e.phase === 'requested') this.changes.push({ id: e.id, op: e.op, node: e.member, at: this.truth.now, after: null });
      else {
        const c = this.changes.find((x) => x.id === e.id);
        if (c) c.after = e.latency;
      }
    } else if (e.kind === 'raft_applied') {
      if (e.index > this.appliedAt.length) this.appliedAt.push(this.truth.now);
    } else if (e.kind === 'raft_read' && e.phase === 'done') {
      const r = this.reads.get(e.level) ?? { answered: 0, refused: 0, fresh: 0, staleUs: new IntColumn(0, 12), maxEntries: 0 };
      this.reads.set(e.level, r);
      if (!e.ok) return void r.refused++;
      r.answered++;
      const newest = this.appliedAt.length;
      const missed = Math.max(0, newest - e.index);
      r.maxEntries = Math.max(r.maxEntries, missed);
      const stale = missed === 0 ? 0 : this.truth.now - this.appliedAt.get(e.index);
      if (stale === 0) r.fresh++;
      else r.staleUs.push(stale);
    } else if (e.kind === 'raft_write_refused') {
      let byReason = this.refusals.get(e.member);
      if (!byReason) this.refusals.set(e.member, (byReason = new Map()));
      byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1);
      this.bucketNow().refused++;
    } else if (e.kind === 'raft_write') {
      if (e.phase === 'sent') this.sent++;
      else if (e.level !== undefined && e.level !== 'strong') this.weakAcked(e.id, e.level, e.latency);
      else {
        const b = this.bucketNow();
        b.acked++;
        b.latencies.push(e.latency / 1000);
        this.all.push(e.latency);
      }
    }
    if (e.kind === 'raft_applied' && this.exposed.size > 0) {
      const w = this.exposed.get(e.id);
      if (w) {
        this.exposed.delete(e.id);
        w.level.exposureMs.push((this.truth.now - w.at) / 1000);
      }
    }
  }

  /** A write acknowledged below strong (document 001's weaker write quorums): not a commit; watched until it is applied. */
  private weakAcked(id: string, level: string, latency: SimTime): void {
    let l = this.weakLevels.get(level);
    if (!l) this.weakLevels.set(level, (l = { ackMs: [], exposureMs: [] }));
    l.ackMs.push(latency / 1000);
    this.weakCount++;
    this.bucketNow().acked++;
    this.exposed.set(id, { at: this.truth.now, level: l });
  }

  private bucketNow(): Bucket {
    return this.bucketAt(Math.max(0, Math.ceil(this.truth.now / this.bucket) - 1));
  }

  private bucketAt(i: number): Bucket {
    while (this.buckets.length <= i) this.buckets.push({ acked: 0, refused: 0, latencies: [], leaderless: 0, unavailable: 0, elections: 0 });
    return this.buckets[i]!;
  }

  /** Called at each bucket's end: records the row (leader and term at that instant). */
  sample(): void {
    if (!this.active) return;
    this.leadership.accrue();
    const now = this.truth.now;
    const i = Math.max(0, Math.ceil(now / this.bucket) - 1);
    const b = this.bucketAt(i);
    const lat = b.latencies.sort((x, y) => x - y);
    // The row is written now, from these: a long run keeps no latency per write per bucket (the run-wide quantiles keep their own).
    b.latencies = [];
    const q = (p: number) => (lat.length ? fixed3(quantile(lat, p)!) : '');
    const leader = this.leadership.leader;
    this.rows.push([seconds(now), leader >= 0 ? this.truth.nodeName(leader) : '', this.leadership.term, b.elections, b.acked, b.refused, q(0.5), q(0.95), q(0.99), seconds(b.leaderless), seconds(b.unavailable)]);
  }

  /** At the end of the run: accounts the stretches still open, so `summary` only reads. */
  finish(): void {
    if (this.active) this.leadership.accrue();
    this.finished = true;
  }

  summary(horizon: SimTime): ConsensusSummary | undefined {
    if (!this.active) return undefined;
    if (!this.finished) throw new Error('ConsensusCollector.summary before finish');
    const l = this.leadership;
    // Sorted in µs (the same order as in ms), read in ms as every other latency here.
    const sortedUs = this.all.toSorted();
    const commitMs = (q: number): number | null => (sortedUs.length === 0 ? null : sortedUs[nearestRankAt(sortedUs.length, q)]! / 1000);
    // Time before the first leader is start-up, not unavailability (and not counted).
    const unavailable = this.buckets.reduce((t, b) => t + b.unavailable, 0);
    const span = horizon - l.firstElection;
    const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    return {
      elections: l.elections,
      leader_changes: l.changes,
      writes_sent: this.sent,
      writes_acked: this.all.length + this.weakCount,
      write_refusals: Object.fromEntries([...this.refusals].map(([m, byReason]) => [this.truth.nodeName(m), Object.fromEntries(byReason)])),
      p50_commit_ms: r3(commitMs(0.5)),
      p95_commit_ms: r3(commitMs(0.95)),
      p99_commit_ms: r3(commitMs(0.99)),
      leader_losses: l.losses.map((loss) => ({ at_s: loss.at / 1e6, leader: this.truth.nodeName(loss.leader), cause: loss.cause, new_leader_after_s: loss.after === null ? null : loss.after / 1e6 })),
      leader_loss_after_crash: afterCrash(l.losses),
      // A stretch still open at the end counts too.
      max_leaderless_s: Math.max(l.maxLeaderless, l.elections > 0 && l.leader === -1 ? this.truth.now - l.stretchStart : 0) / 1e6,
      // Never a leader: never available.
      write_availability: l.elections > 0 && span > 0 ? Math.round((1 - unavailable / span) * 1e6) / 1e6 : 0,
      reads: Object.fromEntries([...this.reads.entries()].map(([level, r]) => {
        // Sorted in µs (the same order as in ms), read in ms.
        const stale = r.staleUs.toSorted();
        // The sorted staleness of every answer is `fresh` zeros, then the stale ones (none is negative).
        const n = r.fresh + stale.length;
        const q = (p: number): number | null => (n === 0 ? null : nearestRankAt(n, p) < r.fresh ? 0 : stale[nearestRankAt(n, p) - r.fresh]! / 1000);
        return [level, { answered: r.answered, refused: r.refused, p50_staleness_ms: r3(q(0.5)), p95_staleness_ms: r3(q(0.95)), max_staleness_ms: r3(n === 0 ? null : (stale.length === 0 ? 0 : stale[stale.length - 1]! / 1000)), max_staleness_entries: r.maxEntries }];
      })),
      ...(this.changes.length === 0 ? {} : {
        membership_changes: this.changes.map((c) => ({ op: c.op, node: this.truth.nodeName(c.node), at_s: c.at / 1e6, done_after_s: c.after === null ? null : c.after / 1e6 })),
        final_members: (this.lastLeaderConfig ?? this.leadership.voters).map((m) => this.truth.nodeName(m)),
      }),
      ...(this.weakLevels.size === 0 ? {} : {
        write_levels: Object.fromEntries([...this.weakLevels].map(([level, l]) => {
          const ack = [...l.ackMs].sort((x, y) => x - y);
          const exp = [...l.exposureMs].sort((x, y) => x - y);
          let lost = 0;
          for (const w of this.exposed.values()) if (w.level === l) lost++;
          return [level, { acked: ack.length, p50_ack_ms: r3(quantile(ack, 0.5)), p95_ack_ms: r3(quantile(ack, 0.95)), p95_exposure_ms: r3(quantile(exp, 0.95)), max_exposure_ms: r3(exp.at(-1) ?? null), never_applied: lost }];
        })),
      }),
      ...(this.repairs.length === 0 ? {} : {
        log_repairs: this.repairs.map((r) => ({ member: this.truth.nodeName(r.node), at_s: r.at / 1e6, entries_lost: r.lost, repaired_after_s: r.after === null ? null : r.after / 1e6 })),
      }),
    };
  }

  toCsv(): string | undefined {
    if (!this.active) return undefined;
    return toCsv(['time_s', 'leader', 'term', 'elections', 'writes_acked', 'writes_refused', 'commit_p50_ms', 'commit_p95_ms', 'commit_p99_ms', 'leaderless_s', 'write_unavailable_s'], this.rows);
  }
}
