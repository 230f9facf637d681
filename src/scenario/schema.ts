import { z } from 'zod';
import { faultSchema, nemesisSchema } from '../chaos/index.js';
import { expectSchema } from './expectations.js';
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
  loss: z.number().min(0).max(1),
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

/**
 * Every top-level field but the systems' own blocks (`raft:`, `coordinator:`,
 * ...), which their modules declare (`SystemModule.block`); the loader is
 * given the full schema by `scenarioSchemaWith`.
 */
export const coreScenarioShape = {
  /** Shown in reports; defaults to the file name. */
  name: z.string().optional(),
  description: z.string().optional(),
  /** Seed used when the command line gives none. */
  seed: z.number().int().nonnegative(),
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
    links: z.array(linkOverride),
  }),
  pipeline,
  detector,
  repair,
  rebalance,
  faults: z.array(faultSchema),
  /** Random chaos drawn from rates, beside (or instead of) the fixed timeline. */
  nemesis: nemesisSchema.optional(),
  /** Assertions on summary metrics; any that fails makes the run exit 1. */
  expect: expectSchema.default({}),
};

const coreScenarioSchema = z.strictObject(coreScenarioShape);
/** The fields every scenario has, validated, with defaults filled in. */
export type CoreScenario = z.output<typeof coreScenarioSchema>;

/** Cross-field checks of the core fields. */
function checkCore(sc: CoreScenario, ctx: z.RefinementCtx): void {
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
}

/** The whole format: the core fields and the systems' optional blocks, each by its top-level key. */
export function scenarioSchemaWith(blocks: Readonly<Record<string, z.ZodType>>): z.ZodType<Scenario> {
  const optional = Object.fromEntries(Object.entries(blocks).map(([key, schema]) => [key, schema.optional()]));
  // The blocks' types are their modules' business: the whole is typed as the core plus blocks by key.
  return z.strictObject({ ...coreScenarioShape, ...optional }).superRefine((sc, ctx) => checkCore(sc as CoreScenario, ctx)) as unknown as z.ZodType<Scenario>;
}

/**
 * A scenario as validated, with every default filled in and every unit
 * resolved: the core fields, typed, and the systems' blocks by key (each
 * module reads its own, typed by its own schema).
 */
export type Scenario = CoreScenario & { readonly [block: string]: unknown };
export type LatencySetting = z.output<typeof latency>;
