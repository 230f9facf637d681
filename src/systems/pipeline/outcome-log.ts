import type { NodeRuntime, TimerHandle } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { OutcomeTable, type LoggedOutcome } from './outcome-table.js';

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /** With `checkpoint.every` above 1: a checkpoint of the outcome log is on disk, holding these chunks' outcomes (announced earlier). */
    checkpoint: { node: number; chunks: readonly number[] };
  }
}

export type { LoggedOutcome } from './outcome-table.js';

const KEY = 'orchestrator/outcomes';
/** Disk bytes per logged outcome (id, outcome, up to a few replica ids). */
const BYTES_PER_ENTRY = 64;

/** What the log object holds: the writer's table cut at `length` (appends never touch earlier positions). */
interface Stored { entries: OutcomeTable; length: number }

/**
 * The orchestrator's write-ahead log of chunk outcomes, on its own disk. An
 * outcome counts (is announced) only once the write that holds it completes,
 * so after a crash every outcome ever announced is in the log. Writes are
 * group-committed: outcomes that arrive while one write is in flight go out
 * together in the next, appended to the log file (only the new entries are
 * written, so a long run costs bytes in proportion to its chunks).
 *
 * With `checkpoint.every` above 1 (document 004's checkpoints) outcomes are
 * announced at once and written in batches: every `every` outcomes, or
 * `maxDelay` after the oldest unwritten one, and when the pipeline is done.
 * Fewer writes; a crash loses the outcomes since the last one, and the
 * restarted orchestrator adopts or redoes those chunks.
 */
export class OutcomeLog {
  /** Every entry written or being written; a failed write's entries are taken back (below what a completed write covered, nothing changes). */
  private readonly entries = new OutcomeTable();
  private pending: Array<{ entry: LoggedOutcome; onDurable: () => void }> = [];
  private writing = false;
  /** A failed write's retry is scheduled: appends meanwhile wait for it. */
  private retrying = false;
  /** Checkpointing in batches: the outcomes waiting make one (count reached, delay passed, or completion). */
  private due = false;
  private delayTimer: TimerHandle | -1 = -1;

  constructor(private readonly rt: NodeRuntime, recovered: readonly LoggedOutcome[], private readonly checkpoint: { every: number; maxDelay: number } = { every: 1, maxDelay: 0 }, private readonly telemetry?: Telemetry) {
    for (const o of recovered) this.entries.append(o);
  }

  private get batched(): boolean {
    return this.checkpoint.every > 1;
  }

  /** Reads the log left by a previous life of this node; null on a disk that never held one (the first boot). */
  static read(rt: NodeRuntime, done: (entries: LoggedOutcome[] | null) => void): void {
    rt.disk.read(KEY, (obj) => {
      const stored = obj?.data as Stored | undefined;
      done(stored ? stored.entries.slice(stored.length) : null);
    });
  }

  /** Creates the (empty) log at the first boot, so a later boot knows it is a restart. */
  create(): void {
    this.rt.disk.write(KEY, BYTES_PER_ENTRY, 0, () => {}, { entries: this.entries, length: 0 } satisfies Stored);
  }

  /** Logs an outcome; `onDurable` runs once it is on disk (at once, when checkpointing in batches: the outcome is announced before). */
  append(entry: LoggedOutcome, onDurable: () => void): void {
    if (!this.batched) {
      this.pending.push({ entry, onDurable });
      return this.flush();
    }
    onDurable();
    this.pending.push({ entry, onDurable: () => {} });
    this.armCheckpoint();
    this.flush();
  }

  /** Due once `every` outcomes wait, else (with `maxDelay`) that long after the oldest. */
  private armCheckpoint(): void {
    if (this.pending.length >= this.checkpoint.every) this.due = true;
    else if (this.pending.length > 0 && this.checkpoint.maxDelay > 0 && this.delayTimer === -1) {
      this.delayTimer = this.rt.setTimer(this.checkpoint.maxDelay, () => {
        this.delayTimer = -1;
        this.due = true;
        this.flush();
      });
    }
  }

  /** The pipeline is done: whatever is unwritten goes to disk now (a completion checkpoint). */
  checkpointNow(): void {
    if (!this.batched) return;
    this.due = true;
    this.flush();
  }

  private flush(): void {
    if (this.writing || this.retrying || this.pending.length === 0) return;
    if (this.batched) {
      if (!this.due) return;
      this.due = false;
      if (this.delayTimer !== -1) this.rt.cancelTimer(this.delayTimer);
      this.delayTimer = -1;
    }
    const batch = this.pending;
    this.pending = [];
    const before = this.entries.length;
    for (const b of batch) this.entries.append(b.entry);
    this.writing = true;
    this.rt.disk.append(KEY, batch.length * BYTES_PER_ENTRY, (ok) => {
      if (ok) return this.rt.disk.sync(() => this.written(batch));
      if (this.batched) this.due = true;
      // Disk full or failed: nothing is durable; keep the batch and try again shortly.
      this.entries.truncate(before);
      this.writing = false;
      this.retrying = true;
      this.pending = [...batch, ...this.pending];
      this.rt.setTimer(1_000_000, () => {
        this.retrying = false;
        this.flush();
      });
    }, { entries: this.entries, length: this.entries.length } satisfies Stored);
  }

  /** The batch is on stable storage: announce it, then write whatever queued meanwhile. */
  private written(batch: Array<{ entry: LoggedOutcome; onDurable: () => void }>): void {
    this.writing = false;
    for (const b of batch) b.onDurable();
    if (this.batched) {
      this.telemetry?.emit({ kind: 'checkpoint', node: this.rt.self, chunks: batch.map((b) => b.entry.chunk) });
      // Outcomes that came during the write: a checkpoint of their own once they reach the count (or their delay, or completion).
      this.armCheckpoint();
    }
    this.flush();
  }
}
