import type { Chunk } from './chunks.js';

/** Ports the pipeline listens on, one per message type. */
export const Port = {
  process: 'pipeline/process',
  processed: 'pipeline/processed',
  distribute: 'pipeline/distribute',
  stored: 'pipeline/stored',
  missing: 'pipeline/missing',
  release: 'pipeline/release',
  inventory: 'pipeline/inventory',
} as const;

/** Orchestrator -> worker, as a bulk transfer of the raw chunk. */
export interface ProcessRequest { chunk: Chunk; attempt: number }
/** Worker -> orchestrator. */
export interface ProcessedReply { chunk: number; attempt: number; bytes: number }
/** Orchestrator -> worker holding the processed chunk: send it to these targets. */
export interface DistributeRequest { chunk: number; attempt: number; targets: number[] }
export type { StoreRequest, StoredReply } from '../storage/messages.js';
/** Worker -> orchestrator: the processed output is gone (the worker restarted). */
export interface MissingReply { chunk: number; attempt: number }
/** Orchestrator -> worker: the chunk is distributed; drop the output. */
export interface ReleaseRequest { chunk: number }
