import type { PipelineOptions } from '../options.js';
import type { SourceNodeContext } from '../source-node.js';
import type { ChunkState } from './chunk-state.js';
import type { Dispatch } from './dispatch.js';
import type { Distribution } from './distribution.js';
import type { Ingestion } from './ingestion.js';
import type { Recovery } from './recovery.js';
import type { Settlement } from './settlement.js';

/** The orchestrator's stages, so that one can hand a chunk on to another. */
export interface Stages {
  readonly recovery: Recovery;
  readonly ingestion: Ingestion;
  readonly dispatch: Dispatch;
  readonly distribution: Distribution;
  readonly settlement: Settlement;
}

/** What every stage works with: the source node, the pipeline's settings, the chunk table and the other stages. */
export interface StageContext extends SourceNodeContext {
  readonly opts: PipelineOptions;
  /** Every chunk's state, indexed by chunk id: the one table the stages share (the Orchestrator owns it). */
  readonly chunks: readonly ChunkState[];
  /** Wired once every stage exists; a stage calls another only after construction. */
  readonly stages: Stages;
}
