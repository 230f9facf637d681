import type { SimTime } from '../kernel/index.js';
import { STAGES, type Stage, type TelemetryEvent } from '../systems/index.js';
import { fixed3, seconds, toCsv } from './csv.js';
import { NumberRows } from './number-rows.js';

interface Cell { chunks: number; bytes: number }


/**
 * Per time bucket and stage: how many chunks and bytes finished that stage.
 * Ingestion counts ingested chunks, processing processed ones, distribution
 * acknowledged ones, storage every verified replica written.
 */
export class ThroughputCollector {
  /**
   * Per bucket, for each stage (STAGES order): chunks, then bytes. A row
   * object per bucket cost about 420 bytes, a quarter of a week-long run's
   * heap growth; a row of numbers costs 64.
   */
  private readonly cells = new NumberRows(2 * STAGES.length, 256);
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
    this.cells.reach(i + 1);
    const column = 2 * STAGES.indexOf(stage);
    this.cells.add(i, column, 1);
    this.cells.add(i, column + 1, bytes);
    this.totals[stage].chunks++;
    this.totals[stage].bytes += bytes;
  }

  toCsv(horizon: SimTime): string {
    const rows: string[][] = [];
    const count = Math.ceil(horizon / this.bucket);
    for (let i = 0; i < count; i++) {
      const start = i * this.bucket;
      const end = Math.min(horizon, start + this.bucket);
      STAGES.forEach((stage, s) => {
        const chunks = i < this.cells.length ? this.cells.get(i, 2 * s) : 0;
        const bytes = i < this.cells.length ? this.cells.get(i, 2 * s + 1) : 0;
        rows.push([seconds(end), seconds(start), stage, String(chunks), String(bytes), fixed3(bytes / 1e6 / ((end - start) / 1e6))]);
      });
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
