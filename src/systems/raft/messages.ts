/** One log entry: a command from a client, tagged with the term it was proposed in. */
export interface Entry {
  term: number;
  /** Client-chosen unique id of the write. */
  id: string;
  key: string;
  value: number;
}

export const RaftPort = {
  requestVote: 'raft/request-vote',
  vote: 'raft/vote',
  append: 'raft/append',
  appendReply: 'raft/append-reply',
  propose: 'raft/propose',
  proposeReply: 'raft/propose-reply',
} as const;

export interface RequestVote { term: number; lastLogIndex: number; lastLogTerm: number }
export interface VoteReply { term: number; granted: boolean }
export interface AppendEntries { term: number; prevLogIndex: number; prevLogTerm: number; entries: Entry[]; leaderCommit: number }
export interface AppendReply { term: number; success: boolean; /** Highest index known to match the leader's log (on success), or a hint where to retry. */ matchIndex: number }
export interface Propose { id: string; key: string; value: number }
/** Reply to a client: committed, or not the leader (with a hint). */
export interface ProposeReply { id: string; ok: boolean; leaderHint: number }
