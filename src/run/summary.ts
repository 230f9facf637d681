import type { ExpectationResult, InvariantResult } from '../check/index.js';
import type { DurabilitySample } from '../metrics/index.js';
import { STAGES, type Stage } from '../systems/index.js';

export interface StageSummary {
  chunks: number;
  bytes: number;
  /** Fraction of the stage's capacity in use over the pipeline's active time. */
  busy_fraction: number;
}

/** summary.json: simulated quantities only, so it is byte-identical across replays. */
export interface Summary {
  scenario: string;
  seed: number;
  scenario_sha256: string;
  simulated_s: number;
  events: number;
  pipeline: {
    chunks_total: number;
    chunks_acked: number;
    chunks_failed: number;
    bytes_acked: number;
    completed: boolean;
    /** Simulated seconds until every chunk was acknowledged or failed (null: never). */
    completion_s: number | null;
    /** Bytes acknowledged per second of active time, MB/s. */
    throughput_mb_s: number;
    retries: Record<'processing' | 'distribution', number>;
  };
  stages: Record<Stage, StageSummary>;
  bottleneck: { stage: Stage; busy_fraction: number; severity: 'low' | 'medium' | 'high' };
  durability: {
    lost_chunks: number;
    lost_bytes: number;
    under_replicated_at_end: number;
    unavailable_at_end: number;
    max_under_replicated: number;
    /** Sum over samples of under-replicated chunks x bucket width. */
    under_replicated_chunk_s: number;
  };
  network: { messages_sent: number; messages_delivered: number; messages_dropped: number; transfers_completed: number; transfers_aborted: number };
  faults: number;
  invariants: InvariantResult[];
  /** The scenario's `expect:` block, judged. */
  expectations: ExpectationResult[];
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function severity(busy: number): 'low' | 'medium' | 'high' {
  return busy >= 0.9 ? 'high' : busy >= 0.7 ? 'medium' : 'low';
}

/** The stage with the largest busy fraction (document 004's bottleneck); ties go to the earlier stage. */
export function bottleneckOf(stages: Record<Stage, StageSummary>): Summary['bottleneck'] {
  let best: Stage = 'ingestion';
  for (const s of STAGES) if (stages[s].busy_fraction > stages[best].busy_fraction) best = s;
  return { stage: best, busy_fraction: stages[best].busy_fraction, severity: severity(stages[best].busy_fraction) };
}

export function durabilitySummary(samples: readonly DurabilitySample[]): Summary['durability'] {
  const last = samples[samples.length - 1];
  let maxUnder = 0;
  let underSeconds = 0;
  let prev = 0;
  for (const s of samples) {
    maxUnder = Math.max(maxUnder, s.underReplicated);
    underSeconds += (s.underReplicated * (s.time - prev)) / 1e6;
    prev = s.time;
  }
  return {
    lost_chunks: last?.lost ?? 0,
    lost_bytes: last?.bytesLost ?? 0,
    under_replicated_at_end: last?.underReplicated ?? 0,
    unavailable_at_end: last?.unavailable ?? 0,
    max_under_replicated: maxUnder,
    under_replicated_chunk_s: round3(underSeconds),
  };
}
