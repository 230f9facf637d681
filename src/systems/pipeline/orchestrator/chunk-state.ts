import type { SimTime } from '../../../kernel/index.js';
import type { NodeRuntime, TimerHandle } from '../../../world/runtime.js';
import type { Stage, Telemetry } from '../../telemetry.js';
import { chunkAt, chunkCount, type Chunk } from '../chunks.js';
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
  /** Targets of the current attempt that have not answered (NO_TARGETS between attempts). */
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
 * The targets of no attempt, shared by every chunk between its distribution
 * attempts: a set per chunk, kept for the whole run once the chunk is
 * acknowledged, was some 100 bytes a chunk for nothing. An attempt starts
 * with a fresh set; adding to this one would be a bug, and throws.
 */
export const NO_TARGETS: Set<number> = new (class NoTargets extends Set<number> {
  override add(): never {
    throw new Error('NO_TARGETS is shared by every chunk between attempts: start an attempt with a fresh set');
  }
})();

/**
 * Every chunk's state, by chunk id: the one table the stages share. A
 * chunk's state is made when a stage first asks for it (ingestion reaches
 * it, a reply or a recovered outcome names it); until then it is waiting.
 * Made all at the start, a million-chunk dataset cost a million objects and
 * two million sets before the first byte was read. Attempt numbers start
 * from `epoch` (the boot time, scaled), so replies meant for a previous life
 * of this node are never mistaken for current ones.
 */
export class ChunkStates {
  /** Chunks in the dataset. */
  readonly length: number;
  private readonly states = new Map<number, ChunkState>();

  constructor(private readonly opts: PipelineOptions, private readonly epoch: number) {
    this.length = chunkCount(opts.datasetBytes, opts.fileBytes, opts.chunkBytes);
  }

  /** The state of chunk `id` (0 <= id < length), made waiting if nothing asked for it before. */
  get(id: number): ChunkState {
    let state = this.states.get(id);
    if (!state) {
      const { datasetBytes, fileBytes, chunkBytes } = this.opts;
      state = {
        chunk: chunkAt(id, datasetBytes, fileBytes, chunkBytes), status: 'waiting', dispatches: this.epoch, processFailures: 0, worker: -1, processedBytes: 0, distAttempt: this.epoch, distTries: 0,
        replicas: new Set(), awaiting: NO_TARGETS, background: undefined, backgroundAttempt: -1, timer: -1, distStartedAt: 0, processStartedAt: 0, ticket: '',
      };
      this.states.set(id, state);
    }
    return state;
  }

  /** The state of chunk `id` as `get` gives it, or undefined for an id outside the dataset (a reply naming no chunk of it). */
  find(id: number): ChunkState | undefined {
    return Number.isInteger(id) && id >= 0 && id < this.length ? this.get(id) : undefined;
  }

  /** Chunk `id`'s status, without making its state. */
  status(id: number): Status {
    return this.states.get(id)?.status ?? 'waiting';
  }
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
