import type { TimerHandle } from '../../../world/runtime.js';
import { PipelinePort, type ProcessedReply } from '../messages.js';
import { MeasuredSpeeds } from '../measured-speeds.js';

/** The wait for a worker (raw chunk sent to answer received) flags it when under this fraction of the median. */
const OBSERVED_SLOW_FRACTION = 0.25;
import type { WorkerBroker } from '../worker-broker.js';
import { cancelTimer, reportRetry, type ChunkState } from './chunk-state.js';
import type { StageContext } from './stage.js';

/**
 * Processing (document 004): hands each staged chunk to the least-loaded
 * worker with a free slot, or, with a WorkerBroker (`coordination:
 * coordinator`), to whichever agent the broker's coordinator has claim it.
 * Owns the attempt either way: its timeout, its retry budget, and what
 * happens when the worker or its output is lost.
 */
export class Dispatch {
  /** Processing attempts running on each member (this node's own count). */
  private readonly tasksOn: Int32Array;
  private readonly queue: ChunkState[] = [];
  /** Ids of the chunks whose `worker` is each member, so a failed worker's work is found without scanning every chunk. */
  private readonly heldBy = new Map<number, Set<number>>();
  private wake: TimerHandle | -1 = -1;
  /** With `balancer: dynamic`: each worker's rate as this node saw it, from sending the raw chunk to the answer (flags slow workers, wherever the slowness is). */
  readonly speeds: MeasuredSpeeds | undefined;
  /** With `balancer: dynamic`: each worker's processing rate by its own report (flags workers whose processing is slow, and weights the choice among the others). */
  private readonly cpu: MeasuredSpeeds | undefined;
  /** Attempts taken off a worker flagged slow and handed to another (the dynamic balancer's re-dispatch). */
  redispatched = 0;

  constructor(
    private readonly ctx: StageContext,
    /** Picks processing workers instead of this node; absent: it picks them itself. */
    private readonly broker: WorkerBroker | undefined,
  ) {
    this.tasksOn = new Int32Array(ctx.cluster.members.length);
    if (ctx.opts.balancer === 'dynamic') {
      // Waiting includes the raw chunk's transfer, which varies with the link and its load: only a 4x gap flags.
      this.speeds = new MeasuredSpeeds(ctx.cluster.members.length, () => ctx.rt.monotonic(), (worker) => this.moveWorkOff(worker, this.speeds!), OBSERVED_SLOW_FRACTION);
      this.cpu = new MeasuredSpeeds(ctx.cluster.members.length, () => ctx.rt.monotonic(), (worker) => this.moveWorkOff(worker, this.cpu!));
    }
  }

  /** The chunk is staged (read in, or back for another attempt): queue it and hand out what can be. */
  stage(state: ChunkState): void {
    state.status = 'staged';
    state.stagedAt = this.ctx.rt.monotonic();
    this.queue.push(state);
    this.assign();
  }

  /**
   * Least-loaded healthy worker with a free slot (load = tasks / slots), ties
   * by index. With the dynamic balancer, load is divided by the worker's
   * processing speed as it reports it (relative to the median), and a worker
   * flagged slow (by the time this node waited for it, raw chunk included) is
   * passed over while another can take the work: a task waiting for a
   * normal slot finishes before one started on a node several times slower.
   */
  private pickWorker(): number {
    const speeds = this.speeds;
    let best = -1;
    let bestLoad = Infinity;
    let slowest = -1;
    for (const m of this.ctx.registry.healthyMembers()) {
      const tasks = this.tasksOn[m.index]!;
      if (tasks >= m.slots) continue;
      let load = tasks / m.slots;
      if (speeds) {
        if (this.flagged(m.index)) {
          slowest = m.index;
          continue;
        }
        load = (tasks + 1) / m.slots / this.cpu!.relative(m.index);
      }
      if (load < bestLoad) {
        best = m.index;
        bestLoad = load;
      }
    }
    // Only slow workers are free: they take work only if every healthy worker is slow.
    if (best < 0 && slowest >= 0 && this.everyHealthySlow()) return slowest;
    return best;
  }

  /** Flagged slow by either measure. */
  private flagged(worker: number): boolean {
    return this.speeds!.slow(worker) || this.cpu!.slow(worker);
  }

  private everyHealthySlow(): boolean {
    return this.ctx.registry.healthyMembers().every((m) => this.flagged(m.index));
  }

  /**
   * The dynamic balancer flagged `worker` slow: attempts on it that would
   * finish later there than afresh on a typical worker are taken back and
   * staged again (not counted as failed attempts). What the slow worker
   * still produces for them is ignored, and released.
   */
  private moveWorkOff(worker: number, speeds: MeasuredSpeeds): void {
    const held = this.heldBy.get(worker);
    if (!held || this.everyHealthySlow()) return;
    const now = this.ctx.rt.monotonic();
    const typical = speeds.rateOf(worker) / speeds.relative(worker);
    for (const id of [...held].sort((a, b) => a - b)) {
      const state = this.ctx.chunks.get(id);
      if (state.status !== 'processing' || state.worker !== worker) continue;
      const bytes = state.chunk.bytes;
      const remainingHere = (bytes * 1e6) / speeds.rateOf(worker) - (now - state.processStartedAt);
      if (remainingHere <= (bytes * 1e6) / typical) continue;
      cancelTimer(this.ctx.rt, state);
      this.tasksOn[worker]!--;
      this.closeTicket(state, false);
      this.redispatched++;
      reportRetry(this.ctx.telemetry, state, 'processing', `moved off node ${worker}, measured slow`);
      this.stage(state);
    }
  }

  private assign(): void {
    if (this.broker) return this.requestWorkers(this.broker);
    while (this.queue.length > 0) {
      const worker = this.pickWorker();
      if (worker < 0) return this.assignLater();
      const state = this.queue.shift()!;
      this.send(state, worker, ++state.dispatches);
    }
  }

  /**
   * Each staged chunk's next attempt is numbered now and waits for the
   * broker: the worker is whoever claims it. A claim for an attempt that has
   * moved on is declined, and the broker lets that worker go.
   */
  private requestWorkers(broker: WorkerBroker): void {
    while (this.queue.length > 0) {
      const state = this.queue.shift()!;
      const attempt = ++state.dispatches;
      state.status = 'assigning';
      state.ticket = broker.request((worker) => {
        if (state.status !== 'assigning' || state.dispatches !== attempt) return false;
        this.send(state, worker, attempt);
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
  private assignLater(): void {
    if (this.wake !== -1) return;
    this.wake = this.ctx.rt.setTimer(this.ctx.opts.retryDelay, () => {
      this.wake = -1;
      this.assign();
    });
  }

  private send(state: ChunkState, worker: number, attempt: number): void {
    state.status = 'processing';
    if (state.worker !== worker) {
      this.heldBy.get(state.worker)?.delete(state.id);
      let held = this.heldBy.get(worker);
      if (!held) this.heldBy.set(worker, (held = new Set()));
      held.add(state.id);
    }
    state.worker = worker;
    state.processStartedAt = this.ctx.rt.monotonic();
    this.tasksOn[worker]!++;
    state.timer = this.ctx.rt.setTimer(this.ctx.opts.processingTimeout, () => this.processingFailed(state, attempt, 'timeout'));
    this.ctx.rt.transfer(worker, PipelinePort.process, state.chunk.bytes, { chunk: state.chunk, attempt, orchestrator: this.ctx.rt.self }, (ok) => {
      if (!ok) this.processingFailed(state, attempt, 'transfer broke');
    });
  }

  onProcessed(from: number, reply: ProcessedReply): void {
    const state = this.ctx.chunks.find(reply.chunk);
    if (!state) return;
    const current = state.status === 'processing' && state.dispatches === reply.attempt && state.worker === from;
    // How fast the worker served this node, from sending the raw chunk to the answer: a worker behind a slow link is
    // as slow as a slow worker. An attempt that has moved on counts with the worker's own time (its start is gone).
    this.speeds?.record(from, state.chunk.bytes, current ? this.ctx.rt.monotonic() - state.processStartedAt : reply.micros);
    this.cpu?.record(from, state.chunk.bytes, reply.micros);
    if (!current) {
      // Output of an attempt moved elsewhere by the balancer: the worker may drop it.
      if (this.speeds && state.worker !== from) this.ctx.rt.send(from, PipelinePort.release, { chunk: reply.chunk });
      return;
    }
    cancelTimer(this.ctx.rt, state);
    this.tasksOn[from]!--;
    this.closeTicket(state, true);
    const now = this.ctx.rt.monotonic();
    this.ctx.telemetry.emit({ kind: 'queued', chunk: reply.chunk, waitMicros: state.processStartedAt - state.stagedAt, sojournMicros: now - state.stagedAt });
    this.ctx.registry.clear(from);
    state.processedBytes = reply.bytes;
    this.ctx.stages.distribution.enqueue(state);
    this.assign();
  }

  /**
   * The detector declared `node` failed: work on it is redone elsewhere now,
   * not after timeouts (document 003's reassignment).
   */
  workerFailed(node: number): void {
    const held = this.heldBy.get(node);
    if (!held) return;
    // In chunk order, as a scan of every chunk would meet them.
    for (const id of [...held].sort((a, b) => a - b)) {
      const state = this.ctx.chunks.get(id);
      if (state.worker !== node) continue;
      if (state.status === 'acked' || state.status === 'failed') {
        held.delete(id);
        continue;
      }
      if (state.status === 'processing') this.processingFailed(state, state.dispatches, 'worker declared failed');
      else if (state.status === 'processed' || state.status === 'distributing' || state.status === 'dist_retry_wait') this.outputLost(state, `worker ${node} declared failed`);
    }
  }

  /** The chunk's outcome is durable and announced: it is no worker's work any more (and never again in this life). */
  settled(state: ChunkState): void {
    this.heldBy.get(state.worker)?.delete(state.id);
  }

  /** The processed output is gone with its worker: process the staged chunk again. */
  outputLost(state: ChunkState, reason: string): void {
    this.ctx.stages.distribution.withdraw(state);
    this.reprocess(state, reason);
    this.ctx.stages.distribution.next();
  }

  /**
   * The processed output is of no more use (lost, or it could not be
   * distributed): the raw chunk is still staged, so process it afresh, with
   * a fresh distribution budget, unless processing attempts have run out.
   */
  reprocess(state: ChunkState, reason: string): void {
    state.distTries = 0;
    this.reprocessOrFail(state, reason, true);
    this.assign();
  }

  private processingFailed(state: ChunkState, attempt: number, reason: 'timeout' | 'transfer broke' | 'worker declared failed'): void {
    if (state.status !== 'processing' || state.dispatches !== attempt) return;
    cancelTimer(this.ctx.rt, state);
    this.tasksOn[state.worker]!--;
    this.closeTicket(state, false);
    this.ctx.registry.suspect(state.worker);
    // A stream that broke never delivered the chunk: the work did not start, so it costs no attempt.
    this.reprocessOrFail(state, `processing ${reason} on node ${state.worker}`, reason !== 'transfer broke');
    this.assign();
  }

  /** Queues the chunk for processing again after its retry wait, or fails it once attempts run out. */
  private reprocessOrFail(state: ChunkState, reason: string, countsAsAttempt: boolean): void {
    if (countsAsAttempt && ++state.processFailures >= this.ctx.opts.maxProcessingAttempts) return this.ctx.stages.settlement.finish(state, 'failed', reason);
    reportRetry(this.ctx.telemetry, state, 'processing', reason);
    state.status = 'process_retry_wait';
    this.ctx.rt.setTimer(this.ctx.retryWaits.before(state.processFailures + 1), () => this.stage(state));
  }
}
