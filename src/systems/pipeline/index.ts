/**
 * systems/pipeline/ — the data pipeline of source documents 004 and 000.
 * - orchestrator/: the source node's stages (recovery, ingestion, dispatch, distribution,
 *   settlement), wired by a thin Orchestrator that owns the chunk state table.
 * - source-node.ts, placed-bytes.ts: what the orchestrator, repairer and rebalancer share
 *   (the context built by boot.ts, the ledger of bytes placed on each member).
 * - worker.ts: processing slots, replica sending and storing (every node).
 * - placement.ts: network_aware, round_robin, load_balanced, consistent_hash, random, copyset.
 * - worker-broker.ts: what the orchestrator needs of a coordinator that picks workers for it.
 * - chunks.ts, messages.ts, options.ts: the data, the wire protocol, the settings.
 */
export * from './options.js';
export * from './chunks.js';
export * from './placement.js';
export { Orchestrator, type OrchestratorStart, type RecordPlacement } from './orchestrator/orchestrator.js';
export { PlacedBytes } from './placed-bytes.js';
export type { SourceNodeContext } from './source-node.js';
export type { SourceServices } from './boot.js';
export { OutcomeLog, type LoggedOutcome } from './outcome-log.js';
export { PipelineWorker } from './worker.js';
export type { WorkerBroker } from './worker-broker.js';
