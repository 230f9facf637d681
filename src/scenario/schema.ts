import { z } from 'zod';
import { faultSchema, nemesisSchema } from '../chaos/index.js';
import { expectSchema } from './expectations.js';
import { READ_LEVELS, type ReadLevel } from '../systems/raft/messages.js';
import { duration, rate, size } from '../units/index.js';

/**
 * The scenario file format (docs/scenarios.md). Every object is strict, so a
 * misspelt field is an error rather than a silently ignored setting. Values
 * a scenario omits come from config/defaults.yml.
 */

const latency = z.union([
  duration,
  z.strictObject({ dist: z.literal('constant'), value: duration }),
  z.strictObject({ dist: z.literal('uniform'), min: duration, max: duration }),
  z.strictObject({ dist: z.literal('normal'), mean: duration, stddev: duration, floor: duration.default(0) }),
  z.strictObject({ dist: z.literal('lognormal'), median: duration, sigma: z.number().nonnegative(), floor: duration.default(0) }),
]);

const linkClass = z.strictObject({
  /** One-way latency: a duration or a distribution. Cross-cloud latency comes from cloud_latency when omitted. */
  latency: latency.optional(),
  /** Bandwidth of the link, shared by concurrent transfers. */
  bandwidth: rate,
  /** Probability that a small message is lost. */
  loss: z.number().min(0).max(1).default(0),
});

const linkOverride = z.strictObject({
  /** Two region (or cloud) names; the override applies both ways. */
  between: z.tuple([z.string(), z.string()]),
  latency: latency.optional(),
  bandwidth: rate.optional(),
  loss: z.number().min(0).max(1).optional(),
});

const disk = z.strictObject({
  capacity: size,
  read: rate,
  write: rate,
  /** Fixed cost of every disk operation. */
  op_latency: duration,
  /** Writes become durable at the next multiple of this; 0: every write is synced. */
  sync_interval: duration,
});

const nodeDefaults = z.strictObject({
  slots: z.number().int().positive(),
  disk,
});

const region = z.strictObject({
  /** Number of nodes, named <region>-1 ... <region>-N. */
  nodes: z.number().int().min(0),
  /** Racks (zones) in the region, named <region>-rack1 ...; nodes are dealt to them in turn. */
  racks: z.number().int().positive().optional(),
  /** Overrides of node_defaults for this region's nodes. */
  slots: z.number().int().positive().optional(),
  disk: disk.partial().optional(),
});

const cloud = z.strictObject({
  regions: z.record(z.string(), region),
});

const placement = z.strictObject({
  strategy: z.enum(['network_aware', 'round_robin', 'load_balanced', 'consistent_hash']),
  prefer_same_cloud: z.boolean(),
  cross_cloud_threshold: z.number().min(0).max(1),
});

const pipeline = z.strictObject({
  /** Node that ingests the dataset and orchestrates the pipeline. */
  source_node: z.string(),
  dataset: z.strictObject({ size, file_size: size }),
  chunk_size: size,
  ingest_rate: rate,
  max_staged_chunks: z.number().int().positive(),
  processing: z.strictObject({
    rate_per_slot: rate,
    /** Each task takes nominal time x lognormal(median 1, sigma = jitter); 0 makes it exact. */
    jitter: z.number().min(0),
    output_ratio: z.number().positive(),
    timeout: duration,
    max_attempts: z.number().int().positive(),
  }),
  distribution: z.strictObject({
    replication_factor: z.number().int().positive(),
    min_replicas_success: z.number().int().positive(),
    placement,
    max_concurrent: z.number().int().positive(),
    timeout: duration,
    max_retries: z.number().int().min(0),
    retry_delay: duration,
    fallback_to_any_node: z.boolean(),
    verify: z.boolean(),
  }),
  /** How long a node that failed a transfer or timed out is avoided. */
  suspicion_period: duration,
  /** After a restart, how long the orchestrator waits for nodes' inventories before resuming. */
  recovery_wait: duration,
  /** Where placements are recorded: "local" (the orchestrator's log) or "raft" (also committed through the raft group). */
  catalog: z.enum(['local', 'raft']).default('local'),
  /** Who picks the processing worker: "direct" (the orchestrator) or "coordinator" (document 003's coordinator; needs a coordinator: block). */
  coordination: z.enum(['direct', 'coordinator']).default('direct'),
});

const detector = z.strictObject({
  /** Which failure detector every node runs; `none` leaves only evidence from failed work. */
  kind: z.enum(['heartbeat', 'phi_accrual', 'swim', 'none']),
  heartbeat: z.strictObject({ interval: duration, suspect_after: duration, timeout: duration }),
  phi_accrual: z.strictObject({
    interval: duration,
    check_interval: duration,
    suspect_threshold: z.number().positive(),
    threshold: z.number().positive(),
    window_size: z.number().int().min(2),
    min_std_dev: duration,
    acceptable_pause: duration,
  }),
  swim: z.strictObject({
    period: duration,
    ping_timeout: duration,
    indirect_probes: z.number().int().min(0),
    suspicion_timeout: duration,
    retransmit_multiplier: z.number().int().positive(),
    max_piggyback: z.number().int().positive(),
  }),
});

const repair = z.strictObject({
  enabled: z.boolean(),
  /** Average bandwidth all repairs together may use. */
  bandwidth: rate,
  max_concurrent: z.number().int().positive(),
  timeout: duration,
  /** Time between scrub passes on every node; 0 disables scrubbing. */
  scrub_interval: duration,
  /** Delete replicas the catalog does not want. */
  collect_garbage: z.boolean(),
});

const rebalance = z.strictObject({
  enabled: z.boolean(),
  /** How often disk use is compared. */
  interval: duration,
  /** Rebalance while (most - least loaded) / most exceeds this. */
  threshold: z.number().min(0).max(1),
  max_concurrent: z.number().int().positive(),
  timeout: duration,
});

const raft = z.strictObject({
  /** Members of the group, by node name (3, 5 or 7, across regions). */
  members: z.array(z.string()).min(1),
  election_timeout: z.strictObject({ min: duration, max: duration }).default({ min: 150_000, max: 300_000 }),
  /** Leader heartbeat period (document 001: 50 ms). */
  heartbeat: duration.default(50_000),
  /** Most log entries per AppendEntries. */
  max_batch: z.number().int().positive().default(64),
  /** bounded_staleness reads: a follower serves only if it heard from the leader within this long. */
  max_staleness: duration.default(1_000_000),
  /** A leader that has not heard from a majority within an election timeout steps down. */
  check_quorum: z.boolean().default(true),
  /** Before an election, ask whether a majority would vote (and has no leader): a member cut off cannot raise its term (document 002's suggested optimization). */
  pre_vote: z.boolean().default(false),
  /** Compact the log into a snapshot every this many applied entries (0: never; document 002 plans snapshots). */
  snapshot_every: z.number().int().nonnegative().default(0),
  /** "shared": members keep Raft's state on their one disk, behind bulk data; "dedicated": each member has a second, identical device for it. */
  log_device: z.enum(['shared', 'dedicated']).default('shared'),
  client: z.strictObject({
    /** Node the client runs on. */
    node: z.string(),
    /** Mean time between writes; 0 disables the client. */
    every: duration,
    /** Retry at another member after this long without an answer. */
    timeout: duration.default(1_000_000),
    /** Keys written, round robin. */
    keys: z.number().int().positive().default(100),
    /** Reads at consistency levels (document 001), levels taken in turn. */
    reads: z.strictObject({
      every: duration,
      levels: z.array(z.enum(READ_LEVELS as unknown as [ReadLevel, ...ReadLevel[]])).min(1),
    }).default({ every: 0, levels: ['strong'] }),
  }),
});

const coordinator = z.strictObject({
  /** Agents by node name, with election priority and capabilities. */
  agents: z.array(z.strictObject({ node: z.string(), priority: z.number().default(0), capabilities: z.array(z.string()).min(1).default(['process']) })).min(1),
  heartbeat_interval: duration.default(5_000_000),
  /** Document 003: 60 s. */
  heartbeat_timeout: duration.default(60_000_000),
  /** Share of live agents whose votes make a quorum (document 003: 0.5). */
  quorum_threshold: z.number().gt(0).max(1).default(0.5),
  vote_timeout: duration.default(2_000_000),
  max_retries: z.number().int().positive().default(3),
  /** "bully" (document 003) or "majority" (the winner also needs votes from a majority of agents for its term). */
  election: z.enum(['bully', 'majority']).default('bully'),
  /** A synthetic task workload; absent: none (the coordinator may serve only the pipeline). */
  tasks: z.strictObject({
    node: z.string(),
    every: duration,
    duration: duration,
    max_priority: z.number().int().positive().default(5),
    capabilities: z.array(z.string()).min(1).default(['process']),
  }).optional(),
});

export const scenarioSchema = z
  .strictObject({
    /** Shown in reports; defaults to the file name. */
    name: z.string().optional(),
    description: z.string().optional(),
    /** Seed used when the command line gives none. */
    seed: z.number().int().nonnegative().default(1),
    /** Simulated time the run covers. */
    duration: duration,
    metrics: z.strictObject({ bucket: duration }),
    topology: z.strictObject({
      clouds: z.record(z.string(), cloud),
      node_defaults: nodeDefaults,
    }),
    network: z.strictObject({
      same_region: linkClass,
      same_cloud: linkClass,
      cross_cloud: linkClass,
      /** Latency between clouds, keyed "a-b" (either order). */
      cloud_latency: z.record(z.string(), latency),
      links: z.array(linkOverride).default([]),
    }),
    pipeline,
    detector,
    repair,
    rebalance,
    faults: z.array(faultSchema).default([]),
    /** Document 003's agent coordinator, with an optional task workload; the pipeline may use it to pick workers. */
    coordinator: coordinator.optional(),
    /** A Raft group for metadata, with a client writing to it. */
    raft: raft.optional(),
    /** Random chaos drawn from rates, beside (or instead of) the fixed timeline. */
    nemesis: nemesisSchema.optional(),
    /** Assertions on summary metrics; any that fails makes the run exit 1. */
    expect: expectSchema.default({}),
  })
  .superRefine((sc, ctx) => {
    const d = sc.pipeline.distribution;
    if (d.min_replicas_success > d.replication_factor) {
      ctx.addIssue({ code: 'custom', path: ['pipeline', 'distribution', 'min_replicas_success'], message: `must not exceed replication_factor (${d.replication_factor})` });
    }
    if (sc.metrics.bucket <= 0) ctx.addIssue({ code: 'custom', path: ['metrics', 'bucket'], message: 'must be positive' });
    if (sc.duration <= 0) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'must be positive' });
    const hb = sc.detector.heartbeat;
    if (hb.interval <= 0) ctx.addIssue({ code: 'custom', path: ['detector', 'heartbeat', 'interval'], message: 'must be positive' });
    if (hb.suspect_after > hb.timeout) ctx.addIssue({ code: 'custom', path: ['detector', 'heartbeat', 'suspect_after'], message: `must not exceed timeout (${hb.timeout / 1e6}s)` });
    for (const [path, v] of [[['detector', 'phi_accrual', 'interval'], sc.detector.phi_accrual.interval], [['detector', 'phi_accrual', 'check_interval'], sc.detector.phi_accrual.check_interval], [['detector', 'swim', 'period'], sc.detector.swim.period]] as const) {
      if (v <= 0) ctx.addIssue({ code: 'custom', path: [...path], message: 'must be positive' });
    }
    if (sc.rebalance.interval <= 0) ctx.addIssue({ code: 'custom', path: ['rebalance', 'interval'], message: 'must be positive' });
    if (sc.repair.bandwidth <= 0) ctx.addIssue({ code: 'custom', path: ['repair', 'bandwidth'], message: 'must be positive' });
  });

/** A scenario as validated, with every default filled in and every unit resolved. */
export type Scenario = z.output<typeof scenarioSchema>;
export type LatencySetting = z.output<typeof latency>;
