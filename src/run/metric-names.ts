import type { MetricValue } from '../check/expectations.js';
import type { Summary } from './summary.js';

/**
 * The summary metrics that expectations and `npm run compare` know by name.
 * Adding a measurement to the summary? Name it here too.
 */
const METRICS: Record<string, (s: Summary) => MetricValue> = {
  lost_chunks: (s) => s.durability.lost_chunks,
  lost_bytes: (s) => s.durability.lost_bytes,
  under_replicated_at_end: (s) => s.durability.under_replicated_at_end,
  over_replicated_at_end: (s) => s.durability.over_replicated_at_end,
  unavailable_at_end: (s) => s.durability.unavailable_at_end,
  max_under_replicated: (s) => s.durability.max_under_replicated,
  under_replicated_chunk_s: (s) => s.durability.under_replicated_chunk_s,
  chunks_acked: (s) => s.pipeline.chunks_acked,
  chunks_failed: (s) => s.pipeline.chunks_failed,
  pipeline_completed: (s) => s.pipeline.completed,
  completion_s: (s) => s.pipeline.completion_s,
  throughput_mb_s: (s) => s.pipeline.throughput_mb_s,
  processing_retries: (s) => s.pipeline.retries.processing,
  distribution_retries: (s) => s.pipeline.retries.distribution,
  bottleneck_busy_fraction: (s) => s.bottleneck.busy_fraction,
  messages_dropped: (s) => s.network.messages_dropped,
  transfers_aborted: (s) => s.network.transfers_aborted,
  invariants_broken: (s) => s.invariants.filter((i) => !i.held).length,
  corrupt_replicas_at_end: (s) => s.durability.corrupt_replicas_at_end,
  silently_lost_chunks: (s) => s.durability.silently_lost_chunks,
  crashes_detected: (s) => s.detection.detected,
  detection_p50_s: (s) => s.detection.p50_s,
  detection_p95_s: (s) => s.detection.p95_s,
  detection_max_s: (s) => s.detection.max_s,
  false_suspicions: (s) => s.detection.false_suspicions,
  false_failures: (s) => s.detection.false_failures,
  repairs: (s) => s.repair.repairs,
  bytes_repaired: (s) => s.repair.bytes_repaired,
  orphans_removed: (s) => s.repair.orphans_removed,
  repair_backlog_at_end: (s) => s.repair.backlog_chunks_at_end,
  moves: (s) => s.rebalance.moves,
  coordinator_elections: (s) => s.coordinator?.elections ?? null,
  tasks_completed: (s) => s.coordinator?.tasks_completed ?? null,
  tasks_failed: (s) => s.coordinator?.tasks_failed ?? null,
  tasks_lost: (s) => s.coordinator?.tasks_lost ?? null,
  duplicate_executions: (s) => s.coordinator?.duplicate_executions ?? null,
  raft_elections: (s) => s.raft?.elections ?? null,
  raft_writes_acked: (s) => s.raft?.writes_acked ?? null,
  p50_commit_ms: (s) => s.raft?.p50_commit_ms ?? null,
  p95_commit_ms: (s) => s.raft?.p95_commit_ms ?? null,
  p99_commit_ms: (s) => s.raft?.p99_commit_ms ?? null,
  max_leaderless_s: (s) => s.raft?.max_leaderless_s ?? null,
  write_availability: (s) => s.raft?.write_availability ?? null,
  disk_imbalance_at_end: (s) => s.rebalance.disk_imbalance_at_end,
};

export const METRIC_NAMES: readonly string[] = Object.keys(METRICS);

export function metricsOf(summary: Summary): Map<string, MetricValue> {
  return new Map(Object.entries(METRICS).map(([name, read]) => [name, read(summary)]));
}
