import { PipelineChecker } from '../../../check/pipeline-checker.js';
import type { SimTime } from '../../../kernel/index.js';
import { DurabilityCollector } from '../../../metrics/durability.js';
import { ThroughputCollector } from '../../../metrics/throughput.js';
import type { ObserveContext, SystemObserver } from '../../../modules/system-module.js';
import type { Summary } from '../../../modules/summary.js';
import type { TelemetryEvent } from '../../telemetry.js';
import type { PipelineBootOptions } from '../boot.js';
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
  readonly checker: PipelineChecker;
  readonly progress: Progress = {
    acked: 0, failed: 0, doneAt: -1, diskBusyAtDone: 0, retries: { processing: 0, distribution: 0 },
    repairs: 0, bytesRepaired: 0, replicasDropped: 0, orphansRemoved: 0, moves: 0,
  };

  constructor(private readonly run: ObserveContext, private readonly options: PipelineBootOptions) {
    const p = options.pipeline;
    this.throughput = new ThroughputCollector(run.bucket, () => run.truth.now);
    this.durability = new DurabilityCollector(run.truth, p.replicationFactor);
    // The source node makes the claims the checker judges.
    this.checker = new PipelineChecker(run.truth, p.minReplicasSuccess, p.replicationFactor, p.sourceNode);
  }

  observe(e: TelemetryEvent): void {
    this.throughput.observe(e);
    this.durability.observe(e);
    this.checker.observe(e);
    const p = this.progress;
    switch (e.kind) {
      case 'acked': p.acked++; break;
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
  }

  files(): Record<string, string> {
    return { 'throughput.csv': this.throughput.toCsv(this.run.horizon), 'durability.csv': this.durability.toCsv() };
  }

  summary(): Partial<Summary> {
    return pipelineSections(this, this.run, this.options);
  }

  invariants() {
    return this.checker.results();
  }
}
