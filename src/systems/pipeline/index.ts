/**
 * systems/pipeline/ — the data pipeline of source documents 004 and 000.
 * - orchestrator.ts: ingestion, worker assignment, distribution coordination (source node).
 * - worker.ts: processing slots, replica sending and storing (every node).
 * - placement.ts: network_aware, round_robin, load_balanced, consistent_hash.
 * - worker-broker.ts: what the orchestrator needs of a coordinator that picks workers for it.
 * - chunks.ts, messages.ts, options.ts: the data, the wire protocol, the settings.
 */
export * from './options.js';
export * from './chunks.js';
export * from './placement.js';
export { Orchestrator, type RecordPlacement } from './orchestrator.js';
export { OutcomeLog, type LoggedOutcome } from './outcome-log.js';
export { PipelineWorker } from './worker.js';
export type { WorkerBroker } from './worker-broker.js';
