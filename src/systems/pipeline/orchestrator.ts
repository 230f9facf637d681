import type { SimTime } from '../../kernel/index.js';
import type { TimerHandle } from '../../world/runtime.js';
import type { Stage } from '../telemetry.js';
import { contentChecksum, planChunks, type Chunk } from './chunks.js';
import { StoragePort } from '../storage/messages.js';
import { PipelinePort, type MissingReply, type ProcessedReply, type StoredReply } from './messages.js';
import { OutcomeLog, type LoggedOutcome } from './outcome-log.js';
import type { PipelineOptions } from './options.js';
import { makePlacement, type PlacementStrategy } from './placement.js';
import type { SourceNodeContext } from './source-node.js';
import type { WorkerBroker } from './worker-broker.js';

/**
 * Records chunk -> replicas in the metadata catalog, calling `done` once
 * committed. Kept for callers outside; the orchestrator now takes the
 * context's RecordReplicas.
 */
export type RecordPlacement = (chunk: number, replicas: readonly number[], done: () => void) => void;

/** What the orchestrator starts from and reports to, beside the shared context. */
export interface OrchestratorStart {
  /** Outcomes logged by a previous life of this node; null at the first boot. */
  recovered: readonly LoggedOutcome[] | null;
  /** Told of every acknowledged chunk and the replicas it was acknowledged with. */
  onAcked: (chunk: number, bytes: number, checksum: number, replicas: ReadonlySet<number>) => void;
  /** Picks processing workers instead of the orchestrator; absent: it picks them itself. */
  broker?: WorkerBroker;
}

type Status = 'waiting' | 'ingesting' | 'staged' | 'assigning' | 'processing' | 'processed' | 'distributing' | 'process_retry_wait' | 'dist_retry_wait' | 'acked' | 'failed';

interface ChunkState {
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
  timer: TimerHandle | -1;
  distStartedAt: SimTime;
  /** With a broker: the ticket of the processing attempt it was asked a worker for, '' when none is open. */
  ticket: string;
}

/**
 * Ingestion and orchestration (document 004) with the distribution coordinator
 * (document 000), running on the source node: reads the dataset into chunks,
 * hands each to the least-loaded worker, then has the worker send it to
 * `replicationFactor` targets chosen by the placement strategy, retrying as
 * document 000 prescribes.
 *
 * Outcomes are announced only once written to its OutcomeLog, so a restarted
 * orchestrator resumes from the log: logged chunks are done; for the rest it
 * asks every node what it holds, adopts chunks that already have
 * min_replicas_success replicas, keeps partial replicas and redoes the rest.
 * Attempt numbers start from the boot time, so replies meant for a previous
 * life are never mistaken for current ones.
 *
 * With a WorkerBroker (`coordination: coordinator`), the orchestrator does
 * not pick workers: each processing attempt waits (`assigning`) until the
 * broker's coordinator has an agent claim it, and the broker is told when the
 * attempt ends. Everything after the claim is the same as when it picks.
 */
export class Orchestrator {
  private readonly chunks: ChunkState[];
  private readonly placement: PlacementStrategy;
  private readonly tasksOn: Int32Array;
  private readonly processQueue: ChunkState[] = [];
  private readonly distQueue: ChunkState[] = [];
  private nextToIngest = 0;
  private reading = false;
  private staged = 0;
  private activeDistributions = 0;
  private finished = 0;
  private dispatchWake: TimerHandle | -1 = -1;
  private readonly log: OutcomeLog;
  /** Replicas reported by nodes while recovering, by chunk. */
  private recovering: Map<number, Set<number>> | undefined;
  private readonly onAcked: OrchestratorStart['onAcked'];
  private readonly broker: WorkerBroker | undefined;

  constructor(private readonly ctx: SourceNodeContext, private readonly opts: PipelineOptions, start: OrchestratorStart) {
    const { rt, registry, telemetry } = ctx;
    const { recovered } = start;
    this.onAcked = start.onAcked;
    this.broker = start.broker;
    this.log = new OutcomeLog(rt, recovered ?? []);
    const epoch = rt.monotonic() * 1024;
    this.placement = makePlacement(opts.placement);
    registry.onStateChange((node, state) => {
      if (state === 'failed') this.workerFailed(node);
    });
    this.tasksOn = new Int32Array(ctx.cluster.members.length);
    this.chunks = planChunks(opts.datasetBytes, opts.fileBytes, opts.chunkBytes).map((chunk) => ({
      chunk, status: 'waiting', dispatches: epoch, processFailures: 0, worker: -1, processedBytes: 0, distAttempt: epoch, distTries: 0,
      replicas: new Set(), awaiting: new Set(), timer: -1, distStartedAt: 0, ticket: '',
    }));
    rt.listen(PipelinePort.processed, (from, reply) => this.onProcessed(from, reply));
    rt.listen(PipelinePort.stored, (_from, reply) => this.onStored(reply));
    rt.listen(PipelinePort.missing, (_from, reply) => this.onMissing(reply));
    if (recovered) this.recover(recovered);
    else {
      this.log.create();
      if (this.chunks.length === 0) telemetry.emit({ kind: 'pipeline_done' });
      else this.ingestNext();
    }
  }

  // --- recovery ------------------------------------------------------------

  private recover(recovered: readonly LoggedOutcome[]): void {
    for (const o of recovered) {
      const state = this.chunks[o.chunk]!;
      state.status = o.outcome;
      state.replicas = new Set(o.replicas);
      this.finished++;
      if (o.outcome === 'acked') {
        for (const n of o.replicas) this.ctx.placed.place(n, o.bytes);
        this.onAcked(o.chunk, o.bytes, contentChecksum(o.chunk, 1), state.replicas);
      }
    }
    if (this.finished === this.chunks.length) return;
    this.recovering = new Map();
    this.ctx.rt.listen(PipelinePort.inventory, (from, inv) => {
      for (const chunk of inv.chunks) this.recovering?.set(chunk, (this.recovering.get(chunk) ?? new Set()).add(from));
    });
    for (const m of this.ctx.cluster.members) this.ctx.rt.send(m.index, StoragePort.inventoryRequest, { replyPort: PipelinePort.inventory });
    this.ctx.rt.setTimer(this.opts.recoveryWait, () => this.resume());
  }

  /** After the inventories: adopt what is already safe, keep partial replicas, redo the rest. */
  private resume(): void {
    const found = this.recovering!;
    // `recovering` stays set through the loop, so settling a chunk does not start ingestion midway.
    for (const state of this.chunks) {
      if (state.status !== 'waiting') continue;
      for (const n of found.get(state.chunk.id) ?? []) state.replicas.add(n);
      if (state.replicas.size >= this.opts.minReplicasSuccess) {
        state.processedBytes = Math.round(state.chunk.bytes * this.opts.outputRatio);
        for (const n of state.replicas) this.ctx.placed.place(n, state.processedBytes);
        this.staged++;
        this.finish(state, 'acked', '');
      }
    }
    this.recovering = undefined;
    this.ingestNext();
  }

  // --- ingestion -----------------------------------------------------------

  private ingestNext(): void {
    if (this.recovering) return;
    while (this.nextToIngest < this.chunks.length && this.chunks[this.nextToIngest]!.status !== 'waiting') this.nextToIngest++;
    if (this.reading || this.nextToIngest >= this.chunks.length || this.staged >= this.opts.maxStagedChunks) return;
    const state = this.chunks[this.nextToIngest++]!;
    state.status = 'ingesting';
    this.reading = true;
    this.staged++;
    const micros = Math.ceil((state.chunk.bytes * 1_000_000) / this.opts.ingestBytesPerS);
    this.ctx.rt.setTimer(micros, () => {
      this.reading = false;
      this.ctx.telemetry.emit({ kind: 'busy', stage: 'ingestion', micros });
      this.ctx.telemetry.emit({ kind: 'ingested', chunk: state.chunk.id, bytes: state.chunk.bytes });
      state.status = 'staged';
      this.processQueue.push(state);
      this.dispatch();
      this.ingestNext();
    });
  }

  // --- processing ----------------------------------------------------------

  /** Least-loaded healthy worker with a free slot (load = tasks / slots), ties by index. */
  private pickWorker(): number {
    let best = -1;
    let bestLoad = Infinity;
    for (const m of this.ctx.registry.healthyMembers()) {
      const tasks = this.tasksOn[m.index]!;
      if (tasks >= m.slots) continue;
      const load = tasks / m.slots;
      if (load < bestLoad) {
        best = m.index;
        bestLoad = load;
      }
    }
    return best;
  }

  private dispatch(): void {
    if (this.broker) return this.requestWorkers(this.broker);
    while (this.processQueue.length > 0) {
      const worker = this.pickWorker();
      if (worker < 0) return this.wakeDispatchLater();
      const state = this.processQueue.shift()!;
      this.sendForProcessing(state, worker, ++state.dispatches);
    }
  }

  /**
   * Each staged chunk's next attempt is numbered now and waits for the
   * broker: the worker is whoever claims it. A claim for an attempt that has
   * moved on is declined, and the broker lets that worker go.
   */
  private requestWorkers(broker: WorkerBroker): void {
    while (this.processQueue.length > 0) {
      const state = this.processQueue.shift()!;
      const attempt = ++state.dispatches;
      state.status = 'assigning';
      state.ticket = broker.request((worker) => {
        if (state.status !== 'assigning' || state.dispatches !== attempt) return false;
        this.sendForProcessing(state, worker, attempt);
        return true;
      });
    }
  }

  /** The processing attempt is over: the broker frees its worker's slot. */
  private closeTicket(state: ChunkState, ok: boolean): void {
    if (!this.broker || state.ticket === '') return;
    this.broker.finished(state.ticket, ok);
    state.ticket = '';
  }

  /** Nobody can take work now: look again once suspicions may have expired. */
  private wakeDispatchLater(): void {
    if (this.dispatchWake !== -1) return;
    this.dispatchWake = this.ctx.rt.setTimer(this.opts.retryDelay, () => {
      this.dispatchWake = -1;
      this.dispatch();
    });
  }

  private sendForProcessing(state: ChunkState, worker: number, attempt: number): void {
    state.status = 'processing';
    state.worker = worker;
    this.tasksOn[worker]!++;
    state.timer = this.ctx.rt.setTimer(this.opts.processingTimeout, () => this.processingFailed(state, attempt, 'timeout'));
    this.ctx.rt.transfer(worker, PipelinePort.process, state.chunk.bytes, { chunk: state.chunk, attempt }, (ok) => {
      if (!ok) this.processingFailed(state, attempt, 'transfer broke');
    });
  }

  private onProcessed(from: number, reply: ProcessedReply): void {
    const state = this.chunks[reply.chunk];
    if (!state || state.status !== 'processing' || state.dispatches !== reply.attempt || state.worker !== from) return;
    this.cancelTimer(state);
    this.tasksOn[from]!--;
    this.closeTicket(state, true);
    this.ctx.registry.clear(from);
    state.status = 'processed';
    state.processedBytes = reply.bytes;
    this.distQueue.push(state);
    this.distributeNext();
    this.dispatch();
  }

  /**
   * The detector declared `node` failed: work on it is redone elsewhere now,
   * not after timeouts (document 003's reassignment).
   */
  private workerFailed(node: number): void {
    for (const state of this.chunks) {
      if (state.worker !== node) continue;
      if (state.status === 'processing') this.processingFailed(state, state.dispatches, 'worker declared failed');
      else if (state.status === 'processed' || state.status === 'distributing' || state.status === 'dist_retry_wait') this.outputLost(state, `worker ${node} declared failed`);
    }
  }

  /** The processed output is gone with its worker: process the staged chunk again. */
  private outputLost(state: ChunkState, reason: string): void {
    if (state.status === 'distributing') this.endAttempt(state, (t) => this.ctx.placed.takeBack(t, state.processedBytes));
    else if (state.status === 'processed') this.distQueue.splice(this.distQueue.indexOf(state), 1);
    state.distTries = 0;
    this.reprocessOrFail(state, reason, true);
    this.dispatch();
    this.distributeNext();
  }

  private processingFailed(state: ChunkState, attempt: number, reason: 'timeout' | 'transfer broke' | 'worker declared failed'): void {
    if (state.status !== 'processing' || state.dispatches !== attempt) return;
    this.cancelTimer(state);
    this.tasksOn[state.worker]!--;
    this.closeTicket(state, false);
    this.ctx.registry.suspect(state.worker);
    // A stream that broke never delivered the chunk: the work did not start, so it costs no attempt.
    this.reprocessOrFail(state, `processing ${reason} on node ${state.worker}`, reason !== 'transfer broke');
    this.dispatch();
  }

  /** Queues the chunk for processing again after `retryDelay`, or fails it once attempts run out. */
  private reprocessOrFail(state: ChunkState, reason: string, countsAsAttempt: boolean): void {
    if (countsAsAttempt && ++state.processFailures >= this.opts.maxProcessingAttempts) return this.finish(state, 'failed', reason);
    this.retry(state, 'processing', reason);
    state.status = 'process_retry_wait';
    this.ctx.rt.setTimer(this.opts.retryDelay, () => {
      state.status = 'staged';
      this.processQueue.push(state);
      this.dispatch();
    });
  }

  // --- distribution --------------------------------------------------------

  private distributeNext(): void {
    while (this.activeDistributions < this.opts.maxConcurrentDistributions && this.distQueue.length > 0) {
      this.startDistribution(this.distQueue.shift()!);
    }
  }

  private chooseTargets(state: ChunkState, need: number): number[] {
    const exclude = (i: number): boolean => i === state.worker || state.replicas.has(i);
    const candidates = this.ctx.registry.healthyMembers().filter((m) => !exclude(m.index));
    const ctx = { cluster: this.ctx.cluster, candidates, placedBytes: this.ctx.placed.perMember, chunk: state.chunk.id };
    const targets = this.placement.select(state.worker, need, ctx);
    if (targets.length < need && this.opts.fallbackToAnyNode) {
      // Document 000's last resort: the strategies already use every healthy
      // candidate, so "any node" means one this node currently suspects.
      for (const m of this.ctx.registry.members) {
        if (targets.length < need && !exclude(m.index) && !targets.includes(m.index)) targets.push(m.index);
      }
    }
    return targets;
  }

  private startDistribution(state: ChunkState): void {
    this.activeDistributions++;
    state.status = 'distributing';
    state.distStartedAt = this.ctx.rt.monotonic();
    const targets = this.chooseTargets(state, this.opts.replicationFactor - state.replicas.size);
    state.awaiting = new Set(targets);
    for (const t of targets) this.ctx.placed.place(t, state.processedBytes);
    if (targets.length === 0) return this.concludeDistribution(state);
    const attempt = state.distAttempt;
    state.timer = this.ctx.rt.setTimer(this.opts.distributionTimeout, () => {
      if (state.status === 'distributing' && state.distAttempt === attempt) this.concludeDistribution(state);
    });
    this.ctx.rt.send(state.worker, PipelinePort.distribute, { chunk: state.chunk.id, attempt, targets });
  }

  private onStored(reply: StoredReply): void {
    const state = this.chunks[reply.chunk];
    if (!state || state.status === 'acked' || state.status === 'failed') return;
    const current = state.status === 'distributing' && reply.attempt === state.distAttempt && state.awaiting.has(reply.node);
    // A verified replica counts whichever attempt wrote it: it is really there.
    if (reply.ok && !state.replicas.has(reply.node)) {
      state.replicas.add(reply.node);
      // A late answer from a target given up on: it holds the bytes after all.
      if (!current) this.ctx.placed.place(reply.node, state.processedBytes);
    }
    if (!current) return;
    state.awaiting.delete(reply.node);
    if (reply.ok) this.ctx.registry.clear(reply.node);
    else this.unplace(state, reply.node);
    if (state.awaiting.size === 0) this.concludeDistribution(state);
  }

  private onMissing(reply: MissingReply): void {
    const state = this.chunks[reply.chunk];
    if (!state || state.status !== 'distributing' || reply.attempt !== state.distAttempt) return;
    this.outputLost(state, `output lost on node ${state.worker}`);
  }

  /** Closes the current distribution attempt; `silent` is told of each target that never answered. */
  private endAttempt(state: ChunkState, silent: (target: number) => void): void {
    this.cancelTimer(state);
    this.activeDistributions--;
    this.ctx.telemetry.emit({ kind: 'busy', stage: 'distribution', micros: this.ctx.rt.monotonic() - state.distStartedAt });
    for (const target of state.awaiting) silent(target);
    state.awaiting.clear();
    state.distAttempt++;
    state.distTries++;
  }

  private unplace(state: ChunkState, node: number): void {
    this.ctx.placed.takeBack(node, state.processedBytes);
    this.ctx.registry.suspect(node);
  }

  private concludeDistribution(state: ChunkState): void {
    this.endAttempt(state, (target) => {
      if (this.opts.defects.has('count_silent_targets')) state.replicas.add(target);
      else this.unplace(state, target);
    });
    if (state.replicas.size >= this.opts.minReplicasSuccess) {
      this.finish(state, 'acked', '');
    } else if (state.distTries <= this.opts.maxRetries) {
      state.status = 'dist_retry_wait';
      this.retry(state, 'distribution', `${state.replicas.size} of ${this.opts.minReplicasSuccess} replicas`);
      const attempt = state.distAttempt;
      this.ctx.rt.setTimer(this.opts.retryDelay, () => {
        // Skip if the output was given up on meanwhile (its worker failed).
        if (state.status !== 'dist_retry_wait' || state.distAttempt !== attempt) return;
        state.status = 'processed';
        this.distQueue.push(state);
        this.distributeNext();
      });
    } else {
      // Document 000 gives up here; the raw chunk is still staged, so process it afresh.
      state.distTries = 0;
      this.ctx.registry.suspect(state.worker);
      this.reprocessOrFail(state, `distribution failed ${this.opts.maxRetries + 1} times`, true);
      this.dispatch();
    }
    this.distributeNext();
  }

  // --- completion ----------------------------------------------------------

  /**
   * Settles a chunk. The outcome is announced (telemetry, catalog, worker
   * release) only once the log holds it, so it survives a crash of this node.
   */
  private finish(state: ChunkState, outcome: 'acked' | 'failed', reason: string): void {
    state.status = outcome;
    this.staged--;
    const id = state.chunk.id;
    if (outcome === 'acked') this.trimSurplus(state);
    const placed = outcome === 'acked' ? [...state.replicas] : [];
    const logIt = (): void => {
      // The catalog commit may have waited long: replicas on nodes declared failed meanwhile are not announced.
      const replicas = placed.filter((n) => this.ctx.registry.state(n) !== 'failed');
      if (replicas.length < placed.length) {
        for (const n of placed) if (!replicas.includes(n)) this.ctx.placed.takeBack(n, state.processedBytes);
        state.replicas = new Set(replicas);
        if (replicas.length < this.opts.minReplicasSuccess) return this.redistribute(state);
      }
      this.announce(state, outcome, replicas, reason);
    };
    // With a Raft catalog, the placement is committed there first: no majority, no acknowledgement.
    if (outcome === 'acked' && this.ctx.record) this.ctx.record(id, () => placed, logIt);
    else logIt();
    this.ingestNext();
  }

  /** Too few of a settled chunk's replicas outlived the catalog commit: it goes back to distribution, keeping the survivors. */
  private redistribute(state: ChunkState): void {
    state.status = 'processed';
    this.staged++;
    this.retry(state, 'distribution', `${state.replicas.size} of ${this.opts.minReplicasSuccess} replicas left after the catalog commit`);
    this.distQueue.push(state);
    this.distributeNext();
  }

  /** Logs the outcome, then announces it (telemetry, worker release, catalog). */
  private announce(state: ChunkState, outcome: 'acked' | 'failed', replicas: number[], reason: string): void {
    const { id, bytes } = state.chunk;
    this.log.append({ chunk: id, outcome, replicas, bytes: state.processedBytes, reason }, () => {
      this.finished++;
      if (outcome === 'acked') {
        this.ctx.telemetry.emit({ kind: 'acked', chunk: id, bytes, replicas });
        if (state.worker >= 0) this.ctx.rt.send(state.worker, PipelinePort.release, { chunk: id });
        this.onAcked(id, state.processedBytes, contentChecksum(id, 1), state.replicas);
      } else {
        this.ctx.telemetry.emit({ kind: 'chunk_failed', chunk: id, bytes, reason });
      }
      if (this.finished === this.chunks.length) this.ctx.telemetry.emit({ kind: 'pipeline_done' });
    });
  }

  /** Replicas beyond the replication factor (late answers, a previous life's work) are deleted. */
  private trimSurplus(state: ChunkState): void {
    const surplus = [...state.replicas].slice(this.opts.replicationFactor);
    for (const node of surplus) {
      state.replicas.delete(node);
      this.ctx.placed.takeBack(node, state.processedBytes);
      this.ctx.rt.send(node, StoragePort.remove, { chunk: state.chunk.id });
      this.ctx.telemetry.emit({ kind: 'orphan_removed', chunk: state.chunk.id, node });
    }
  }

  private retry(state: ChunkState, stage: Stage, reason: string): void {
    this.ctx.telemetry.emit({ kind: 'retry', stage, chunk: state.chunk.id, reason });
  }

  private cancelTimer(state: ChunkState): void {
    if (state.timer !== -1) this.ctx.rt.cancelTimer(state.timer);
    state.timer = -1;
  }
}
