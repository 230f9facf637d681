import type { SimTime } from '../../../kernel/index.js';
import type { NodeRuntime, TimerHandle } from '../../../world/runtime.js';
import type { Stage, Telemetry } from '../../telemetry.js';
import { planChunks, type Chunk } from '../chunks.js';
import type { PipelineOptions } from '../options.js';

export type Status = 'waiting' | 'ingesting' | 'staged' | 'assigning' | 'processing' | 'processed' | 'distributing' | 'process_retry_wait' | 'dist_retry_wait' | 'acked' | 'failed';

/** Where one chunk is in the orchestrator's stages; the stages move it along by changing `status`. */
export interface ChunkState {
  chunk: Chunk;
  status: Status;
  /** Dispatches so far; the latest one's number identifies the live attempt. */
  dispatches: number;
  /** Attempts that failed after the worker had the chunk (timeouts, lost output). */
  processFailures: number;
  /** Worker holding (or producing) the processed output. */
  worker: number;
  processedBytes: number;
  /** Number of the current distribution attempt; never reused, so stale replies are recognised. */
  distAttempt: number;
  /** Distribution attempts since the chunk was last processed (retry budget). */
  distTries: number;
  /** Targets with a verified replica. */
  replicas: Set<number>;
  /** Targets of the current attempt that have not answered. */
  awaiting: Set<number>;
  /** Targets still writing after the chunk was acknowledged (`acknowledge: min_replicas`), and their attempt; made only then (a Set per chunk of a million-chunk run is tens of MB). */
  background: Set<number> | undefined;
  backgroundAttempt: number;
  timer: TimerHandle | -1;
  distStartedAt: SimTime;
  /** When the current processing attempt was sent, by the orchestrator's monotonic clock. */
  processStartedAt: SimTime;
  /** With a broker: the ticket of the processing attempt it was asked a worker for, '' when none is open. */
  ticket: string;
}

/**
 * The dataset's chunks, all waiting. Attempt numbers start from `epoch` (the
 * boot time, scaled), so replies meant for a previous life of this node are
 * never mistaken for current ones.
 */
export function planChunkStates(opts: PipelineOptions, epoch: number): ChunkState[] {
  return planChunks(opts.datasetBytes, opts.fileBytes, opts.chunkBytes).map((chunk) => ({
    chunk, status: 'waiting', dispatches: epoch, processFailures: 0, worker: -1, processedBytes: 0, distAttempt: epoch, distTries: 0,
    replicas: new Set(), awaiting: new Set(), background: undefined, backgroundAttempt: -1, timer: -1, distStartedAt: 0, processStartedAt: 0, ticket: '',
  }));
}

/** Stops the chunk's pending processing or distribution timeout, if any. */
export function cancelTimer(rt: NodeRuntime, state: ChunkState): void {
  if (state.timer !== -1) rt.cancelTimer(state.timer);
  state.timer = -1;
}

/** Reports that the chunk goes through `stage` again, and why. */
export function reportRetry(telemetry: Telemetry, state: ChunkState, stage: Stage, reason: string): void {
  telemetry.emit({ kind: 'retry', stage, chunk: state.chunk.id, reason });
}
