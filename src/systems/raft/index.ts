/**
 * systems/raft/ — Raft for metadata (documents 001 and 002).
 * - raft-node.ts: one member: elections, replication, commit, persistence.
 * - client.ts: a write workload with redirects and retries.
 * - messages.ts, options.ts: the wire protocol and the settings.
 */
export * from './options.js';
export * from './messages.js';
export { RaftNode } from './raft-node.js';
export { RaftClient } from './client.js';
export { RaftProposer } from './proposer.js';
export { raftCatalogWriter } from './catalog-writer.js';
