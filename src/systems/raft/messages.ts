import { port, type Port } from '../../world/runtime.js';
import type { Entry } from './log.js';
import type { Snapshot } from './state-machine.js';

/** Document 001's read consistency levels. */
export type ReadLevel = 'strong' | 'bounded_staleness' | 'session' | 'consistent_prefix' | 'eventual';
export const READ_LEVELS: readonly ReadLevel[] = ['strong', 'bounded_staleness', 'session', 'consistent_prefix', 'eventual'];

/** A read of one key at a consistency level; `session` is the highest index this client has written or read. */
export interface Read { id: string; key: string; level: ReadLevel; session: number }
/** The value as of `index` (the member's applied index when it answered), or a refusal with a reason. */
export interface ReadReply { id: string; ok: boolean; value: number | null; /** Id of the write that set the value ('' for none): what a linearizability checker needs. */ writeId: string; index: number; reason: string; leaderHint: number }

export interface RequestVote { term: number; lastLogIndex: number; lastLogTerm: number }
export interface VoteReply { term: number; granted: boolean }
/** Would you vote for me in `term` (my term + 1)? Changes nothing at the receiver. */
export interface PreVote { term: number; lastLogIndex: number; lastLogTerm: number }
export interface PreVoteReply { /** The term asked about, so answers to an earlier round are recognised. */ term: number; /** The answering member's own term. */ current: number; granted: boolean }
export interface AppendEntries { term: number; prevLogIndex: number; prevLogTerm: number; entries: Entry[]; leaderCommit: number; /** Heartbeat round, echoed back: confirms leadership for strong reads. */ round: number }
export interface AppendReply { term: number; success: boolean; /** Highest index known to match the leader's log (on success), or a hint where to retry. */ matchIndex: number; round: number; /** Echo of the request's prevLogIndex, so stale replies are recognised. */ prevLogIndex: number }
/** The leader's snapshot, for a follower that needs entries the leader compacted away; answered with an AppendReply. */
export interface InstallSnapshot { term: number; snapshot: Snapshot; round: number }
export interface Propose { id: string; key: string; value: number; /** Where the proposer listens for the answer. */ replyPort: Port<ProposeReply>; /** Document 001's write level (absent: strong). */ level?: ReadLevel }
/** Reply to a client: committed (at `index`), or refused with a reason and a leader hint. */
export interface ProposeReply { id: string; ok: boolean; leaderHint: number; index: number; reason: string }

/** An operator's membership change (single-server, Ongaro's thesis ch. 4): add a member (caught up as a learner first) or remove one. */
export interface Reconfigure { id: string; op: 'add' | 'remove'; node: number; replyPort: Port<ReconfigureReply> }
/** Done (the new configuration is committed), or refused with a reason (`not_leader`, `no_leader`, `busy`: another change is under way). */
export interface ReconfigureReply { id: string; ok: boolean; reason: string; leaderHint: number }
/** The operator's command to the admin tool on the client's node: change the group's membership. */
export interface MembershipCommand { op: 'add' | 'remove'; node: number }

/**
 * Raft's ports, each named after what it carries. The wire names are what
 * traces and determinism digests show: never rename them.
 */
export const RaftPort = {
  requestVote: port<RequestVote>('raft/request-vote'),
  preVote: port<PreVote>('raft/pre-vote'),
  preVoteReply: port<PreVoteReply>('raft/pre-vote-reply'),
  voteReply: port<VoteReply>('raft/vote'),
  appendEntries: port<AppendEntries>('raft/append'),
  /** Answers both AppendEntries and InstallSnapshot. */
  appendReply: port<AppendReply>('raft/append-reply'),
  installSnapshot: port<InstallSnapshot>('raft/install-snapshot'),
  propose: port<Propose>('raft/propose'),
  /** The client workload's proposer hears its answers here. */
  proposeReply: port<ProposeReply>('raft/propose-reply'),
  /** The metadata catalog's proposer hears its answers here: a port of its own, so it can share a node with the client workload. */
  catalogProposeReply: port<ProposeReply>('catalog/raft-reply'),
  /** A leader handing over (to the preferred region): campaign now, without waiting for the election timeout (Ongaro's thesis, 3.10). */
  timeoutNow: port<{ term: number }>('raft/timeout-now'),
  reconfigure: port<Reconfigure>('raft/reconfigure'),
  reconfigureReply: port<ReconfigureReply>('raft/reconfigure-reply'),
  /** The operator's command (a fault delivers it to the client's node). */
  membershipCommand: port<MembershipCommand>('admin/raft-membership'),
  read: port<Read>('raft/read'),
  readReply: port<ReadReply>('raft/read-reply'),
};
