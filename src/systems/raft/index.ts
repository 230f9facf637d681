/**
 * systems/raft/ — Raft for metadata (documents 001 and 002).
 * - raft-node.ts: one member: elections, replication, commit, persistence.
 * - client.ts: the client workload: writes through a proposer, reads at each consistency level.
 * - messages.ts, options.ts: the wire protocol (typed ports) and the settings.
 * - log.ts: a member's log after its snapshot; state-machine.ts: the replicated map and its snapshots.
 * - proposer.ts: gets writes committed (redirects, retries); catalog-writer.ts: the metadata catalog's writes through it.
 */
export * from './options.js';
export * from './messages.js';
export type { Entry } from './log.js';
export { RaftNode } from './raft-node.js';
export { RaftClient } from './client.js';
export { RaftProposer } from './proposer.js';
export { raftCatalogWriter } from './catalog-writer.js';
