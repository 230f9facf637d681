import type { SimTime } from '../../kernel/index.js';
import type { AppliedPagePool } from './applied-ids.js';
import type { ReadLevel } from './messages.js';

/** A Raft group for metadata (documents 001 and 002). */
export interface RaftOptions {
  /** Node indexes of the group's initial members (3, 5 or 7, across regions): its first configuration. */
  members: readonly number[];
  /** Nodes the scenario adds later (raft_add_member): they run a member that starts outside the configuration. */
  joiners: readonly number[];
  /** The scenario changes the membership (adds or removes): the client's node runs the operator's tool. */
  changes: boolean;
  /** Election timeout drawn uniformly from [min, max] each time it is armed, microseconds (document 001: 150-300 ms). */
  electionTimeoutMin: SimTime;
  electionTimeoutMax: SimTime;
  /** Leader heartbeat period, microseconds (document 001: 50 ms). */
  heartbeatInterval: SimTime;
  /** Most entries in one AppendEntries. */
  maxBatch: number;
  /** bounded_staleness: a follower serves reads only if it heard from the leader within this long, microseconds. */
  maxStaleness: SimTime;
  /** A leader that has not heard from a majority within an election timeout steps down (and refuses writes). */
  checkQuorum: boolean;
  /**
   * Pre-vote (Ongaro's thesis, 9.6): a member whose election timer fires first
   * asks, without changing its term, whether a majority would vote for it;
   * members that heard from a leader within the minimum election timeout say
   * no. Only with a majority of yeses does it start a real election.
   */
  preVote: boolean;
  /** The region (an index) the leader should be in, or -1: members elsewhere campaign later, and a leader elsewhere hands over. */
  preferredRegion: number;
  /** Region (an index) of every node, for the `session` write level's same-region quorum. */
  regionOf: readonly number[];
  /** Every member timer's length is scaled by 1 + a uniform draw in [-timerNoise, +timerNoise]; 0: exact. */
  timerNoise: number;
  /** Snapshot the state machine every this many applied entries, keeping that many entries before the snapshot in the log; 0: never (document 002: no compaction yet). */
  snapshotEvery: number;
  /** Test-only deliberate bugs. */
  defects: ReadonlySet<RaftDefect>;
  /** Memory the members' state machines share, one per run: pages of applied ids they filled alike. Not simulated state. */
  appliedPages: AppliedPagePool;
}

/**
 * Deliberate bugs, switched on only by tests, to show each checker can fail.
 * - double_vote: a member may grant a second vote in a term it already voted in;
 * - vote_without_log_check: a member grants votes without the up-to-date check;
 * - skip_log_check: a follower appends entries without the consistency check;
 * - ack_before_commit: a leader acknowledges a write as soon as it is in its own log;
 * - unconfirmed_strong_reads: a leader answers strong reads at once, without confirming it still leads;
 * - ignore_session: a member answers session reads without checking it has applied the client's session;
 * - commit_short_of_majority: a leader commits with one member fewer than a majority;
 * - add_two_at_once: a leader adding a member takes a second addition into the same configuration (two servers at once, without joint consensus);
 * - vote_with_damaged_log: a member that read back a damaged log votes and campaigns before repairing it.
 */
export const RAFT_DEFECTS = ['double_vote', 'vote_without_log_check', 'skip_log_check', 'ack_before_commit', 'unconfirmed_strong_reads', 'ignore_session', 'commit_short_of_majority', 'add_two_at_once', 'vote_with_damaged_log'] as const;
export type RaftDefect = (typeof RAFT_DEFECTS)[number];

/** A client workload writing to the group (document 002's catalog operations). */
export interface RaftClientOptions {
  /** Node the client runs on. */
  node: number;
  /** Mean time between writes (Poisson), microseconds; 0 disables the client. */
  every: SimTime;
  /** A write not answered within this long is retried at another member, microseconds. */
  timeout: SimTime;
  /** Keys written, round robin. */
  keys: number;
  /** Levels the writes are acknowledged at, in turn (document 001's write quorums). */
  writeLevels: readonly ReadLevel[];
  /** Mean time between reads (Poisson), microseconds; 0: no reads. */
  readEvery: SimTime;
  /** Levels the reads use, in turn. */
  readLevels: readonly ReadLevel[];
}
