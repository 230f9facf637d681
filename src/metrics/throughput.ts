import type { SimTime } from '../kernel/index.js';
import { STAGES, type Stage, type TelemetryEvent } from '../systems/index.js';
import { fixed3, seconds, toCsv } from './csv.js';

interface Cell { chunks: number; bytes: number }

/** A stage's place among a bucket's four cells. */
const STAGE_INDEX: Readonly<Record<Stage, number>> = { ingestion: 0, processing: 1, distribution: 2, storage: 3 };

/**
 * Per time bucket and stage: how many chunks and bytes finished that stage.
 * Ingestion counts ingested chunks, processing processed ones, distribution
 * acknowledged ones, storage every verified replica written.
 */
export class ThroughputCollector {
  /**
   * Per bucket and stage (STAGES order, four cells a bucket): chunks and
   * bytes, in flat arrays grown by doubling. A row object per bucket cost
   * about 420 bytes, a quarter of a week-long run's heap growth; these cost 64.
   */
  private chunks = new Float64Array(256);
  private bytes = new Float64Array(256);
  /** Buckets with a cell written so far. */
  private used = 0;
  readonly totals: Record<Stage, Cell> = emptyRow();
  readonly busyMicros: Record<Stage, number> = { ingestion: 0, processing: 0, distribution: 0, storage: 0 };

  constructor(private readonly bucket: SimTime, private readonly clock: () => SimTime) {}

  observe(e: TelemetryEvent): void {
    switch (e.kind) {
      case 'ingested':
        return this.add('ingestion', e.bytes);
      case 'processed':
        return this.add('processing', e.bytes);
      case 'acked':
        return this.add('distribution', e.bytes);
      case 'replica_stored':
        return this.add('storage', e.bytes);
      case 'busy':
        this.busyMicros[e.stage] += e.micros;
        return;
      default:
        return;
    }
  }

  private add(stage: Stage, bytes: number): void {
    // An event exactly on a boundary belongs to the bucket it closes.
    const i = Math.max(0, Math.ceil(this.clock() / this.bucket) - 1);
    if (i >= this.used) {
      this.used = i + 1;
      if (this.used * STAGES.length > this.chunks.length) this.grow(this.used * STAGES.length);
    }
    const c = i * STAGES.length + STAGE_INDEX[stage];
    this.chunks[c]!++;
    this.bytes[c]! += bytes;
    this.totals[stage].chunks++;
    this.totals[stage].bytes += bytes;
  }

  private grow(cells: number): void {
    let size = this.chunks.length;
    while (size < cells) size *= 2;
    const chunks = new Float64Array(size);
    chunks.set(this.chunks);
    this.chunks = chunks;
    const bytes = new Float64Array(size);
    bytes.set(this.bytes);
    this.bytes = bytes;
  }

  toCsv(horizon: SimTime): string {
    const rows: string[][] = [];
    const count = Math.ceil(horizon / this.bucket);
    for (let i = 0; i < count; i++) {
      const start = i * this.bucket;
      const end = Math.min(horizon, start + this.bucket);
      for (const stage of STAGES) {
        const c = i * STAGES.length + STAGE_INDEX[stage];
        const chunks = i < this.used ? this.chunks[c]! : 0;
        const bytes = i < this.used ? this.bytes[c]! : 0;
        rows.push([seconds(end), seconds(start), stage, String(chunks), String(bytes), fixed3(bytes / 1e6 / ((end - start) / 1e6))]);
      }
    }
    // time_s is the bucket's end, as in durability.csv and consensus.csv: a row says what happened up to then.
    return toCsv(['time_s', 'bucket_start_s', 'stage', 'chunks', 'bytes', 'mb_per_s'], rows);
  }
}

function emptyRow(): Record<Stage, Cell> {
  return {
    ingestion: { chunks: 0, bytes: 0 },
    processing: { chunks: 0, bytes: 0 },
    distribution: { chunks: 0, bytes: 0 },
    storage: { chunks: 0, bytes: 0 },
  };
}
