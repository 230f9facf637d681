import { z } from 'zod';
import { formatSpan, MIN_PERIOD, period, periodOrOff, wait } from '../../units/index.js';
import { READ_LEVELS, type ReadLevel } from './messages.js';

/** A Raft group for metadata, with a client writing to it (the scenario's `raft:` block). */
export const raftBlock = z.strictObject({
  /** Members of the group, by node name (3, 5 or 7, across regions). */
  members: z.array(z.string()).min(1),
  /** Drawn per election from [min, max]; min at least 1ms, and above heartbeat (checked with the block). */
  election_timeout: z.strictObject({ min: wait, max: wait }),
  /** Leader heartbeat period (document 001: 50 ms); at least 1ms and under election_timeout.min. */
  heartbeat: period,
  /** Most log entries per AppendEntries. */
  max_batch: z.number().int().positive(),
  /** bounded_staleness reads: a follower serves only if it heard from the leader within this long. */
  max_staleness: wait,
  /** A leader that has not heard from a majority within an election timeout steps down. */
  check_quorum: z.boolean(),
  /** Before an election, ask whether a majority would vote (and has no leader): a member cut off cannot raise its term (document 002's suggested optimization). */
  pre_vote: z.boolean(),
  /** Every timer a member arms (election, heartbeat, state-write retry) is stretched or shrunk by a uniform draw in [-timer_noise, +timer_noise] of its length, from the member's own stream: real clocks and schedulers are never exact, and without it equal election timeouts split every vote for ever. 0: exact timers. */
  timer_noise: z.number().min(0).max(0.5),
  /** Compact the log into a snapshot every this many applied entries (0: never; document 002 plans snapshots). */
  snapshot_every: z.number().int().nonnegative(),
  /** Keep the leader in this region when a member there can lead: members elsewhere wait longer before campaigning, and a leader elsewhere hands over to an up-to-date member there (document 001's preferred region). */
  preferred_region: z.string().optional(),
  /** "shared": members keep Raft's state on their one disk, behind bulk data; "dedicated": each member has a second, identical device for it. */
  log_device: z.enum(['shared', 'dedicated']),
  client: z.strictObject({
    /** Node the client runs on. */
    node: z.string(),
    /** Mean time between writes; 0 disables the client (else at least 1ms). */
    every: periodOrOff,
    /** Retry at another member after this long without an answer (at least 1ms: the retries repeat while no member answers). */
    timeout: period,
    /** Keys written, round robin. */
    keys: z.number().int().positive(),
    /** Write n is acknowledged at level n mod the list's length (document 001's write quorums): strong once committed, the others once that many members hold it. */
    write_levels: z.array(z.enum(READ_LEVELS as unknown as [ReadLevel, ...ReadLevel[]])).min(1),
    /** Reads at consistency levels (document 001), levels taken in turn. */
    reads: z.strictObject({
      every: periodOrOff,
      levels: z.array(z.enum(READ_LEVELS as unknown as [ReadLevel, ...ReadLevel[]])).min(1),
    }),
  }),
}).superRefine((raft, ctx) => {
  // Only what cannot work: a timeout under a millisecond, an empty range, a leader that cannot heartbeat before followers time out.
  const { min, max } = raft.election_timeout;
  if (min < MIN_PERIOD) ctx.addIssue({ code: 'custom', path: ['election_timeout', 'min'], message: 'must be at least 1ms (elections would follow one another every few microseconds)' });
  else if (min > max) ctx.addIssue({ code: 'custom', path: ['election_timeout', 'min'], message: `must not exceed election_timeout.max (${formatSpan(max)})` });
  else if (raft.heartbeat >= min) ctx.addIssue({ code: 'custom', path: ['heartbeat'], message: `must be shorter than election_timeout.min (${formatSpan(min)}): followers would start elections between a leader's heartbeats` });
  else if (raft.heartbeat * (1 + raft.timer_noise) >= min * (1 - raft.timer_noise)) ctx.addIssue({ code: 'custom', path: ['timer_noise'], message: `is too large for heartbeat ${formatSpan(raft.heartbeat)} and election_timeout.min ${formatSpan(min)}: a heartbeat stretched by the noise, ${formatSpan(Math.round(raft.heartbeat * (1 + raft.timer_noise)))}, would outlast an election timeout shrunk by it, ${formatSpan(Math.round(min * (1 - raft.timer_noise)))}` });
});
export type RaftBlock = z.output<typeof raftBlock>;

