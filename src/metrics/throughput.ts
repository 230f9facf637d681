import type { SimTime } from '../kernel/index.js';
import { STAGES, type Stage, type TelemetryEvent } from '../systems/index.js';
import { fixed3, seconds, toCsv } from './csv.js';

interface Cell { chunks: number; bytes: number }

/**
 * Per time bucket and stage: how many chunks and bytes finished that stage.
 * Ingestion counts ingested chunks, processing processed ones, distribution
 * acknowledged ones, storage every verified replica written.
 */
export class ThroughputCollector {
  private readonly buckets: Array<Record<Stage, Cell>> = [];
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
    while (this.buckets.length <= i) this.buckets.push(emptyRow());
    const cell = this.buckets[i]![stage];
    cell.chunks++;
    cell.bytes += bytes;
    this.totals[stage].chunks++;
    this.totals[stage].bytes += bytes;
  }

  toCsv(horizon: SimTime): string {
    const rows: string[][] = [];
    const count = Math.ceil(horizon / this.bucket);
    for (let i = 0; i < count; i++) {
      const start = i * this.bucket;
      const end = Math.min(horizon, start + this.bucket);
      const row = this.buckets[i] ?? emptyRow();
      for (const stage of STAGES) {
        const { chunks, bytes } = row[stage];
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
