import { port } from '../../world/runtime.js';
import type { Inventory, StoredReply } from '../storage/messages.js';
import type { Chunk } from './chunks.js';

/**
 * Orchestrator -> worker, as a bulk transfer of the raw chunk. `orchestrator`:
 * where to answer (a relayed transfer arrives from its relay, not from the
 * orchestrator).
 */
export interface ProcessRequest { chunk: Chunk; attempt: number; orchestrator: number }
/** Worker -> orchestrator. */
/** Worker -> orchestrator; `micros`: how long the task took by the worker's own clock (the dynamic balancer's measure of it). */
export interface ProcessedReply { chunk: number; attempt: number; bytes: number; micros: number }
/** Orchestrator -> worker holding the processed chunk: send it to these targets. */
export interface DistributeRequest { chunk: number; attempt: number; targets: number[] }
export type { StoreRequest, StoredReply } from '../storage/messages.js';
/** Worker -> orchestrator: the processed output is gone (the worker restarted). */
export interface MissingReply { chunk: number; attempt: number }
/** Orchestrator -> worker: the chunk is distributed; drop the output. */
export interface ReleaseRequest { chunk: number }

/** Ports the pipeline listens on, one per message type. */
export const PipelinePort = {
  /** On every worker: a raw chunk to process. */
  process: port<ProcessRequest>('pipeline/process'),
  /** On the orchestrator: a chunk's processing finished. */
  processed: port<ProcessedReply>('pipeline/processed'),
  /** On the worker holding the output: send it to targets. */
  distribute: port<DistributeRequest>('pipeline/distribute'),
  /** On the orchestrator: a distribution target's answer. */
  stored: port<StoredReply>('pipeline/stored'),
  /** On the orchestrator: the worker no longer has the output. */
  missing: port<MissingReply>('pipeline/missing'),
  /** On the worker: the output may be dropped. */
  release: port<ReleaseRequest>('pipeline/release'),
  /** On the orchestrator while it recovers: a node's replicas. */
  inventory: port<Inventory>('pipeline/inventory'),
};
