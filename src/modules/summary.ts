import type { CoordinatorSummary, ExpectationResult, InvariantResult } from '../check/index.js';
import type { CheckpointSummary, ConsensusSummary, DetectionSummary, MembershipSummary, QueueTimesSummary, UtilisationSummary } from '../metrics/index.js';
import type { Stage } from '../systems/index.js';

export interface StageSummary {
  chunks: number;
  bytes: number;
  /** Fraction of the stage's capacity in use over the pipeline's active time. */
  busy_fraction: number;
}

/**
 * summary.json: simulated quantities only, so it is byte-identical across
 * replays. The run writes the head (scenario .. events), `network`, `faults`,
 * `invariants` and `expectations`; each system module writes its own
 * sections. A new module adds its section by augmenting this interface
 * (`declare module '../../modules/summary.js' { interface Summary { ... } }`).
 */
export interface Summary {
  scenario: string;
  seed: number;
  scenario_sha256: string;
  /** Simulated seconds the run covered: its duration, or until a `stop_when:` condition ended it. */
  simulated_s: number;
  events: number;
  /** Present when the scenario has `stop_when:`: the condition that ended the run and when (null: none held, the run reached its duration). */
  stopped?: { at_s: number; condition: string } | null;
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
    /** Replica bytes stored per second of active time in each cloud, MB/s (document 004's per-cloud throughput; repairs and moves included). */
    storage_mb_s_by_cloud: Record<string, number>;
    /** Distribution targets that verified their replica, over every target asked (silent ones count as failed); null when none was asked. */
    replica_success_rate: number | null;
    /** Chunks acknowledged with fewer than replication_factor verified replicas (document 000's PARTIAL outcome); repair tops them up. */
    chunks_partial: number;
  };
  stages: Record<Stage, StageSummary>;
  bottleneck: { stage: Stage; busy_fraction: number; severity: 'low' | 'medium' | 'high' };
  /** The processing stage as a queue: each answered attempt's wait for a worker and its sojourn (staged to answered), seconds. */
  processing_queue: QueueTimesSummary;
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
    /** When the first acknowledged chunk was lost (no intact replica anywhere), exact; null if none was. */
    first_loss_s: number | null;
    /** Acknowledged chunks whose intact replicas are all in one cloud / region / rack at the end (one outage of it takes them). */
    chunks_in_one_cloud: number;
    chunks_in_one_region: number;
    chunks_in_one_rack: number;
  };
  detection: DetectionSummary;
  /** Present when the topology has standby machines or a node drained or was decommissioned: who joined and left. */
  membership?: MembershipSummary;
  repair: { repairs: number; bytes_repaired: number; replicas_dropped: number; orphans_removed: number; backlog_chunks_at_end: number };
  /** Disk use across nodes that are up, from the disks: (most - least) / most. */
  rebalance: {
    moves: number;
    disk_imbalance_at_end: number;
    /** Largest deviation of a live node's replica count from the mean, over the mean (document 004's bound: 0.3). */
    chunk_imbalance_at_end: number;
  };
  /** Each resource's use over the pipeline's active time (utilisation.csv has it per bucket). */
  utilisation: UtilisationSummary;
  /** Present when the dataset arrives in batches (`pipeline.dataset.batches.count` > 1): each batch's throughput and their coefficient of variation. */
  batches?: { count: number; every_s: number; throughput_mb_s: Array<number | null>; throughput_cv: number | null };
  /** Present with `pipeline.checkpoint.every` above 1: checkpoints written, and what crashes of the source node cost (outcomes lost, chunks adopted again or redone). */
  checkpoint?: CheckpointSummary;
  /** Present with `pipeline.routing: relay`: bulk transfers relayed through a third region, and their bytes. */
  routing?: { relayed_transfers: number; relayed_bytes: number };
  /** Present when the scenario runs document 003's coordinator. */
  coordinator?: CoordinatorSummary;
  /** Present when the scenario runs a Raft group. */
  raft?: ConsensusSummary;
  network: {
    messages_sent: number;
    messages_delivered: number;
    messages_dropped: number;
    transfers_completed: number;
    transfers_aborted: number;
    /** Completed transfers between two clouds (the rest stayed inside one). */
    transfers_cross_cloud: number;
    /** Mean start-to-arrival time of completed transfers, seconds (µs precision); null when none completed. */
    mean_transfer_s: number | null;
  };
  faults: number;
  invariants: InvariantResult[];
  /** The scenario's `expect:` block, judged. */
  expectations: ExpectationResult[];
}
