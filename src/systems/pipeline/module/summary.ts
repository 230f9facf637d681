import type { CheckpointCollector } from '../../../metrics/checkpoint.js';
import type { ObserveContext } from '../../../modules/system-module.js';
import type { StageSummary, Summary } from '../../../modules/summary.js';
import type { GroundTruth } from '../../../world/ground-truth.js';
import { STAGES, type Stage } from '../../telemetry.js';
import type { PipelineBootOptions } from '../boot.js';
import { batchOf, chunkCount } from '../chunks.js';
import type { SimTime } from '../../../kernel/index.js';
import type { DurabilityCollector } from '../../../metrics/durability.js';
import type { ThroughputCollector } from '../../../metrics/throughput.js';
import type { UtilisationCollector } from '../../../metrics/utilisation.js';
import type { QueueTimesCollector } from '../../../metrics/queue-times.js';

/** Counters read straight off the pipeline's telemetry. */
export interface Progress {
  acked: number;
  /** Acknowledged with fewer than replication_factor replicas. */
  partial: number;
  failed: number;
  /** Simulated time the pipeline finished, or -1. */
  doneAt: SimTime;
  /** Disk busy time of all nodes when the pipeline finished (later scrubs and repairs are not its work). */
  diskBusyAtDone: SimTime;
  retries: { processing: number; distribution: number };
  repairs: number;
  bytesRepaired: number;
  replicasDropped: number;
  orphansRemoved: number;
  moves: number;
  relayedTransfers: number;
  relayedBytes: number;
  /** Distribution targets that answered or were given up on, and those that verified. */
  replicasAsked: number;
  replicasVerified: number;
  /** Replica bytes stored (verified writes, repairs and moves included), by the cloud of the node that stored them. */
  storedBytesByCloud: Map<string, number>;
}

/** What the pipeline's observer recorded, as the summary reads it. */
export interface PipelineRecords {
  readonly progress: Progress;
  readonly throughput: ThroughputCollector;
  readonly durability: DurabilityCollector;
  readonly utilisation: UtilisationCollector;
  readonly queue: QueueTimesCollector;
  /** Per batch of the dataset: bytes acknowledged, chunks acknowledged, when its last acknowledgement came (-1: none). */
  readonly batches: ReadonlyArray<{ bytes: number; lastAckAt: SimTime; chunks: number }>;
  readonly chunkCount: number;
  /** With `checkpoint.every` above 1: the checkpoints and what source-node crashes cost. */
  readonly checkpoints: CheckpointCollector | undefined;
  /** Chunks the system still believes have replicas, of which no intact copy exists. */
  silentlyLost(): number;
  /** Disk busy time of every node so far. */
  totalDiskBusy(): SimTime;
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

export function durabilitySummary(durability: DurabilityCollector, silentlyLost: number): Summary['durability'] {
  const last = durability.last();
  const one = durability.concentration();
  const firstLossAt = durability.firstLossAt();
  return {
    lost_chunks: last?.lost ?? 0,
    lost_bytes: last?.bytesLost ?? 0,
    under_replicated_at_end: last?.underReplicated ?? 0,
    over_replicated_at_end: last?.overReplicated ?? 0,
    unavailable_at_end: last?.unavailable ?? 0,
    max_under_replicated: durability.maxUnderReplicated(),
    under_replicated_chunk_s: last?.atRiskChunkS ?? 0,
    corrupt_replicas_at_end: last?.replicasCorrupt ?? 0,
    silently_lost_chunks: silentlyLost,
    first_loss_s: firstLossAt === null ? null : firstLossAt / 1_000_000,
    chunks_in_one_cloud: one.cloud,
    chunks_in_one_region: one.region,
    chunks_in_one_rack: one.rack,
  };
}

/** Per-stage busy fractions over the pipeline's active time (until completion, or the horizon). */
function stageSummaries(observer: PipelineRecords, run: ObserveContext, options: PipelineBootOptions): Record<Stage, StageSummary> {
  const { progress, throughput } = observer;
  const active = progress.doneAt >= 0 ? progress.doneAt : run.horizon;
  // With the coordinator picking workers, only its agents that can process hold processing slots.
  const coord = options.pipeline.coordination === 'coordinator' ? options.coordinator : undefined;
  const processes = (index: number): boolean => !coord || coord.agents.some((a, i) => a === index && coord.capabilities[i]!.includes('process'));
  const capacity: Record<Stage, number> = {
    ingestion: 1,
    processing: run.topology.nodes.reduce((n, node, i) => n + (processes(i) ? node.slots : 0), 0),
    distribution: options.pipeline.maxConcurrentDistributions,
    storage: run.topology.nodes.length,
  };
  const storageBusy = progress.doneAt >= 0 ? progress.diskBusyAtDone : observer.totalDiskBusy();
  // No data, no pipeline work: other systems' disk use is not a bottleneck of it.
  const noData = options.pipeline.datasetBytes === 0;
  const stages = {} as Record<Stage, StageSummary>;
  for (const stage of STAGES) {
    const busy = stage === 'storage' ? storageBusy : throughput.busyMicros[stage];
    stages[stage] = {
      chunks: throughput.totals[stage].chunks,
      bytes: throughput.totals[stage].bytes,
      busy_fraction: noData ? 0 : round3(active > 0 ? Math.min(1, busy / (active * capacity[stage])) : 0),
    };
  }
  return stages;
}

/** The summary sections of the pipeline, storage, repair and rebalancing. */
export function pipelineSections(observer: PipelineRecords, run: ObserveContext, options: PipelineBootOptions): Partial<Summary> {
  const { progress, throughput, durability } = observer;
  const p = options.pipeline;
  const active = progress.doneAt >= 0 ? progress.doneAt : run.horizon;
  const stages = stageSummaries(observer, run, options);
  const last = durability.last();
  return {
    pipeline: {
      chunks_total: chunkCount(p.datasetBytes, p.fileBytes, p.chunkBytes),
      chunks_acked: progress.acked,
      chunks_failed: progress.failed,
      bytes_acked: throughput.totals.distribution.bytes,
      completed: progress.doneAt >= 0,
      completion_s: progress.doneAt >= 0 ? progress.doneAt / 1e6 : null,
      throughput_mb_s: round3(active > 0 ? throughput.totals.distribution.bytes / 1e6 / (active / 1e6) : 0),
      retries: progress.retries,
      replica_success_rate: progress.replicasAsked > 0 ? round3(progress.replicasVerified / progress.replicasAsked) : null,
      storage_mb_s_by_cloud: Object.fromEntries(run.topology.clouds.map((c) => [c, round3(active > 0 ? (progress.storedBytesByCloud.get(c) ?? 0) / 1e6 / (active / 1e6) : 0)])),
      chunks_partial: progress.partial,
    },
    stages,
    bottleneck: bottleneckOf(stages),
    processing_queue: observer.queue.summary(),
    durability: durabilitySummary(durability, observer.silentlyLost()),
    repair: {
      repairs: progress.repairs,
      bytes_repaired: progress.bytesRepaired,
      replicas_dropped: progress.replicasDropped,
      orphans_removed: progress.orphansRemoved,
      backlog_chunks_at_end: last?.repairBacklogChunks ?? 0,
    },
    rebalance: { moves: progress.moves, disk_imbalance_at_end: round3(diskImbalance(run.truth)), chunk_imbalance_at_end: round3(chunkImbalance(run.truth, durability.replicasPerNode())) },
    utilisation: observer.utilisation.summary(active),
    ...(p.batches > 1 ? { batches: batchSummary(observer, p.batches, p.batchEvery) } : {}),
    ...(p.routing === 'relay' ? { routing: { relayed_transfers: progress.relayedTransfers, relayed_bytes: progress.relayedBytes } } : {}),
    ...(observer.checkpoints ? { checkpoint: observer.checkpoints.summary() } : {}),
  };
}

/**
 * Document 004's multi-batch runs: each batch's throughput (its acknowledged
 * bytes over the time from its arrival to its last acknowledgement; null
 * until every chunk of it is acknowledged) and their coefficient of
 * variation (standard deviation over mean, of the batches that completed).
 */
function batchSummary(observer: PipelineRecords, count: number, every: SimTime): NonNullable<Summary['batches']> {
  const sizes = new Array<number>(count).fill(0);
  for (let id = 0; id < observer.chunkCount; id++) sizes[batchOf(id, observer.chunkCount, count)]!++;
  const rates = observer.batches.map((b, k) => {
    const span = b.lastAckAt - k * every;
    return b.chunks === sizes[k] && b.chunks > 0 && span > 0 ? round3(b.bytes / 1e6 / (span / 1e6)) : null;
  });
  const done = rates.filter((r): r is number => r !== null);
  const mean = done.reduce((a, b) => a + b, 0) / Math.max(1, done.length);
  const sd = Math.sqrt(done.reduce((a, r) => a + (r - mean) ** 2, 0) / Math.max(1, done.length));
  return { count, every_s: every / 1e6, throughput_mb_s: rates, throughput_cv: done.length > 1 && mean > 0 ? round3(sd / mean) : null };
}

/**
 * Document 004's per-node chunk balance (its bound: 30 %): the largest
 * deviation of a node's replica count from the mean, over the mean, among
 * nodes that are up with a working disk; 0 when nothing is stored.
 */
export function chunkImbalance(truth: GroundTruth, replicas: Int32Array): number {
  const live = truth.nodes.filter((n) => n.up && !truth.diskFailed(n.index)).map((n) => replicas[n.index]!);
  const mean = live.reduce((a, b) => a + b, 0) / Math.max(1, live.length);
  return mean === 0 ? 0 : Math.max(...live.map((c) => Math.abs(c - mean))) / mean;
}

/** (most - least used) / most, over the disks of nodes that are up, as fractions of capacity. */
export function diskImbalance(truth: GroundTruth): number {
  const use = truth.nodes.filter((n) => n.up && !truth.diskFailed(n.index)).map((n) => truth.diskUsedBytes(n.index) / truth.diskCapacity(n.index));
  const most = Math.max(0, ...use);
  return most === 0 ? 0 : (most - Math.min(...use)) / most;
}
