import type { SimTime } from '../../../kernel/index.js';
import type { NodeRuntime, TimerHandle } from '../../../world/runtime.js';
import type { Stage, Telemetry } from '../../telemetry.js';
import { chunkAt, chunkCount, type Chunk } from '../chunks.js';
import { F64Column, I32Column, SlotSets, SlotSetView, U8Column } from '../../../kernel/index.js';
import type { PipelineOptions } from '../options.js';

/** A chunk's place in the stages; `waiting` (code 0) until ingestion or a reply first reaches it. */
const STATUSES = ['waiting', 'ingesting', 'staged', 'assigning', 'processing', 'processed', 'distributing', 'process_retry_wait', 'dist_retry_wait', 'acked', 'failed'] as const;
export type Status = (typeof STATUSES)[number];
const STATUS_CODE = new Map<Status, number>(STATUSES.map((s, i) => [s, i]));

/**
 * The targets of no attempt, shared by every chunk between its distribution
 * attempts. An attempt starts with a fresh set; adding to this one would be
 * a bug, and throws.
 */
export const NO_TARGETS: Set<number> = new (class NoTargets extends Set<number> {
  override add(): never {
    throw new Error('NO_TARGETS is shared by every chunk between attempts: start an attempt with a fresh set');
  }
})();

/** Chunks per column page: 4,096 chunks of a dozen columns is some 300 KB, made only when a chunk in the page is first reached. */
const PAGE_BITS = 12;

/**
 * Every chunk's state, by chunk id: the one table the stages share. It is
 * kept in columns (a typed array per field, the replica lists in slots of
 * `replicationFactor` per chunk), not an object per chunk: a settled chunk
 * costs about 90 bytes however long the run, where an object with its
 * `Chunk` and sets cost several hundred, and 100 TB in 100 MB chunks is a
 * million of them. The sets that only a chunk in flight has (the targets
 * awaited, those still writing in the background) and a broker's ticket
 * are kept by chunk id only while they exist. Pages of the columns are made
 * when a chunk in them is first reached, so a chunk never reached costs
 * nothing. Attempt numbers start from `epoch` (the boot time, scaled), so
 * replies meant for a previous life of this node are never mistaken for
 * current ones.
 */
export class ChunkStates {
  /** Chunks in the dataset. */
  readonly length: number;
  readonly status = new U8Column(0, PAGE_BITS);
  readonly dispatches: F64Column;
  readonly processFailures = new I32Column(0, PAGE_BITS);
  readonly worker = new I32Column(-1, PAGE_BITS);
  readonly processedBytes = new F64Column(0, PAGE_BITS);
  readonly distAttempt: F64Column;
  readonly distTries = new I32Column(0, PAGE_BITS);
  readonly backgroundAttempt = new F64Column(-1, PAGE_BITS);
  readonly timer = new F64Column(-1, PAGE_BITS);
  readonly distStartedAt = new F64Column(0, PAGE_BITS);
  readonly processStartedAt = new F64Column(0, PAGE_BITS);
  readonly stagedAt = new F64Column(0, PAGE_BITS);
  /** Verified replicas, `replicationFactor` slots per chunk (longer lists, before the surplus is trimmed, beside them). */
  readonly replicas: SlotSets;
  readonly awaiting = new Map<number, Set<number>>();
  readonly background = new Map<number, Set<number>>();
  readonly tickets = new Map<number, string>();

  constructor(private readonly opts: PipelineOptions, epoch: number) {
    this.length = chunkCount(opts.datasetBytes, opts.fileBytes, opts.chunkBytes);
    this.dispatches = new F64Column(epoch, PAGE_BITS);
    this.distAttempt = new F64Column(epoch, PAGE_BITS);
    this.replicas = new SlotSets(Math.max(1, opts.replicationFactor), PAGE_BITS);
  }

  /** A view of chunk `id`'s state (0 <= id < length); views of the same chunk read and write the same columns. */
  get(id: number): ChunkState {
    return new ChunkState(this, id, chunkAt(id, this.opts.datasetBytes, this.opts.fileBytes, this.opts.chunkBytes));
  }

  /** The state of chunk `id` as `get` gives it, or undefined for an id outside the dataset (a reply naming no chunk of it). */
  find(id: number): ChunkState | undefined {
    return Number.isInteger(id) && id >= 0 && id < this.length ? this.get(id) : undefined;
  }

  /** Chunk `id`'s status. */
  statusOf(id: number): Status {
    return STATUSES[this.status.get(id)]!;
  }
}

/**
 * Where one chunk is in the orchestrator's stages: a view of its row in
 * ChunkStates (the stages move it along by setting `status`). Views are
 * made per use and never compared: two views of a chunk are the same state.
 */
export class ChunkState {
  constructor(private readonly t: ChunkStates, readonly id: number, readonly chunk: Chunk) {}

  get status(): Status {
    return STATUSES[this.t.status.get(this.id)]!;
  }
  set status(s: Status) {
    this.t.status.set(this.id, STATUS_CODE.get(s)!);
  }
  /** Dispatches so far; the latest one's number identifies the live attempt. */
  get dispatches(): number {
    return this.t.dispatches.get(this.id);
  }
  set dispatches(v: number) {
    this.t.dispatches.set(this.id, v);
  }
  /** Attempts that failed after the worker had the chunk (timeouts, lost output). */
  get processFailures(): number {
    return this.t.processFailures.get(this.id);
  }
  set processFailures(v: number) {
    this.t.processFailures.set(this.id, v);
  }
  /** Worker holding (or producing) the processed output; -1 before the first dispatch. */
  get worker(): number {
    return this.t.worker.get(this.id);
  }
  set worker(v: number) {
    this.t.worker.set(this.id, v);
  }
  get processedBytes(): number {
    return this.t.processedBytes.get(this.id);
  }
  set processedBytes(v: number) {
    this.t.processedBytes.set(this.id, v);
  }
  /** Number of the current distribution attempt; never reused, so stale replies are recognised. */
  get distAttempt(): number {
    return this.t.distAttempt.get(this.id);
  }
  set distAttempt(v: number) {
    this.t.distAttempt.set(this.id, v);
  }
  /** Distribution attempts since the chunk was last processed (retry budget). */
  get distTries(): number {
    return this.t.distTries.get(this.id);
  }
  set distTries(v: number) {
    this.t.distTries.set(this.id, v);
  }
  /** Targets with a verified replica. */
  get replicas(): SlotSetView {
    return new SlotSetView(this.t.replicas, this.id);
  }
  set replicas(nodes: Iterable<number>) {
    this.t.replicas.replace(this.id, nodes);
  }
  /** Targets of the current attempt that have not answered (NO_TARGETS between attempts). */
  get awaiting(): Set<number> {
    return this.t.awaiting.get(this.id) ?? NO_TARGETS;
  }
  set awaiting(targets: Set<number>) {
    if (targets === NO_TARGETS) this.t.awaiting.delete(this.id);
    else this.t.awaiting.set(this.id, targets);
  }
  /** Targets still writing after the chunk was acknowledged (`acknowledge: min_replicas`), and their attempt. */
  get background(): Set<number> | undefined {
    return this.t.background.get(this.id);
  }
  set background(targets: Set<number> | undefined) {
    if (targets === undefined) this.t.background.delete(this.id);
    else this.t.background.set(this.id, targets);
  }
  get backgroundAttempt(): number {
    return this.t.backgroundAttempt.get(this.id);
  }
  set backgroundAttempt(v: number) {
    this.t.backgroundAttempt.set(this.id, v);
  }
  get timer(): TimerHandle | -1 {
    return this.t.timer.get(this.id);
  }
  set timer(v: TimerHandle | -1) {
    this.t.timer.set(this.id, v);
  }
  get distStartedAt(): SimTime {
    return this.t.distStartedAt.get(this.id);
  }
  set distStartedAt(v: SimTime) {
    this.t.distStartedAt.set(this.id, v);
  }
  /** When the current processing attempt was sent, by the orchestrator's monotonic clock. */
  get processStartedAt(): SimTime {
    return this.t.processStartedAt.get(this.id);
  }
  set processStartedAt(v: SimTime) {
    this.t.processStartedAt.set(this.id, v);
  }
  /** When the chunk last joined the processing queue, by the orchestrator's monotonic clock. */
  get stagedAt(): SimTime {
    return this.t.stagedAt.get(this.id);
  }
  set stagedAt(v: SimTime) {
    this.t.stagedAt.set(this.id, v);
  }
  /** With a broker: the ticket of the processing attempt it was asked a worker for, '' when none is open. */
  get ticket(): string {
    return this.t.tickets.get(this.id) ?? '';
  }
  set ticket(v: string) {
    if (v === '') this.t.tickets.delete(this.id);
    else this.t.tickets.set(this.id, v);
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
