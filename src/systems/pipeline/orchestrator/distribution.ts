import { PipelinePort, type MissingReply, type StoredReply } from '../messages.js';
import { MeasuredSpeeds } from '../measured-speeds.js';
import { makePlacement, type PlacementStrategy } from '../placement.js';
import { cancelTimer, NO_TARGETS, reportRetry, type ChunkState } from './chunk-state.js';
import type { StageContext } from './stage.js';

/**
 * Distribution (document 000): has the worker holding a processed chunk send
 * it to `replicationFactor` targets chosen by the placement strategy, at most
 * `maxConcurrentDistributions` at once, and judges each attempt by the
 * verified replicas it got, retrying as document 000 prescribes.
 */
export class Distribution {
  private readonly queue: ChunkState[] = [];
  private active = 0;
  /** Distributions in flight, in the order they started (the balancer looks through them when a target turns slow). */
  private readonly running = new Set<number>();
  /** Replicas the dynamic balancer sent to another target because the first one was measured slow. */
  hedged = 0;
  /** This stage's own strategy instance: strategies keep state (a round-robin cursor, a hash ring). */
  private readonly placement: PlacementStrategy;
  /** With `balancer: dynamic`: how fast each target has written, synced and verified replicas. */
  readonly speeds: MeasuredSpeeds | undefined;

  constructor(
    private readonly ctx: StageContext,
    /** Told of each replica written on after its chunk was acknowledged: verified (`ok`), or failed or timed out. */
    private readonly backgroundReplica: (chunk: number, node: number, ok: boolean) => void = () => {},
  ) {
    this.placement = makePlacement(ctx.opts.placement, ctx.opts.replicationFactor, () => ctx.rt.rng('placement'));
    if (ctx.opts.balancer === 'dynamic') this.speeds = new MeasuredSpeeds(ctx.cluster.members.length, () => ctx.rt.monotonic(), (node) => this.hedge(node));
  }

  /** The chunk is processed (or its replicas must be completed): it waits for a distribution slot. */
  enqueue(state: ChunkState): void {
    state.status = 'processed';
    this.queue.push(state);
    this.next();
  }

  /** Starts queued distributions while slots are free. */
  next(): void {
    while (this.active < this.ctx.opts.maxConcurrentDistributions && this.queue.length > 0) {
      this.start(this.queue.shift()!);
    }
  }

  /** The chunk's output is gone: stop distributing it (its targets that never answered hold nothing). */
  withdraw(state: ChunkState): void {
    if (state.status === 'distributing') this.endAttempt(state, (t) => this.ctx.placed.takeBack(t, state.processedBytes));
    else if (state.status === 'processed') this.queue.splice(this.queue.findIndex((s) => s.id === state.id), 1);
  }

  private chooseTargets(state: ChunkState, need: number, busy: (i: number) => boolean = () => false): number[] {
    const { registry } = this.ctx;
    const exclude = (i: number): boolean => i === state.worker || state.replicas.has(i) || busy(i);
    // A target must have room for the replica, by this node's own count of what it placed there.
    const placed = this.ctx.placed;
    const bytes = state.processedBytes;
    let candidates = registry.healthyMembers().filter((m) => !exclude(m.index) && placed.fits(m.index, bytes, m.diskCapacityBytes));
    // The dynamic balancer keeps replicas off targets measured slow, while enough others remain.
    const speeds = this.speeds;
    if (speeds) {
      const fast = candidates.filter((m) => !speeds.slow(m.index));
      if (fast.length >= need) candidates = fast;
    }
    // Only a failure-domain rule or copysets read the holders: the array is not made for every chunk otherwise.
    const holders = this.ctx.domains || this.placement.wantsHolders ? [...state.replicas, ...state.awaiting] : undefined;
    const ctx = { cluster: this.ctx.cluster, candidates, placedBytes: this.ctx.placed.perMember, chunk: state.chunk.id, holders };
    const targets = this.placement.select(state.worker, need, ctx);
    if (targets.length < need && this.ctx.opts.fallbackToAnyNode) {
      // Document 000's last resort: the strategies already use every healthy
      // candidate, so "any node" means one this node currently suspects.
      for (const m of registry.members) {
        if (targets.length < need && !exclude(m.index) && !targets.includes(m.index)) targets.push(m.index);
      }
    }
    return targets;
  }

  private start(state: ChunkState): void {
    const { rt, opts } = this.ctx;
    this.active++;
    state.status = 'distributing';
    this.running.add(state.id);
    state.distStartedAt = rt.monotonic();
    // A replica verified earlier (a late answer to an attempt given up on) whose node has been declared
    // failed since is not counted: the settlement would not announce it, and the chunk would be
    // acknowledged short of replication_factor with a target never asked in its place.
    for (const n of [...state.replicas]) {
      if (this.ctx.registry.state(n) !== 'failed') continue;
      state.replicas.delete(n);
      this.ctx.placed.takeBack(n, state.processedBytes);
    }
    // Test-only defect: a chunk's first distribution asks one target too few.
    const short = opts.defects.has('place_fewer') && state.replicas.size === 0 && state.distTries === 0 ? 1 : 0;
    const targets = this.chooseTargets(state, opts.replicationFactor - state.replicas.size - short);
    state.awaiting = new Set(targets);
    for (const t of targets) this.ctx.placed.place(t, state.processedBytes);
    if (targets.length === 0) return this.conclude(state);
    const attempt = state.distAttempt;
    state.timer = rt.setTimer(opts.distributionTimeout, () => {
      if (state.status === 'distributing' && state.distAttempt === attempt) this.conclude(state);
    });
    rt.send(state.worker, PipelinePort.distribute, { chunk: state.chunk.id, attempt, targets });
  }

  onStored(reply: StoredReply): void {
    const state = this.ctx.chunks.find(reply.chunk);
    if (!state) return;
    if (reply.attempt === state.backgroundAttempt && state.background?.has(reply.node)) return this.backgroundAnswered(state, reply.node, reply.ok, reply.micros);
    if (state.status === 'acked' || state.status === 'failed') return;
    const current = state.status === 'distributing' && reply.attempt === state.distAttempt && state.awaiting.has(reply.node);
    // A verified replica counts whichever attempt wrote it: it is really there.
    if (reply.ok && reply.micros) this.speeds?.record(reply.node, state.processedBytes, reply.micros);
    if (reply.ok && !state.replicas.has(reply.node)) {
      state.replicas.add(reply.node);
      // A late answer from a target given up on: it holds the bytes after all (and the checkers learn it was asked).
      if (!current) {
        this.ctx.placed.place(reply.node, state.processedBytes);
        this.ctx.telemetry.emit({ kind: 'replica_answer', chunk: state.chunk.id, node: reply.node, ok: true, late: true });
      }
    }
    if (!current) return;
    this.ctx.telemetry.emit({ kind: 'replica_answer', chunk: state.chunk.id, node: reply.node, ok: reply.ok });
    state.awaiting.delete(reply.node);
    if (reply.ok) this.ctx.registry.clear(reply.node);
    else this.unplace(state, reply.node);
    if (state.awaiting.size === 0) this.conclude(state);
    else if (this.ctx.opts.acknowledge === 'min_replicas' && state.replicas.size >= this.ctx.opts.minReplicasSuccess) this.acknowledgeEarly(state);
  }

  /**
   * `acknowledge: min_replicas`: enough replicas are verified, so the chunk
   * is acknowledged now and the targets still writing go on in the
   * background, until they answer or the attempt's timeout. The repairer
   * counts them as coming, and tops the chunk up only if they fail.
   */
  private acknowledgeEarly(state: ChunkState): void {
    const attempt = state.distAttempt;
    const started = state.distStartedAt;
    state.background = new Set(state.awaiting);
    state.backgroundAttempt = attempt;
    state.awaiting = NO_TARGETS;
    this.ctx.claims.startBackground(state.chunk.id, state.background.size);
    this.endAttempt(state, () => {});
    const left = Math.max(1, this.ctx.opts.distributionTimeout - (this.ctx.rt.monotonic() - started));
    this.ctx.rt.setTimer(left, () => {
      if (state.backgroundAttempt !== attempt) return;
      for (const target of [...(state.background ?? [])]) this.backgroundAnswered(state, target, false, 0);
    });
    this.ctx.stages.settlement.finish(state, 'acked', '');
    this.next();
  }

  /** A background target answered, or its time ran out (`ok` false): the repairer learns either way. */
  private backgroundAnswered(state: ChunkState, node: number, ok: boolean, micros: number | undefined): void {
    state.background?.delete(node);
    this.ctx.telemetry.emit({ kind: 'replica_answer', chunk: state.chunk.id, node, ok });
    if (ok && micros) this.speeds?.record(node, state.processedBytes, micros);
    if (ok) this.ctx.registry.clear(node);
    else this.unplace(state, node);
    this.backgroundReplica(state.chunk.id, node, ok);
  }

  onMissing(reply: MissingReply): void {
    const state = this.ctx.chunks.find(reply.chunk);
    if (!state || state.status !== 'distributing' || reply.attempt !== state.distAttempt) return;
    this.ctx.stages.dispatch.outputLost(state, `output lost on node ${state.worker}`);
  }

  /** Closes the current distribution attempt; `silent` is told of each target that never answered. */
  private endAttempt(state: ChunkState, silent: (target: number) => void): void {
    cancelTimer(this.ctx.rt, state);
    this.active--;
    this.running.delete(state.id);
    this.ctx.telemetry.emit({ kind: 'busy', stage: 'distribution', micros: this.ctx.rt.monotonic() - state.distStartedAt });
    for (const target of state.awaiting) silent(target);
    state.awaiting = NO_TARGETS;
    state.distAttempt++;
    state.distTries++;
  }

  /**
   * The dynamic balancer measured `node` slow: distributions still waiting
   * for it send that replica to one more target as well (a hedged request);
   * whichever copies are verified count, and a surplus one is deleted at
   * acknowledgement.
   */
  private hedge(node: number): void {
    for (const id of [...this.running]) {
      const state = this.ctx.chunks.get(id);
      if (!state.awaiting.has(node)) continue;
      const [target] = this.chooseTargets(state, 1, (i) => state.awaiting.has(i));
      if (target === undefined) continue;
      this.hedged++;
      state.awaiting.delete(node);
      state.awaiting.add(target);
      this.ctx.placed.place(target, state.processedBytes);
      this.ctx.rt.send(state.worker, PipelinePort.distribute, { chunk: state.chunk.id, attempt: state.distAttempt, targets: [target] });
    }
  }

  /** A target holds no replica after all (it refused, or never answered): it is not counted, and is avoided for a while. */
  private unplace(state: ChunkState, node: number): void {
    this.ctx.placed.takeBack(node, state.processedBytes);
    this.ctx.registry.suspect(node);
  }

  private conclude(state: ChunkState): void {
    const { opts } = this.ctx;
    this.endAttempt(state, (target) => {
      this.ctx.telemetry.emit({ kind: 'replica_answer', chunk: state.chunk.id, node: target, ok: false });
      if (opts.defects.has('count_silent_targets')) state.replicas.add(target);
      else this.unplace(state, target);
    });
    if (state.replicas.size >= opts.minReplicasSuccess) {
      this.ctx.stages.settlement.finish(state, 'acked', '');
    } else if (state.distTries <= opts.maxRetries) {
      state.status = 'dist_retry_wait';
      reportRetry(this.ctx.telemetry, state, 'distribution', `${state.replicas.size} of ${opts.minReplicasSuccess} replicas`);
      const attempt = state.distAttempt;
      this.ctx.rt.setTimer(this.ctx.retryWaits.before(state.distTries), () => {
        // Skip if the output was given up on meanwhile (its worker failed).
        if (state.status !== 'dist_retry_wait' || state.distAttempt !== attempt) return;
        this.enqueue(state);
      });
    } else {
      // Document 000 gives up here; the raw chunk is still staged, so process it afresh.
      this.ctx.registry.suspect(state.worker);
      this.ctx.stages.dispatch.reprocess(state, `distribution failed ${opts.maxRetries + 1} times`);
    }
    this.next();
  }
}
