import type { NodeRuntime } from '../../world/runtime.js';

/** One chunk's final outcome as the orchestrator records it. */
export interface LoggedOutcome {
  chunk: number;
  outcome: 'acked' | 'failed';
  /** Replicas the chunk was acknowledged with (empty when failed). */
  replicas: number[];
  bytes: number;
  reason: string;
}

const KEY = 'orchestrator/outcomes';
/** Disk bytes per logged outcome (id, outcome, up to a few replica ids). */
const BYTES_PER_ENTRY = 64;

/**
 * The orchestrator's write-ahead log of chunk outcomes, on its own disk. An
 * outcome counts (is announced) only once the write that holds it completes,
 * so after a crash every outcome ever announced is in the log. Writes are
 * group-committed: outcomes that arrive while one write is in flight go out
 * together in the next. Each write rewrites the whole log (a checkpoint).
 */
export class OutcomeLog {
  private readonly durable: LoggedOutcome[] = [];
  private pending: Array<{ entry: LoggedOutcome; onDurable: () => void }> = [];
  private writing = false;
  /** A failed write's retry is scheduled: appends meanwhile wait for it. */
  private retrying = false;

  constructor(private readonly rt: NodeRuntime, recovered: readonly LoggedOutcome[]) {
    this.durable.push(...recovered);
  }

  /** Reads the log left by a previous life of this node; null on a disk that never held one (the first boot). */
  static read(rt: NodeRuntime, done: (entries: LoggedOutcome[] | null) => void): void {
    rt.disk.read(KEY, (obj) => done(obj?.data ? [...(obj.data as LoggedOutcome[])] : null));
  }

  /** Creates the (empty) log at the first boot, so a later boot knows it is a restart. */
  create(): void {
    this.rt.disk.write(KEY, BYTES_PER_ENTRY, 0, () => {}, []);
  }

  append(entry: LoggedOutcome, onDurable: () => void): void {
    this.pending.push({ entry, onDurable });
    this.flush();
  }

  private flush(): void {
    if (this.writing || this.retrying || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const next = [...this.durable, ...batch.map((b) => b.entry)];
    this.writing = true;
    this.rt.disk.write(KEY, next.length * BYTES_PER_ENTRY, next.length, (ok) => {
      if (ok) return this.rt.disk.sync(() => this.written(batch));
      // Disk full or failed: nothing is durable; keep the batch and try again shortly.
      this.writing = false;
      this.retrying = true;
      this.pending = [...batch, ...this.pending];
      this.rt.setTimer(1_000_000, () => {
        this.retrying = false;
        this.flush();
      });
    }, next);
  }

  /** The batch is on stable storage: announce it, then write whatever queued meanwhile. */
  private written(batch: Array<{ entry: LoggedOutcome; onDurable: () => void }>): void {
    this.writing = false;
    this.durable.push(...batch.map((b) => b.entry));
    for (const b of batch) b.onDurable();
    this.flush();
  }
}
