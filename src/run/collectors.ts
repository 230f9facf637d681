import { CoordinatorChecker, PipelineChecker, RaftChecker } from '../check/index.js';
import type { SimTime } from '../kernel/index.js';
import { ConsensusCollector, DetectorCollector, DurabilityCollector, ThroughputCollector } from '../metrics/index.js';
import type { Telemetry, TelemetryEvent } from '../systems/index.js';
import type { World } from '../world/index.js';

/** Counters read straight off the telemetry stream. */
export interface Progress {
  acked: number;
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
}

/** Every consumer of one run's telemetry, fed in a fixed order. */
export class RunCollectors implements Telemetry {
  readonly throughput: ThroughputCollector;
  readonly durability: DurabilityCollector;
  readonly detector: DetectorCollector;
  readonly checker: PipelineChecker;
  readonly consensus: ConsensusCollector;
  readonly raftChecker: RaftChecker;
  readonly coordinatorChecker: CoordinatorChecker;
  readonly progress: Progress = {
    acked: 0, failed: 0, doneAt: -1, diskBusyAtDone: 0, retries: { processing: 0, distribution: 0 },
    repairs: 0, bytesRepaired: 0, replicasDropped: 0, orphansRemoved: 0, moves: 0,
  };

  constructor(
    private readonly world: World,
    bucket: SimTime,
    replicationFactor: number,
    minReplicas: number,
    /** The pipeline's source node, which makes the claims the pipeline checker judges. */
    metadataNode: number,
    private readonly tap?: (time: SimTime, e: TelemetryEvent) => void,
  ) {
    this.throughput = new ThroughputCollector(bucket, () => world.sim.now);
    this.durability = new DurabilityCollector(world, replicationFactor);
    this.detector = new DetectorCollector(world);
    this.checker = new PipelineChecker(world, minReplicas, replicationFactor, metadataNode);
    this.consensus = new ConsensusCollector(world, bucket);
    this.raftChecker = new RaftChecker(world);
    this.coordinatorChecker = new CoordinatorChecker(world);
  }

  /** At the end of every bucket. */
  sample(): void {
    this.durability.sample();
    this.consensus.sample();
  }

  emit(e: TelemetryEvent): void {
    this.tap?.(this.world.sim.now, e);
    this.throughput.observe(e);
    this.durability.observe(e);
    this.detector.observe(e);
    this.checker.observe(e);
    this.consensus.observe(e);
    this.raftChecker.observe(e);
    this.coordinatorChecker.observe(e);
    const p = this.progress;
    switch (e.kind) {
      case 'acked': p.acked++; break;
      case 'chunk_failed': p.failed++; break;
      case 'pipeline_done':
        p.doneAt = this.world.sim.now;
        p.diskBusyAtDone = this.world.nodes.reduce((t, n) => t + n.disk.busyTime, 0);
        break;
      case 'retry': if (e.stage === 'processing' || e.stage === 'distribution') p.retries[e.stage]++; break;
      case 'repaired': if (e.bytes > 0) { p.repairs++; p.bytesRepaired += e.bytes; } break;
      case 'replica_dropped': p.replicasDropped++; break;
      case 'orphan_removed': p.orphansRemoved++; break;
      case 'replica_moved': p.moves++; break;
      default: break;
    }
  }
}
