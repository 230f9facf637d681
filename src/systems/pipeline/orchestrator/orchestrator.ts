import { PipelinePort } from '../messages.js';
import type { PipelineOptions } from '../options.js';
import type { LoggedOutcome } from '../outcome-log.js';
import type { SourceNodeContext } from '../source-node.js';
import type { WorkerBroker } from '../worker-broker.js';
import { ChunkStates } from './chunk-state.js';
import { RetryWaits } from './backoff.js';
import { Dispatch } from './dispatch.js';
import { Distribution } from './distribution.js';
import { Ingestion } from './ingestion.js';
import { Recovery } from './recovery.js';
import { Settlement, type OnAcked } from './settlement.js';
import type { StageContext, Stages } from './stage.js';

/**
 * Records chunk -> replicas in the metadata catalog, calling `done` once
 * committed. Kept for callers outside; the orchestrator itself commits
 * through the context's RecordReplicas.
 */
export type RecordPlacement = (chunk: number, replicas: readonly number[], done: () => void) => void;

/** What the orchestrator starts from and reports to, beside the shared context. */
export interface OrchestratorStart {
  /** Outcomes logged by a previous life of this node; null at the first boot. */
  recovered: readonly LoggedOutcome[] | null;
  /** Told of every acknowledged chunk and the replicas it was acknowledged with. */
  onAcked: OnAcked;
  /** Picks processing workers instead of the orchestrator; absent: it picks them itself. */
  broker?: WorkerBroker;
  /** Told of each replica written on after its chunk was acknowledged (`acknowledge: min_replicas`). */
  onBackgroundReplica?: (chunk: number, node: number, ok: boolean) => void;
}

/**
 * Ingestion and orchestration (document 004) with the distribution
 * coordinator (document 000), running on the source node. It owns the chunk
 * state table and wires the stages that move chunks through it: recovery
 * (after a restart), ingestion, dispatch (processing), distribution and
 * settlement. Which message goes to which stage is decided here, in the
 * order the node registers them.
 */
export class Orchestrator implements Stages {
  readonly recovery: Recovery;
  readonly ingestion: Ingestion;
  readonly dispatch: Dispatch;
  readonly distribution: Distribution;
  readonly settlement: Settlement;

  constructor(ctx: SourceNodeContext, opts: PipelineOptions, start: OrchestratorStart) {
    const { rt, registry, telemetry } = ctx;
    // Attempt numbers start from the boot time, so replies meant for a previous life are never mistaken for current ones.
    const chunks = new ChunkStates(opts, rt.monotonic() * 1024);
    // Stages only call each other once all exist, so they may hold this orchestrator as their Stages from the start.
    const shared: StageContext = { ...ctx, opts, chunks, stages: this, retryWaits: new RetryWaits(rt, opts.retryDelay, opts.backoff) };
    this.settlement = new Settlement(shared, start.recovered, start.onAcked);
    this.recovery = new Recovery(shared);
    this.ingestion = new Ingestion(shared);
    this.dispatch = new Dispatch(shared, start.broker);
    this.distribution = new Distribution(shared, start.onBackgroundReplica);
    registry.onStateChange((node, state) => {
      if (state === 'failed') this.dispatch.workerFailed(node);
    });
    rt.listen(PipelinePort.processed, (from, reply) => this.dispatch.onProcessed(from, reply));
    rt.listen(PipelinePort.stored, (_from, reply) => this.distribution.onStored(reply));
    rt.listen(PipelinePort.missing, (_from, reply) => this.distribution.onMissing(reply));
    if (start.recovered) this.recovery.start(start.recovered);
    else {
      this.settlement.createLog();
      if (chunks.length === 0) telemetry.emit({ kind: 'pipeline_done' });
      else this.ingestion.next();
    }
  }
}
