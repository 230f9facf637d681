import { PipelineChecker } from '../../../check/pipeline-checker.js';
import type { SimTime } from '../../../kernel/index.js';
import { CheckpointCollector } from '../../../metrics/checkpoint.js';
import { DurabilityCollector } from '../../../metrics/durability.js';
import { QueueTimesCollector } from '../../../metrics/queue-times.js';
import { ThroughputCollector } from '../../../metrics/throughput.js';
import { UtilisationCollector } from '../../../metrics/utilisation.js';
import type { ObserveContext, RunEnd, SystemObserver } from '../../../modules/system-module.js';
import { membershipModule } from '../../membership/module.js';
import type { DetectorOptions } from '../../membership/options.js';
import type { Summary } from '../../../modules/summary.js';
import type { TelemetryEvent } from '../../telemetry.js';
import type { PipelineBootOptions } from '../boot.js';
import { batchOf, chunkCount } from '../chunks.js';
import { pipelineSections, type PipelineRecords, type Progress } from './summary.js';

/**
 * Watches the pipeline, storage, repair and rebalancing over one run:
 * throughput.csv, durability.csv (sampled from the disks), the pipeline
 * checker's invariants, and the summary sections from `pipeline` to
 * `rebalance`.
 */
export class PipelineObserver implements SystemObserver, PipelineRecords {
  readonly throughput: ThroughputCollector;
  readonly durability: DurabilityCollector;
  readonly utilisation: UtilisationCollector;
  readonly queue = new QueueTimesCollector();
  /** Per batch of the dataset: bytes acknowledged, chunks settled, when its last acknowledgement came. */
  readonly batches: Array<{ bytes: number; lastAckAt: SimTime; chunks: number }>;
  readonly chunkCount: number;
  readonly checker: PipelineChecker;
  /** With checkpoints in batches: their count and what crashes of the source node cost. */
  readonly checkpoints: CheckpointCollector | undefined;
  readonly progress: Progress = {
    acked: 0, partial: 0, failed: 0, doneAt: -1, diskBusyAtDone: 0, retries: { processing: 0, distribution: 0 },
    repairs: 0, bytesRepaired: 0, replicasDropped: 0, orphansRemoved: 0, moves: 0, relayedTransfers: 0, relayedBytes: 0, replicasAsked: 0, replicasVerified: 0, storedBytesByCloud: new Map(),
  };

  constructor(private readonly run: ObserveContext, private readonly options: PipelineBootOptions) {
    const p = options.pipeline;
    this.throughput = new ThroughputCollector(run.bucket, () => run.truth.now);
    this.durability = new DurabilityCollector(run.truth, p.replicationFactor);
    this.utilisation = new UtilisationCollector(run.truth, run.topology, run.bucket);
    this.chunkCount = chunkCount(p.datasetBytes, p.fileBytes, p.chunkBytes);
    this.batches = Array.from({ length: p.batches }, () => ({ bytes: 0, lastAckAt: -1, chunks: 0 }));
    // The source node makes the claims the checker judges.
    this.checker = new PipelineChecker(run.truth, p.minReplicasSuccess, p.replicationFactor, p.sourceNode, p.fallbackToAnyNode, p.checkpoint.every > 1);
    this.checkpoints = p.checkpoint.every > 1 ? new CheckpointCollector(run.truth, p.sourceNode, this.chunkCount, p.checkpoint) : undefined;
  }

  observe(e: TelemetryEvent): void {
    if (this.checkpoints) {
      this.checkpoints.observe(e);
      // A chunk acknowledged again after a restart lost its outcome (work redone): counted once in every figure.
      if (e.kind === 'acked' && this.checkpoints.isRepeat(e.chunk)) return this.checker.observe(e);
    }
    this.throughput.observe(e);
    this.durability.observe(e);
    this.utilisation.observe(e);
    this.queue.observe(e);
    this.checker.observe(e);
    const p = this.progress;
    switch (e.kind) {
      case 'acked': {
        const batch = this.batches[batchOf(e.chunk, this.chunkCount, this.batches.length)]!;
        batch.bytes += e.bytes;
        batch.chunks++;
        batch.lastAckAt = this.run.truth.now;
        p.acked++;
        if (e.replicas.length < this.options.pipeline.replicationFactor) p.partial++;
        break;
      }
      case 'chunk_failed': p.failed++; break;
      case 'pipeline_done':
        p.doneAt = this.run.truth.now;
        p.diskBusyAtDone = this.totalDiskBusy();
        break;
      case 'retry': if (e.stage === 'processing' || e.stage === 'distribution') p.retries[e.stage]++; break;
      case 'repaired': if (e.bytes > 0) { p.repairs++; p.bytesRepaired += e.bytes; } break;
      case 'replica_dropped': p.replicasDropped++; break;
      case 'orphan_removed': p.orphansRemoved++; break;
      case 'replica_moved': p.moves++; break;
      case 'relayed': p.relayedTransfers++; p.relayedBytes += e.bytes; break;
      // A late answer was counted when its attempt gave up on it (as silent).
      case 'replica_answer': if (e.late) break; p.replicasAsked++; if (e.ok) p.replicasVerified++; break;
      case 'replica_stored': {
        const cloud = this.run.topology.nodes[e.node]!.cloud;
        p.storedBytesByCloud.set(cloud, (p.storedBytesByCloud.get(cloud) ?? 0) + e.bytes);
        break;
      }
      default: break;
    }
  }

  silentlyLost(): number {
    return this.checker.silentlyLost().length;
  }

  /** Disk busy time of every node so far. */
  totalDiskBusy(): SimTime {
    const truth = this.run.truth;
    let busy = 0;
    for (let i = 0; i < truth.nodes.length; i++) busy += truth.diskBusyTime(i);
    return busy;
  }

  sample(): void {
    this.durability.sample();
    this.utilisation.sample();
  }

  gauges(): Record<string, number> {
    return this.durability.gauges();
  }

  files(): Record<string, string> {
    return {
      'throughput.csv': this.throughput.toCsv(this.run.horizon),
      'durability.csv': this.durability.toCsv(),
      'utilisation.csv': this.utilisation.toCsv(this.run.horizon),
    };
  }

  summary(): Partial<Summary> {
    return pipelineSections(this, this.run, this.options);
  }

  /** At the end: repair's liveness, judged against a bound from the detector's and the repairer's settings. */
  finish({ quietSince }: RunEnd): void {
    const ratio = this.options.pipeline.outputRatio;
    const replica = (raw: number): number => Math.round(raw * ratio);
    this.checker.judgeRepair(this.repairSettle(replica(this.durability.largestAcked())), quietSince, (chunk) => replica(this.durability.ackedBytes(chunk)));
  }

  /**
   * How long after the last fault every repairable chunk must be whole
   * again: the detector's bound to declare a lost node failed, one scrub
   * interval if any copy was ever corrupt (a scrub finds it), one repair timeout (a
   * copy that hung), and the time to copy, at the repair bandwidth, the most
   * replicas ever missing at once from the disks or, if larger, the most the
   * repairer ever had queued: a detector that declares live nodes failed
   * gives it copies to make that the disks never missed, and it cannot tell
   * which. Only the larger of the two counts, so a repairer that leaves
   * chunks out of its backlog is still held to the disks' figure. Null when
   * repair is off or no detector declares losses.
   */
  private repairSettle(replicaBytes: number): SimTime | null {
    const r = this.options.repair;
    const detector = this.run.settingsOf(membershipModule)?.detector;
    const detect = detector ? detectionBound(detector, this.run.topology.nodes.length) : null;
    if (!r.enabled || detect === null) return null;
    return repairSettle({
      detect,
      // Only a corrupt copy waits for a scrub to be found; a lost node is declared by the detector.
      scrub: this.durability.sawCorruption() ? r.scrubInterval : 0,
      timeout: r.timeout,
      // Replicas missing at the worst sample: every acknowledged chunk's replication_factor, less those on live disks.
      missingBytes: this.durability.mostReplicasMissing() * replicaBytes,
      backlogBytes: this.durability.mostBacklogBytes(),
      bandwidthBytesPerS: r.bandwidthBytesPerS,
    });
  }

  invariants() {
    return this.checker.results();
  }
}

/** The settle time of `repair_restores_replication` from its parts (see `PipelineObserver.repairSettle`), µs. */
export function repairSettle(p: { detect: SimTime; scrub: SimTime; timeout: SimTime; missingBytes: number; backlogBytes: number; bandwidthBytesPerS: number }): SimTime {
  const copy = Math.ceil((Math.max(p.missingBytes, p.backlogBytes) * 1e6) / p.bandwidthBytesPerS);
  return p.detect + p.scrub + p.timeout + copy;
}

/**
 * A generous bound on the time from a node's loss to its declaration as
 * failed by the source node's detector; null for `none` (only evidence from
 * failed work, no bound).
 */
export function detectionBound(d: DetectorOptions, members: number): SimTime | null {
  switch (d.kind) {
    case 'heartbeat':
      return d.heartbeat.timeout + d.heartbeat.interval;
    case 'phi_accrual':
      // phi passes a threshold of 8 about 5.5 standard deviations past the mean gap; 20 leaves room for a noisy window.
      return d.phi.acceptablePause + 2 * d.phi.interval + 20 * Math.max(d.phi.minStdDev, d.phi.interval / 4) + d.phi.checkInterval;
    case 'swim':
      // Probed once per round of all members, then suspected for suspicion_timeout, then spread in about log2(n) periods.
      return (members + 1 + 3 * Math.ceil(Math.log2(members + 1))) * d.swim.period + d.swim.pingTimeout + d.swim.suspicionTimeout;
    default:
      return null;
  }
}
