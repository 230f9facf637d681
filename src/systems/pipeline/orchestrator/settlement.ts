import { StoragePort } from '../../storage/messages.js';
import { contentChecksum } from '../chunks.js';
import { PipelinePort } from '../messages.js';
import { OutcomeLog, type LoggedOutcome } from '../outcome-log.js';
import { reportRetry, type ChunkState } from './chunk-state.js';
import { ADOPTED, type StageContext } from './stage.js';

/** Told of every acknowledged chunk and the replicas it was acknowledged with (the catalog and the repairer listen). */
export type OnAcked = (chunk: number, bytes: number, checksum: number, replicas: Iterable<number>) => void;

/**
 * Settles chunks: acknowledged or failed. An outcome is announced
 * (telemetry, catalog, worker release) only once the OutcomeLog holds it, so
 * it survives a crash of this node; with a Raft catalog an acknowledgement
 * is committed there first. Counts settled chunks, to say when the pipeline
 * is done.
 */
export class Settlement {
  private readonly log: OutcomeLog;
  private finished = 0;

  constructor(private readonly ctx: StageContext, recovered: readonly LoggedOutcome[] | null, private readonly onAcked: OnAcked) {
    this.log = new OutcomeLog(ctx.rt, recovered ?? [], ctx.opts.checkpoint, ctx.telemetry);
  }

  /** The first boot: create the (empty) log, so a later boot knows it is a restart. */
  createLog(): void {
    this.log.create();
  }

  /** Whether every chunk has settled. */
  get allSettled(): boolean {
    return this.finished === this.ctx.chunks.length;
  }

  /** A previous life of this node logged the chunk's outcome: it stays settled, and an acknowledged chunk's replicas count again. */
  restore(o: LoggedOutcome): void {
    const state = this.ctx.chunks.get(o.chunk);
    state.status = o.outcome;
    state.replicas = new Set(o.replicas);
    this.finished++;
    if (o.outcome === 'acked') {
      for (const n of o.replicas) this.ctx.placed.place(n, o.bytes);
      this.tellAcked(o.chunk, o.bytes, state.replicas);
    }
  }

  finish(state: ChunkState, outcome: 'acked' | 'failed', reason: string): void {
    const { ingestion } = this.ctx.stages;
    state.status = outcome;
    ingestion.release();
    const id = state.chunk.id;
    if (outcome === 'acked') this.trimSurplus(state);
    const placed = outcome === 'acked' ? [...state.replicas] : [];
    const logIt = (): void => {
      // The catalog commit may have waited long: replicas on nodes declared failed meanwhile are not announced.
      const replicas = placed.filter((n) => this.ctx.registry.state(n) !== 'failed');
      if (replicas.length < placed.length) {
        for (const n of placed) if (!replicas.includes(n)) this.ctx.placed.takeBack(n, state.processedBytes);
        state.replicas = new Set(replicas);
        if (replicas.length < this.ctx.opts.minReplicasSuccess) return this.redistribute(state);
      }
      this.announce(state, outcome, replicas, reason);
    };
    // With a Raft catalog, the placement is committed there first: no majority, no acknowledgement.
    if (outcome === 'acked' && this.ctx.record) this.ctx.record(id, () => placed, logIt);
    else logIt();
    ingestion.next();
  }

  /** Too few of a settled chunk's replicas outlived the catalog commit: it goes back to distribution, keeping the survivors. */
  private redistribute(state: ChunkState): void {
    this.ctx.stages.ingestion.hold();
    reportRetry(this.ctx.telemetry, state, 'distribution', `${state.replicas.size} of ${this.ctx.opts.minReplicasSuccess} replicas left after the catalog commit`);
    this.ctx.stages.distribution.enqueue(state);
  }

  /** Logs the outcome, then announces it (telemetry, worker release, catalog). */
  private announce(state: ChunkState, outcome: 'acked' | 'failed', replicas: number[], reason: string): void {
    const { telemetry } = this.ctx;
    const { id, bytes } = state.chunk;
    this.log.append({ chunk: id, outcome, replicas, bytes: state.processedBytes, reason }, () => {
      this.finished++;
      this.ctx.stages.dispatch.settled(state);
      if (outcome === 'acked') {
        telemetry.emit({ kind: 'acked', chunk: id, bytes, replicas, pending: state.background?.size ?? 0, adopted: reason === ADOPTED });
        if (state.worker >= 0) this.ctx.rt.send(state.worker, PipelinePort.release, { chunk: id });
        this.tellAcked(id, state.processedBytes, state.replicas);
      } else {
        telemetry.emit({ kind: 'chunk_failed', chunk: id, bytes, reason });
      }
      if (this.allSettled) {
        telemetry.emit({ kind: 'pipeline_done' });
        this.log.checkpointNow();
      }
    });
  }

  /** The catalog learns of an acknowledged chunk, with its processed output's checksum (content version 1). */
  private tellAcked(chunk: number, bytes: number, replicas: Iterable<number>): void {
    this.onAcked(chunk, bytes, contentChecksum(chunk, 1), replicas);
  }

  /** Replicas beyond the replication factor (late answers, a previous life's work) are deleted. */
  private trimSurplus(state: ChunkState): void {
    const surplus = [...state.replicas].slice(this.ctx.opts.replicationFactor);
    for (const node of surplus) {
      state.replicas.delete(node);
      this.ctx.placed.takeBack(node, state.processedBytes);
      this.ctx.rt.send(node, StoragePort.remove, { chunk: state.chunk.id });
      this.ctx.telemetry.emit({ kind: 'orphan_removed', chunk: state.chunk.id, node });
    }
  }
}
