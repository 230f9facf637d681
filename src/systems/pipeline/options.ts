import type { SimTime } from '../../kernel/index.js';
import type { DelaySpec } from '../../units/delay.js';
import type { BackoffOptions } from './orchestrator/backoff.js';
import type { SpreadOptions } from './spread.js';

/**
 * Deliberate bugs that tests switch on to prove the checkers can catch them
 * (in the spirit of FoundationDB's BUGGIFY). Never set by scenarios.
 * - count_silent_targets: when a distribution times out, targets that never
 *   answered are counted as stored (only faults make a target silent).
 * - move_delete_first: a rebalancing move deletes the source replica before
 *   the copy exists (one phase instead of two).
 * - ack_before_sync: a target acknowledges a replica before syncing it, so a
 *   power loss can take back an acknowledged write.
 * - repair_skip_some: the repairer silently skips a fifth of the chunks.
 * - place_fewer: a chunk's first distribution asks one target fewer than
 *   replication_factor (and acknowledges PARTIAL with nothing gone wrong).
 * - drain_release_early: a draining node is released (and leaves) before
 *   its replicas are handed off.
 */
export type PipelineDefect = 'count_silent_targets' | 'move_delete_first' | 'ack_before_sync' | 'repair_skip_some' | 'place_fewer' | 'drain_release_early';

export type PlacementStrategyName = 'network_aware' | 'round_robin' | 'load_balanced' | 'consistent_hash' | 'random' | 'copyset';

/** Settings of the data pipeline (source documents 004 and 000). */
export interface PipelineOptions {
  /** Index of the node that ingests and orchestrates. */
  sourceNode: number;
  /** Size of the whole dataset, bytes. */
  datasetBytes: number;
  /** Size of each input file, bytes; files are chunked independently. */
  fileBytes: number;
  /** The dataset arrives in this many batches of consecutive chunks (document 004's multi-batch runs); 1: all at the start. */
  batches: number;
  /** Batch k arrives k x this after the start (by the source node's clock), microseconds. */
  batchEvery: SimTime;
  /**
   * Chunks arrive one after another, each this long after the last (drawn;
   * exponential gaps make a Poisson stream), and are read only once arrived.
   * Absent: the whole dataset (or batch) is there at once.
   */
  arrivals?: DelaySpec;
  /** Chunk size, bytes (document 004: 100 MB). */
  chunkBytes: number;
  /** Rate at which ingestion reads, checksums and stages data, bytes/s. */
  ingestBytesPerS: number;
  /** Most chunks staged at the source and not yet acknowledged (back-pressure). */
  maxStagedChunks: number;
  /** Processing rate of one worker slot, bytes/s. */
  processBytesPerSPerSlot: number;
  /** Spread of processing time: each task takes nominal x lognormal(median 1, sigma). 0 = exact. */
  processingJitter: number;
  /** `exponential`: each task takes an exponential time of mean nominal (a queueing model's service), instead of the jitter. */
  processingService: 'lognormal' | 'exponential';
  /** Size of a processed chunk relative to its input. */
  outputRatio: number;
  /** A processing attempt with no answer after this long is given up, microseconds. */
  processingTimeout: SimTime;
  /** Attempts to process one chunk before it is declared failed. */
  maxProcessingAttempts: number;
  /** Replicas per chunk (document 000: 3). */
  replicationFactor: number;
  /** Replicas that must be verified for a distribution to succeed (document 000: 2). */
  minReplicasSuccess: number;
  placement: PlacementOptions;
  /**
   * When a distribution acknowledges its chunk: once every target answered
   * (or the timeout), with at least `minReplicasSuccess` verified
   * (`all_targets`); or as soon as `minReplicasSuccess` are verified, the
   * other targets writing on in the background (`min_replicas`, document
   * 002's asynchronous replication). Either way an acknowledgement with fewer
   * than `replicationFactor` replicas is PARTIAL, and repair tops it up.
   */
  acknowledge: 'all_targets' | 'min_replicas';
  /** Distributions in flight at once (document 000: 15). */
  maxConcurrentDistributions: number;
  /** A distribution attempt is judged after this long, microseconds (document 000: 30 s). */
  distributionTimeout: SimTime;
  /** Distribution attempts after the first (document 000: 3). */
  maxRetries: number;
  /** Wait before a retry, microseconds (document 000: 3 s). */
  retryDelay: SimTime;
  /** How the wait grows with each retry of a chunk (default: it does not). */
  backoff: BackoffOptions;
  /** When the strategy cannot find enough nodes, take any healthy node (document 000: true). */
  fallbackToAnyNode: boolean;
  /** Targets read a replica back and compare checksums before acknowledging it. */
  verifyAfterDistribution: boolean;
  /** How long a node that failed a transfer or timed out is avoided, microseconds. */
  suspicionPeriod: SimTime;
  /** After a restart, how long the orchestrator waits for nodes' inventories before resuming, microseconds. */
  recoveryWait: SimTime;
  /**
   * When outcomes reach the log on disk (document 004's checkpoints): with
   * `every` 1, each before it is announced (write-ahead, group-committed);
   * above 1, outcomes are announced at once and written every `every`, or
   * `maxDelay` after the oldest unwritten one (0: no such bound), and at
   * completion; a crash loses the unwritten ones, which are adopted or redone.
   */
  checkpoint: { every: number; maxDelay: SimTime };
  /** Where placements are recorded: the orchestrator's own log only, or also committed through the Raft group (documents 001/002). */
  catalog: 'local' | 'raft';
  /** Who picks the processing worker: the orchestrator itself (`direct`), or document 003's coordinator among its agents with the `process` capability. */
  coordination: 'direct' | 'coordinator';
  /**
   * How work and replicas are spread: `static` (least-loaded by count, nearest
   * targets) or `dynamic` (document 004's load balancer: weighted by each
   * member's measured speed, slow members flagged and their work moved).
   */
  balancer: 'static' | 'dynamic';
  /** Bulk transfers: always `direct`, or `relay`ed through a third region when this node measured that path much faster (document 004's topology optimizer). */
  routing: 'direct' | 'relay';
  /** Test-only deliberate bugs; empty in every real run. */
  defects: ReadonlySet<PipelineDefect>;
}

export interface PlacementOptions {
  strategy: PlacementStrategyName;
  /** Network-aware: keep replicas in the source's cloud while it has room. */
  preferSameCloud: boolean;
  /** Network-aware: above this disk-use fraction of its cloud, and as the share of same-cloud replicas otherwise (document 000: 0.7). */
  crossCloudThreshold: number;
  /** Failure-domain constraint on every chunk's replicas, honoured by placement, repair and rebalancing. */
  spread: SpreadOptions;
  /** Consistent hashing: how many shards (replica sets) the chunks are hashed into. */
  shards: number;
  /** Copysets: how many other nodes each node shares chunks with (undefined: replication factor - 1, disjoint groups). */
  scatterWidth: number | undefined;
}
