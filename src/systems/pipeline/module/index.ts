import type { SystemModule } from '../../../modules/system-module.js';
import { buildPipelineOptions } from '../../../scenario/resolve.js';
import { coordinatorModule } from '../../coordinator/module.js';
import { membershipModule } from '../../membership/module.js';
import { raftModule } from '../../raft/module.js';
import { bootPipeline, type PipelineBootOptions } from '../boot.js';
import type { PipelineDefect } from '../options.js';
import { PipelineObserver } from './observer.js';

/** Test-only defects of the pipeline, storage and repair (see `PipelineDefect`). */
export const PIPELINE_DEFECTS: readonly PipelineDefect[] = ['count_silent_targets', 'move_delete_first', 'ack_before_sync', 'repair_skip_some', 'place_fewer', 'drain_release_early'];

/**
 * The data pipeline of documents 004 and 000 with the replica store, repair
 * and rebalancing (`pipeline:`, `repair:`, `rebalance:`), on every node;
 * its orchestrator runs on the source node. Uses the membership view, and
 * the coordinator or the Raft group when the scenario routes work or
 * placements through them.
 */
export const pipelineModule: SystemModule<PipelineBootOptions> = {
  name: 'pipeline',
  // Booted before it in this order: the coordinator, the Raft group, then each node's membership view.
  uses: [coordinatorModule, raftModule, membershipModule],
  defects: PIPELINE_DEFECTS,
  check({ scenario: sc, blockOf }) {
    if (sc.pipeline.catalog === 'raft' && !blockOf(raftModule)) return { path: ['pipeline', 'catalog'], message: '"raft" needs a raft group in the scenario (a raft: block)' };
    if (sc.pipeline.coordination !== 'coordinator') return undefined;
    const coordinator = blockOf(coordinatorModule);
    if (!coordinator) {
      return { path: ['pipeline', 'coordination'], message: '"coordinator" needs document 003\'s coordinator in the scenario (a coordinator: block whose agents include some with the capability "process")' };
    }
    if (!coordinator.agents.some((a) => a.capabilities.includes('process'))) {
      return { path: ['pipeline', 'coordination'], message: '"coordinator" needs at least one coordinator agent with the capability "process" to process chunks; none has it' };
    }
    return undefined;
  },
  settings(ctx) {
    const { scenario: sc, topology } = ctx;
    const r = sc.repair;
    const coordinator = ctx.settingsOf(coordinatorModule)?.group;
    const raft = ctx.settingsOf(raftModule)?.group;
    return {
      pipeline: { ...buildPipelineOptions(sc, topology), defects: ctx.defects as ReadonlySet<PipelineDefect> },
      repair: {
        enabled: r.enabled, bandwidthBytesPerS: r.bandwidth, maxConcurrent: r.max_concurrent, timeout: r.timeout,
        scrubInterval: r.scrub_interval, collectGarbage: r.collect_garbage,
        ...(r.process ? { process: { startAfter: r.process.start_after, duration: r.process.duration } } : {}),
      },
      rebalance: {
        enabled: sc.rebalance.enabled, interval: sc.rebalance.interval, threshold: sc.rebalance.threshold,
        maxConcurrent: sc.rebalance.max_concurrent, timeout: sc.rebalance.timeout, hotFirst: sc.rebalance.hot_first,
      },
      ...(coordinator ? { coordinator } : {}),
      ...(raft ? { raft } : {}),
    };
  },
  boot(node, options) {
    if (!node.registry) throw new Error('the pipeline boots after the membership module, whose view it consults');
    node.source = bootPipeline(node.rt, options, node.cluster, node.registry, node.telemetry);
  },
  observe: (run, options) => new PipelineObserver(run, options),
  metrics: {
    lost_chunks: (s) => s.durability.lost_chunks,
    lost_bytes: (s) => s.durability.lost_bytes,
    under_replicated_at_end: (s) => s.durability.under_replicated_at_end,
    over_replicated_at_end: (s) => s.durability.over_replicated_at_end,
    unavailable_at_end: (s) => s.durability.unavailable_at_end,
    max_under_replicated: (s) => s.durability.max_under_replicated,
    under_replicated_chunk_s: (s) => s.durability.under_replicated_chunk_s,
    chunks_acked: (s) => s.pipeline.chunks_acked,
    chunks_failed: (s) => s.pipeline.chunks_failed,
    chunks_partial: (s) => s.pipeline.chunks_partial,
    replica_success_rate: (s) => s.pipeline.replica_success_rate,
    chunks_in_one_cloud: (s) => s.durability.chunks_in_one_cloud,
    chunks_in_one_region: (s) => s.durability.chunks_in_one_region,
    chunks_in_one_rack: (s) => s.durability.chunks_in_one_rack,
    pipeline_completed: (s) => s.pipeline.completed,
    completion_s: (s) => s.pipeline.completion_s,
    throughput_mb_s: (s) => s.pipeline.throughput_mb_s,
    processing_retries: (s) => s.pipeline.retries.processing,
    distribution_retries: (s) => s.pipeline.retries.distribution,
    bottleneck_busy_fraction: (s) => s.bottleneck.busy_fraction,
    corrupt_replicas_at_end: (s) => s.durability.corrupt_replicas_at_end,
    silently_lost_chunks: (s) => s.durability.silently_lost_chunks,
    wait_mean_s: (s) => s.processing_queue.wait_mean_s,
    wait_p99_s: (s) => s.processing_queue.wait_p99_s,
    sojourn_mean_s: (s) => s.processing_queue.sojourn_mean_s,
    sojourn_p99_s: (s) => s.processing_queue.sojourn_p99_s,
    first_loss_s: (s) => s.durability.first_loss_s,
    data_lost: (s) => s.durability.lost_chunks > 0,
    repairs: (s) => s.repair.repairs,
    bytes_repaired: (s) => s.repair.bytes_repaired,
    orphans_removed: (s) => s.repair.orphans_removed,
    repair_backlog_at_end: (s) => s.repair.backlog_chunks_at_end,
    moves: (s) => s.rebalance.moves,
    disk_imbalance_at_end: (s) => s.rebalance.disk_imbalance_at_end,
    chunk_imbalance_at_end: (s) => s.rebalance.chunk_imbalance_at_end,
    cluster_utilisation: (s) => s.utilisation.slots,
    disk_utilisation: (s) => s.utilisation.disks,
    busiest_link_utilisation: (s) => s.utilisation.busiest_link,
    relayed_bytes: (s) => s.routing?.relayed_bytes ?? null,
    batch_throughput_cv: (s) => s.batches?.throughput_cv ?? null,
  },
};
