import type { Rng } from '../../../kernel/index.js';
import { drawDelay, type DelaySpec } from '../../../units/delay.js';
import type { TimerHandle } from '../../../world/runtime.js';
import { batchOf } from '../chunks.js';
import type { StageContext } from './stage.js';

/**
 * Arrival times of the chunks, by the order they are read in, drawn from the
 * source node's `arrivals` stream. Kept per stream (one per run), not per
 * boot: a restarted orchestrator sees the same arrivals, not a fresh draw.
 */
const schedules = new WeakMap<Rng, number[]>();
function arrivalOf(rng: Rng, every: DelaySpec, k: number): number {
  let times = schedules.get(rng);
  if (!times) schedules.set(rng, (times = []));
  while (times.length <= k) times.push((times.at(-1) ?? 0) + drawDelay(rng, every));
  return times[k]!;
}

/**
 * Ingestion (document 004): reads the dataset one chunk at a time at the
 * source's read rate and stages each for processing. Back-pressure: at most
 * `maxStagedChunks` are held at the source (read in and not yet settled), so
 * reading waits for settlements to make room. With several batches, a
 * chunk is read only once its batch has arrived (by the node's clock).
 */
export class Ingestion {
  private nextToIngest = 0;
  private reading = false;
  /** Chunks held at the source: read in (or adopted) and not settled. */
  private staged = 0;
  /** Set while waiting for the next batch to arrive. */
  private arrival: TimerHandle | -1 = -1;

  constructor(private readonly ctx: StageContext) {}

  /** Reads the next waiting chunk, unless one is being read, there is no room, or recovery is still counting replicas. */
  next(): void {
    if (this.ctx.stages.recovery.active) return;
    const { chunks, opts } = this.ctx;
    while (this.nextToIngest < chunks.length && chunks.statusOf(this.nextToIngest) !== 'waiting') this.nextToIngest++;
    if (this.reading || this.nextToIngest >= chunks.length || this.staged >= opts.maxStagedChunks) return;
    if (opts.batches > 1 && this.waitUntil(batchOf(this.nextToIngest, chunks.length, opts.batches) * opts.batchEvery)) return;
    if (opts.arrivals && this.waitUntil(arrivalOf(this.ctx.rt.rng('arrivals'), opts.arrivals, this.nextToIngest))) return;
    const state = chunks.get(this.nextToIngest++);
    state.status = 'ingesting';
    this.reading = true;
    this.staged++;
    const micros = Math.ceil((state.chunk.bytes * 1_000_000) / opts.ingestBytesPerS);
    this.ctx.rt.setTimer(micros, () => {
      this.reading = false;
      this.ctx.telemetry.emit({ kind: 'busy', stage: 'ingestion', micros });
      this.ctx.telemetry.emit({ kind: 'ingested', chunk: state.chunk.id, bytes: state.chunk.bytes });
      this.ctx.stages.dispatch.stage(state);
      this.next();
    });
  }

  /** True (and a wake-up set) while what arrives at `arrivesAt` (by the node's clock: a batch, a chunk) has not arrived. */
  private waitUntil(arrivesAt: number): boolean {
    const wait = arrivesAt - this.ctx.rt.now();
    if (wait <= 0) return false;
    if (this.arrival === -1) {
      this.arrival = this.ctx.rt.setTimer(wait, () => {
        this.arrival = -1;
        this.next();
      });
    }
    return true;
  }

  /** A chunk is held at the source again without being read: adopted at recovery, or sent back to distribution after settling. */
  hold(): void {
    this.staged++;
  }

  /** A chunk settled: its room is free (the caller reads on once the settlement is under way). */
  release(): void {
    this.staged--;
  }
}
