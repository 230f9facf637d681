import type { CoordinatorSummary, ExpectationResult, InvariantResult } from '../check/index.js';
import type { Simulator } from '../kernel/index.js';
import type { ConsensusSummary, DetectionSummary, DurabilitySample } from '../metrics/index.js';
import type { LoadedScenario } from '../scenario/index.js';
import { planChunks, STAGES, type SoftwareOptions, type Stage } from '../systems/index.js';
import type { TopologySpec, World } from '../world/index.js';
import type { RunCollectors } from './collectors.js';

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
    /** Chunks with more intact replicas than replication_factor at the end (stored twice). */
    over_replicated_at_end: number;
    unavailable_at_end: number;
    max_under_replicated: number;
    /** Under-replicated chunk-seconds over the run (sampled at bucket resolution). */
    under_replicated_chunk_s: number;
    corrupt_replicas_at_end: number;
    /** Chunks the system still believes have replicas, of which no intact copy exists. */
    silently_lost_chunks: number;
  };
  detection: DetectionSummary;
  repair: { repairs: number; bytes_repaired: number; replicas_dropped: number; orphans_removed: number; backlog_chunks_at_end: number };
  /** Disk use across nodes that are up, from the disks: (most - least) / most. */
  rebalance: { moves: number; disk_imbalance_at_end: number };
  /** Present when the scenario runs document 003's coordinator. */
  coordinator?: CoordinatorSummary;
  /** Present when the scenario runs a Raft group. */
  raft?: ConsensusSummary;
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

export function durabilitySummary(samples: readonly DurabilitySample[], silentlyLost: number): Summary['durability'] {
  const last = samples[samples.length - 1];
  return {
    lost_chunks: last?.lost ?? 0,
    lost_bytes: last?.bytesLost ?? 0,
    under_replicated_at_end: last?.underReplicated ?? 0,
    over_replicated_at_end: last?.overReplicated ?? 0,
    unavailable_at_end: last?.unavailable ?? 0,
    max_under_replicated: samples.reduce((m, s) => Math.max(m, s.underReplicated), 0),
    under_replicated_chunk_s: last?.atRiskChunkS ?? 0,
    corrupt_replicas_at_end: last?.replicasCorrupt ?? 0,
    silently_lost_chunks: silentlyLost,
  };
}

export interface SummaryInputs {
  loaded: LoadedScenario;
  seed: number;
  sim: Simulator;
  world: World;
  topology: TopologySpec;
  software: SoftwareOptions;
  collectors: RunCollectors;
  /** Faults scheduled: the fixed timeline plus those the nemesis drew. */
  faultCount: number;
}

/** Per-stage busy fractions over the pipeline's active time (until completion, or the horizon). */
function stageSummaries({ loaded, topology, software, world, collectors }: SummaryInputs): Record<Stage, StageSummary> {
  const { progress, throughput } = collectors;
  const active = progress.doneAt >= 0 ? progress.doneAt : loaded.scenario.duration;
  // With the coordinator picking workers, only its agents that can process hold processing slots.
  const coord = software.pipeline.coordination === 'coordinator' ? software.coordinator?.group : undefined;
  const processes = (index: number): boolean => !coord || coord.agents.some((a, i) => a === index && coord.capabilities[i]!.includes('process'));
  const capacity: Record<Stage, number> = {
    ingestion: 1,
    processing: topology.nodes.reduce((n, node, i) => n + (processes(i) ? node.slots : 0), 0),
    distribution: software.pipeline.maxConcurrentDistributions,
    storage: topology.nodes.length,
  };
  const storageBusy = progress.doneAt >= 0 ? progress.diskBusyAtDone : world.nodes.reduce((t, n) => t + n.disk.busyTime, 0);
  // No data, no pipeline work: other systems' disk use is not a bottleneck of it.
  const noData = software.pipeline.datasetBytes === 0;
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

export function buildSummary(inputs: SummaryInputs): Summary {
  const { loaded, seed, sim, world, software, collectors } = inputs;
  const { progress, throughput, durability } = collectors;
  const sc = loaded.scenario;
  const p = software.pipeline;
  const active = progress.doneAt >= 0 ? progress.doneAt : sc.duration;
  const stages = stageSummaries(inputs);
  const net = world.network.stats;
  const last = durability.samples[durability.samples.length - 1];
  return {
    scenario: loaded.name,
    seed,
    scenario_sha256: loaded.hash,
    simulated_s: sc.duration / 1e6,
    events: sim.eventsRun,
    pipeline: {
      chunks_total: planChunks(p.datasetBytes, p.fileBytes, p.chunkBytes).length,
      chunks_acked: progress.acked,
      chunks_failed: progress.failed,
      bytes_acked: throughput.totals.distribution.bytes,
      completed: progress.doneAt >= 0,
      completion_s: progress.doneAt >= 0 ? progress.doneAt / 1e6 : null,
      throughput_mb_s: round3(active > 0 ? throughput.totals.distribution.bytes / 1e6 / (active / 1e6) : 0),
      retries: progress.retries,
    },
    stages,
    bottleneck: bottleneckOf(stages),
    durability: durabilitySummary(durability.samples, collectors.checker.silentlyLost().length),
    detection: collectors.detector.summary(),
    repair: {
      repairs: progress.repairs,
      bytes_repaired: progress.bytesRepaired,
      replicas_dropped: progress.replicasDropped,
      orphans_removed: progress.orphansRemoved,
      backlog_chunks_at_end: last?.repairBacklogChunks ?? 0,
    },
    rebalance: { moves: progress.moves, disk_imbalance_at_end: round3(diskImbalance(world)) },
    ...(collectors.consensus.summary(sc.duration) ? { raft: collectors.consensus.summary(sc.duration)! } : {}),
    network: {
      messages_sent: net.sent,
      messages_delivered: net.delivered,
      messages_dropped: net.dropped.loss + net.dropped.node_down + net.dropped.partition,
      transfers_completed: world.transfers.stats.completed,
      transfers_aborted: world.transfers.stats.aborted,
    },
    faults: inputs.faultCount,
    ...(collectors.coordinatorChecker.summary() ? { coordinator: collectors.coordinatorChecker.summary()! } : {}),
    invariants: [...collectors.checker.results(), ...collectors.raftChecker.results(), ...collectors.coordinatorChecker.results()],
    expectations: [],
  };
}

/** (most - least used) / most, over the disks of nodes that are up, as fractions of capacity. */
export function diskImbalance(world: World): number {
  const use = world.nodes.filter((n) => n.up && !n.disk.failed).map((n) => n.disk.usedBytes() / n.disk.spec.capacityBytes);
  const most = Math.max(0, ...use);
  return most === 0 ? 0 : (most - Math.min(...use)) / most;
}
