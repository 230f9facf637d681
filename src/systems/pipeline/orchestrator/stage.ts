import type { PipelineOptions } from '../options.js';
import type { SourceNodeContext } from '../source-node.js';
import type { ChunkState, ChunkStates } from './chunk-state.js';
import type { RetryWaits } from './backoff.js';
import type { LoggedOutcome } from '../outcome-log.js';

/**
 * The orchestrator's stages as they see each other: only what one calls on
 * another to hand a chunk on (the stage classes implement these, and depend
 * on this file, never on each other).
 */
export interface Stages {
  readonly recovery: { readonly active: boolean };
  readonly ingestion: { next(): void; hold(): void; release(): void };
  readonly dispatch: { stage(state: ChunkState): void; outputLost(state: ChunkState, reason: string): void; reprocess(state: ChunkState, reason: string): void; settled(state: ChunkState): void };
  readonly distribution: { enqueue(state: ChunkState): void; next(): void; withdraw(state: ChunkState): void };
  readonly settlement: { readonly allSettled: boolean; finish(state: ChunkState, outcome: 'acked' | 'failed', reason: string): void; restore(o: LoggedOutcome): void };
}

/** What every stage works with: the source node, the pipeline's settings, the chunk table and the other stages. */
export interface StageContext extends SourceNodeContext {
  readonly opts: PipelineOptions;
  /** Every chunk's state, by chunk id: the one table the stages share (the Orchestrator owns it). */
  readonly chunks: ChunkStates;
  /** Wired once every stage exists; a stage calls another only after construction. */
  readonly stages: Stages;
  /** The wait before each retry (`retry_delay`, grown by `backoff`). */
  readonly retryWaits: RetryWaits;
}

/** The reason an acknowledgement gives when a restarted orchestrator adopts replicas its previous life wrote (from the nodes' inventories). */
export const ADOPTED = 'adopted from inventories after a restart';
