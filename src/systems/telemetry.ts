/**
 * Instrumentation: what the systems report about their own progress, as a
 * production service would export metrics. Metrics collectors consume these;
 * durability is never judged from them alone (see metrics/ground truth).
 */
export type Stage = 'ingestion' | 'processing' | 'distribution' | 'storage';
export const STAGES: readonly Stage[] = ['ingestion', 'processing', 'distribution', 'storage'];

export type TelemetryEvent =
  | { kind: 'ingested'; chunk: number; bytes: number }
  | { kind: 'processed'; chunk: number; bytes: number; node: number }
  | { kind: 'replica_stored'; chunk: number; bytes: number; node: number }
  /** The pipeline considers the chunk durably distributed on `replicas`. */
  | { kind: 'acked'; chunk: number; bytes: number; replicas: readonly number[] }
  | { kind: 'chunk_failed'; chunk: number; bytes: number; reason: string }
  /** `micros` of work done by one unit of `stage` (a reader, a slot, a distribution, a disk). */
  | { kind: 'busy'; stage: Stage; micros: number }
  | { kind: 'retry'; stage: Stage; chunk: number; reason: string }
  | { kind: 'pipeline_done' };

export interface Telemetry {
  emit(event: TelemetryEvent): void;
}
