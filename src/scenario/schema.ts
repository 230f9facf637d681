import { z } from 'zod';
import { delaySchema } from '../units/delay.js';
import { expectedFailures, failuresSchema, faultSchema, MAX_FAILURES, nemesisSchema } from '../chaos/index.js';
import { chunkCount } from '../systems/pipeline/chunks.js';
import { expectSchema } from './expectations.js';
import { stopWhenSchema } from './stop-when.js';
import { REGION_LOCATIONS, suggestLocation } from './geography.js';
import { duration, formatRate, formatSize, formatSpan, MAX_LATENCY, MAX_SIZE, MAX_STEP, period, periodOrOff, rate, size, wait, Z_MAX } from '../units/index.js';

/**
 * The scenario file format (docs/scenarios.md). Every object is strict, so a
 * misspelt field is an error rather than a silently ignored setting. Values
 * a scenario omits come from config/defaults.yml.
 */

/**
 * A latency: a duration or a distribution. Bounds (checked with the whole
 * scenario, see checkLatency): the largest value a draw can take, with the
 * generator's most extreme normal deviate (Z_MAX = 8.57), is at most
 * MAX_LATENCY (1 day), so a lognormal's sigma and a normal's stddev cannot
 * send a delay past the clock; a uniform's min is at most its max.
 */
const latencyDist = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('constant'), value: duration }),
  z.strictObject({ dist: z.literal('uniform'), min: duration, max: duration }),
  z.strictObject({ dist: z.literal('normal'), mean: duration, stddev: duration, floor: duration.default(0) }),
  z.strictObject({ dist: z.literal('lognormal'), median: duration, sigma: z.number().nonnegative(), floor: duration.default(0) }),
], { error: 'expected "dist" to be constant, uniform, normal or lognormal' });
/** A mapping is read as a distribution, anything else as a duration: each is then told what is wrong with it, not the other. */
const latency = z.custom<z.input<typeof latencyDist> | string | number>().transform((v, ctx): z.output<typeof latencyDist> | number => {
  const parsed = (typeof v === 'object' && v !== null ? latencyDist : duration).safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as never);
  return z.NEVER;
});

/** Most nodes in a topology (docs/scenarios.md, Limits): the world keeps per-node state and all-pairs tables. */
export const MAX_NODES = 100_000;
/** Most chunks a dataset may be split into: planning 10^7 chunks alone takes seconds and a gigabyte. */
export const MAX_CHUNKS = 1_000_000;
/** Most metric buckets (rows of throughput.csv): duration / metrics.bucket. About 50 µs of wall time each. */
export const MAX_BUCKETS = 100_000;
/** What every rate must move in MAX_STEP at the least, chunks or not: 1 MB. */
const RECORD_BYTES = 1e6;
/** Largest processing output_ratio. */
export const MAX_OUTPUT_RATIO = 1000;

const linkClass = z.strictObject({
  /** One-way latency: a duration or a distribution. Cross-cloud latency comes from cloud_latency when omitted. */
  latency: latency.optional(),
  /** Bandwidth of the link, shared by concurrent transfers. */
  bandwidth: rate,
  /** Probability that a small message is lost. */
  loss: z.number().min(0).max(1),
});

const linkOverride = z.strictObject({
  /** Two region (or cloud) names; the override applies both ways, or with `one_way` from the first to the second only. */
  between: z.tuple([z.string(), z.string()]),
  latency: latency.optional(),
  bandwidth: rate.optional(),
  loss: z.number().min(0).max(1).optional(),
  /** Only the direction from `between[0]` to `between[1]` (asymmetric routes, a congested uplink). A schema default: no scenario digest moves. */
  one_way: z.boolean().default(false),
});

const disk = z.strictObject({
  capacity: size,
  read: rate,
  write: rate,
  /** Fixed cost of every disk operation (at most 1 day). */
  op_latency: duration.refine((d) => d <= MAX_LATENCY, { message: 'is over 1 day, the longest fixed cost of one disk operation (docs/scenarios.md, Limits)' }),
  /** Writes become durable at the next multiple of this; 0: every write is synced. At most 30 days. */
  sync_interval: wait,
});

const nodeDefaults = z.strictObject({
  slots: z.number().int().positive(),
  disk,
});

const region = z.strictObject({
  /** Number of nodes, named <region>-1 ... <region>-N. At most MAX_NODES in the whole topology. */
  nodes: z.number().int().min(0).max(MAX_NODES, { message: `a topology has at most ${MAX_NODES} nodes (docs/scenarios.md, Limits)` }),
  /** Racks (zones) in the region, named <region>-rack1 ...; nodes are dealt to them in turn. */
  racks: z.number().int().positive().optional(),
  /** Standby machines in the region, named after its nodes (<region>-<N+1> ...): powered off and in no one's configuration until a node_join or a replacement brings one in. */
  standby: z.number().int().min(0).max(MAX_NODES).default(0),
  /** Overrides of node_defaults for this region's nodes; 0: storage-only nodes that never process. */
  slots: z.number().int().min(0).optional(),
  disk: disk.partial().optional(),
  /** Where the region is: a cloud region's code (geography.ts) or coordinates. Between two located regions the default latency follows their distance. */
  location: z.union([
    z.string().refine((code) => Object.hasOwn(REGION_LOCATIONS, code), { error: (i) => `"${String(i.input)}" is not a cloud region Lorenz knows; ${suggestLocation(String(i.input))}` }),
    z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  ]).optional(),
});

const cloud = z.strictObject({
  regions: z.record(z.string(), region),
});

const placement = z.strictObject({
  strategy: z.enum(['network_aware', 'round_robin', 'load_balanced', 'consistent_hash', 'random', 'copyset']),
  prefer_same_cloud: z.boolean(),
  cross_cloud_threshold: z.number().min(0).max(1),
  /** Failure-domain constraint: each chunk's replicas over at least min_domains clouds, regions or racks ("none": no constraint). */
  spread: z.strictObject({ domain: z.enum(['none', 'cloud', 'region', 'rack']), min_domains: z.number().int().min(1) }),
  /** consistent_hash: shards the chunks hash into. A schema default, not in config/defaults.yml: every scenario's digest stays what it was before the field. */
  shards: z.number().int().min(1).max(65_536).default(256),
  /** copyset: other nodes each node shares chunks with; omitted: replication_factor - 1 (disjoint groups). */
  scatter_width: z.number().int().min(1).optional(),
});

const pipeline = z.strictObject({
  /** Node that ingests the dataset and orchestrates the pipeline. */
  source_node: z.string(),
  dataset: z.strictObject({
    size,
    file_size: size,
    /** The dataset arrives in `count` batches of consecutive chunks, batch k at k x `every` (document 004's multi-batch runs). */
    batches: z.strictObject({ count: z.number().int().min(1).max(10_000), every: wait }),
    /** Chunks arrive one by one, each `every` (a delay, drawn: exponential for a Poisson stream) after the last, from the source node's stream; read only once arrived. Omitted: all at once. */
    arrivals: z.strictObject({ every: delaySchema }).optional(),
  }),
  chunk_size: size,
  ingest_rate: rate,
  max_staged_chunks: z.number().int().positive(),
  processing: z.strictObject({
    rate_per_slot: rate,
    /**
     * Each task takes nominal time x lognormal(median 1, sigma = jitter); 0
     * makes it exact. Bounded with the whole scenario (checkSteps): the
     * longest task, nominal x e^(Z_MAX x jitter), must stay under MAX_STEP.
     */
    jitter: z.number().min(0),
    /** lognormal: nominal time x lognormal(1, jitter); exponential: an exponential time of mean nominal (an M/M/c server). A schema default: no scenario digest moves. */
    service: z.enum(['lognormal', 'exponential']).default('lognormal'),
    /** Processed size / input size; at most MAX_OUTPUT_RATIO, and the output of a chunk must fit MAX_STEP at every rate that moves it. */
    output_ratio: z.number().positive().max(MAX_OUTPUT_RATIO, { message: `is over ${MAX_OUTPUT_RATIO}, the largest processed/input size ratio (docs/scenarios.md, Limits)` }),
    timeout: wait,
    max_attempts: z.number().int().positive(),
  }),
  distribution: z.strictObject({
    replication_factor: z.number().int().positive(),
    min_replicas_success: z.number().int().positive(),
    /** When a chunk is acknowledged: "all_targets" (every target answered, or the timeout) or "min_replicas" (as soon as min_replicas_success are verified; the rest write on in the background). */
    acknowledge: z.enum(['all_targets', 'min_replicas']),
    placement,
    max_concurrent: z.number().int().positive(),
    timeout: wait,
    max_retries: z.number().int().min(0),
    retry_delay: wait,
    /** How the wait before a chunk's n-th retry grows: retry_delay x multiplier^(n-1), at most max, scaled by a uniform draw in [1 - jitter, 1 + jitter]. */
    backoff: z.strictObject({ multiplier: z.number().min(1).max(100), max: wait, jitter: z.number().min(0).max(1) }),
    fallback_to_any_node: z.boolean(),
    verify: z.boolean(),
  }),
  /** How long a node that failed a transfer or timed out is avoided. */
  suspicion_period: wait,
  /** After a restart, how long the orchestrator waits for nodes' inventories before resuming. */
  recovery_wait: wait,
  /** How often the orchestrator's outcome log is made durable (document 004's checkpoints): every outcome before it is announced (every: 1), or every `every` outcomes, or `max_delay` after the oldest unwritten one, and at completion. */
  checkpoint: z.strictObject({ every: z.number().int().positive(), max_delay: periodOrOff }),
  /** Where placements are recorded: "local" (the orchestrator's log) or "raft" (also committed through the raft group). */
  catalog: z.enum(['local', 'raft']).default('local'),
  /** Who picks the processing worker: "direct" (the orchestrator) or "coordinator" (document 003's coordinator; needs a coordinator: block). */
  coordination: z.enum(['direct', 'coordinator']).default('direct'),
  /** How work and replicas are spread: "static" (by count and nearness) or "dynamic" (by measured speed; slow members' work moves away). */
  balancer: z.enum(['static', 'dynamic']),
  /** Bulk transfers: "direct", or "relay" through a third region when that path measured much faster (the topology optimizer). */
  routing: z.enum(['direct', 'relay']),
});

const detector = z.strictObject({
  /** Which failure detector every node runs; `none` leaves only evidence from failed work. */
  kind: z.enum(['heartbeat', 'phi_accrual', 'swim', 'none']),
  heartbeat: z.strictObject({ interval: period, suspect_after: wait, timeout: wait }),
  phi_accrual: z.strictObject({
    interval: period,
    check_interval: period,
    suspect_threshold: z.number().positive(),
    threshold: z.number().positive(),
    window_size: z.number().int().min(2),
    min_std_dev: wait,
    acceptable_pause: wait,
    /** Inter-arrival model: normal (Akka) or exponential (Cassandra). A schema default: no scenario digest moves. */
    model: z.enum(['normal', 'exponential']).default('normal'),
  }),
  swim: z.strictObject({
    period: period,
    ping_timeout: wait,
    indirect_probes: z.number().int().min(0),
    suspicion_timeout: wait,
    retransmit_multiplier: z.number().int().positive(),
    max_piggyback: z.number().int().positive(),
    /** round_robin (the paper's shuffled rounds) or random (a uniform member every period, as the paper's analysis assumes). A schema default: no scenario digest moves. */
    probe_order: z.enum(['round_robin', 'random']).default('round_robin'),
    /** Lifeguard's refinements (suspicion scaled by cluster size and shrunk by confirmations, local health, suspicion carried to the suspect); off: suspicion_timeout, fixed. Schema defaults (memberlist's): no scenario digest moves. */
    lifeguard: z.strictObject({
      enabled: z.boolean().default(false),
      suspicion_multiplier: z.number().min(1).max(100).default(4),
      max_multiplier: z.number().min(1).max(100).default(6),
      max_health: z.number().int().min(1).max(64).default(8),
    }).prefault({}),
  }),
});

const repair = z.strictObject({
  enabled: z.boolean(),
  /** Average bandwidth all repairs together may use. */
  bandwidth: rate,
  max_concurrent: z.number().int().positive(),
  timeout: wait,
  /** Time between scrub passes on every node; 0 disables scrubbing. */
  scrub_interval: periodOrOff,
  /** Delete replicas the catalog does not want. */
  collect_garbage: z.boolean(),
  /**
   * Repair as a drawn process, as a Markov model of replication has it: each repair waits start_after, then duration
   * (drawn per repair from the metadata node's own stream) before its copy is made, with no bandwidth pacing.
   * Omitted: repairs are paced by the bandwidth and last as long as the copy.
   */
  process: z.strictObject({ start_after: delaySchema, duration: delaySchema }).optional(),
});

const rebalance = z.strictObject({
  enabled: z.boolean(),
  /** How often disk use is compared. */
  interval: period,
  /** Rebalance while (most - least loaded) / least exceeds this (document 002: max > min + min / 2, so 0.5). */
  threshold: z.number().min(0).max(1000),
  max_concurrent: z.number().int().positive(),
  timeout: wait,
  /** Move the most read chunks first, by the read reports of a `reads:` block (document 002's hot data first); without reads, order of acknowledgement. */
  hot_first: z.boolean(),
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
  /** Failure processes: machine and disk lifetimes, downtimes and replacements, drawn per node. */
  failures: failuresSchema.optional(),
  /** Conditions on the durability gauges that end the run early, at the end of the first bucket where one holds. */
  stop_when: stopWhenSchema.optional(),
  /** Assertions on summary metrics; any that fails makes the run exit 1. */
  expect: expectSchema.default({}),
};

const coreScenarioSchema = z.strictObject(coreScenarioShape);
/** The fields every scenario has, validated, with defaults filled in. */
export type CoreScenario = z.output<typeof coreScenarioSchema>;

type Issue = (path: PropertyKey[], message: string) => void;

/** Cross-field checks of the core fields. */
function checkCore(sc: CoreScenario, ctx: z.RefinementCtx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const d = sc.pipeline.distribution;
  if (d.min_replicas_success > d.replication_factor) issue(['pipeline', 'distribution', 'min_replicas_success'], `must not exceed replication_factor (${d.replication_factor})`);
  if (sc.duration <= 0) issue(['duration'], 'must be positive');
  if (sc.metrics.bucket <= 0) issue(['metrics', 'bucket'], 'must be positive');
  else if (sc.duration / sc.metrics.bucket > MAX_BUCKETS) {
    issue(['metrics', 'bucket'], `${formatSpan(sc.metrics.bucket)} buckets over a ${formatSpan(sc.duration)} run are ${Math.ceil(sc.duration / sc.metrics.bucket)} rows; at most ${MAX_BUCKETS} (docs/scenarios.md, Limits): widen the bucket`);
  }
  const hb = sc.detector.heartbeat;
  if (hb.suspect_after > hb.timeout) issue(['detector', 'heartbeat', 'suspect_after'], `must not exceed timeout (${hb.timeout / 1e6}s)`);
  checkTopology(sc, issue);
  checkFailures(sc, issue);
  checkDataset(sc, issue);
  checkLatencies(sc, issue);
  checkSteps(sc, issue);
}

function checkTopology(sc: CoreScenario, issue: Issue): void {
  let total = 0;
  for (const [cloud, c] of Object.entries(sc.topology.clouds)) {
    for (const [region, r] of Object.entries(c.regions)) {
      total += r.nodes + r.standby;
      if (total > MAX_NODES) return issue(['topology', 'clouds', cloud, 'regions', region, 'nodes'], `the topology reaches ${total} nodes here; at most ${MAX_NODES} (docs/scenarios.md, Limits)`);
    }
  }
  // Copysets come from ceil(scatter_width / (R - 1)) permutations of the nodes: past n - 1 others there is no one left to share with.
  const scatter = sc.pipeline.distribution.placement.scatter_width;
  let initial = 0;
  for (const c of Object.values(sc.topology.clouds)) for (const r of Object.values(c.regions)) initial += r.nodes;
  if (scatter !== undefined && scatter > Math.max(1, initial - 1)) {
    issue(['pipeline', 'distribution', 'placement', 'scatter_width'], `${scatter} is more nodes than a node can share chunks with: the topology starts with ${initial}, so at most ${Math.max(1, initial - 1)}`);
  }
}

function checkFailures(sc: CoreScenario, issue: Issue): void {
  const f = sc.failures;
  if (!f) return;
  let nodes = 0;
  for (const c of Object.values(sc.topology.clouds)) for (const r of Object.values(c.regions)) nodes += r.nodes;
  const span = Math.max(0, Math.min(f.stop ?? sc.duration, sc.duration) - f.start);
  const expected = expectedFailures(f, nodes, span);
  if (expected > MAX_FAILURES) {
    issue(['failures', f.nodes ? 'nodes' : 'disks', 'lifetime'], `${nodes} nodes over ${formatSpan(span)} at these lifetimes are about ${Math.round(expected)} failures; at most ${MAX_FAILURES} (docs/scenarios.md, Limits): the whole timeline is drawn before the run`);
  }
}

function checkDataset(sc: CoreScenario, issue: Issue): void {
  const p = sc.pipeline;
  if (p.chunk_size === 0) return issue(['pipeline', 'chunk_size'], 'must be above 0 (the dataset is cut into chunks of this size)');
  if (p.dataset.file_size === 0) return issue(['pipeline', 'dataset', 'file_size'], 'must be above 0 (the dataset is cut into files of this size)');
  const chunks = chunkCount(p.dataset.size, p.dataset.file_size, p.chunk_size);
  if (chunks > MAX_CHUNKS) {
    const path = p.dataset.file_size < p.chunk_size ? ['pipeline', 'dataset', 'file_size'] : ['pipeline', 'chunk_size'];
    issue(path, `a ${formatSize(p.dataset.size)} dataset in ${formatSize(p.dataset.file_size)} files of ${formatSize(p.chunk_size)} chunks is ${chunks} chunks; at most ${MAX_CHUNKS} (docs/scenarios.md, Limits): use larger chunks (and files)`);
  }
  const b = p.dataset.batches;
  if (b.count > 1 && (b.count - 1) * b.every >= sc.duration) {
    issue(['pipeline', 'dataset', 'batches', 'every'], `the last of ${b.count} batches would arrive at ${formatSpan((b.count - 1) * b.every)}, when the ${formatSpan(sc.duration)} run is over: shorten "every" or lengthen "duration"`);
  }
  if (largestChunk(sc) * p.processing.output_ratio > MAX_SIZE) issue(['pipeline', 'processing', 'output_ratio'], `a processed chunk would be over 9PB (2^53 bytes), the largest size counted exactly`);
}

/** The largest raw chunk: no larger than a file, nor the dataset (0 when there is no data). */
const largestChunk = (sc: CoreScenario): number => Math.min(sc.pipeline.chunk_size, sc.pipeline.dataset.file_size, sc.pipeline.dataset.size);

/** The largest value a latency setting can draw, and the field that makes it so. */
function latencyBound(l: LatencySetting): { max: number; field: string; fix?: string } {
  if (typeof l === 'number') return { max: l, field: '' };
  switch (l.dist) {
    case 'constant':
      return { max: l.value, field: 'value' };
    case 'uniform':
      return { max: l.max, field: 'max' };
    case 'normal': {
      const max = Math.max(l.floor, l.mean + Z_MAX * l.stddev);
      return l.mean > MAX_LATENCY || l.floor > MAX_LATENCY ? { max: Math.max(l.mean, l.floor), field: l.mean > MAX_LATENCY ? 'mean' : 'floor' } : { max, field: 'stddev', fix: `with mean ${formatSpan(l.mean)}, stddev may be at most ${formatSpan((MAX_LATENCY - l.mean) / Z_MAX)}` };
    }
    case 'lognormal': {
      if (l.median > MAX_LATENCY || l.floor > MAX_LATENCY) return { max: Math.max(l.median, l.floor), field: l.median > MAX_LATENCY ? 'median' : 'floor' };
      // 0 x e^(huge) is NaN: a zero median is bounded by its sigma alone.
      const max = Math.max(l.floor, l.median * Math.exp(Z_MAX * l.sigma));
      const limit = l.median > 0 ? Math.log(MAX_LATENCY / l.median) / Z_MAX : 80;
      return { max: l.median === 0 && l.sigma <= 80 ? l.floor : max, field: 'sigma', fix: `with median ${formatSpan(l.median)}, sigma may be at most ${limit.toFixed(2)} (the largest draw is median x e^(8.57 x sigma), 8.57 being the most extreme normal deviate the generator gives)` };
    }
  }
}

function checkLatencies(sc: CoreScenario, issue: Issue): void {
  const n = sc.network;
  const all: Array<[PropertyKey[], LatencySetting | undefined]> = [
    ...(['same_region', 'same_cloud', 'cross_cloud'] as const).map((k): [PropertyKey[], LatencySetting | undefined] => [['network', k, 'latency'], n[k].latency]),
    ...Object.entries(n.cloud_latency).map(([k, l]): [PropertyKey[], LatencySetting] => [['network', 'cloud_latency', k], l]),
    ...n.links.map((o, i): [PropertyKey[], LatencySetting | undefined] => [['network', 'links', i, 'latency'], o.latency]),
  ];
  for (const [path, l] of all) {
    if (l === undefined) continue;
    if (typeof l === 'object' && l.dist === 'uniform' && l.min > l.max) return issue([...path, 'min'], `must not exceed max (${formatSpan(l.max)})`);
    const bound = latencyBound(l);
    if (!(bound.max <= MAX_LATENCY)) {
      return issue(bound.field ? [...path, bound.field] : path, `${Number.isFinite(bound.max) ? `a draw can reach ${formatSpan(bound.max)}` : 'a draw can overflow'}; one message's latency must stay under 1 day (docs/scenarios.md, Limits)${bound.fix ? `: ${bound.fix}` : ''}`);
    }
  }
}

/**
 * One step (moving the largest chunk at a configured rate, a processing task
 * at the top of its jitter) must take at most MAX_STEP: a step of years is a
 * typo, and a slow step times a fault's factor must not overflow the clock.
 */
function checkSteps(sc: CoreScenario, issue: Issue): void {
  const p = sc.pipeline;
  const raw = largestChunk(sc);
  // Disks and links also carry the systems' own records (Raft's log, the coordinator's state): at least RECORD_BYTES.
  const moved = Math.max(RECORD_BYTES, raw, Math.round(raw * p.processing.output_ratio));
  const step = (bytes: number, bytesPerS: number) => (bytes * 1e6) / bytesPerS;
  const rates: Array<[PropertyKey[], number, number]> = [
    [['pipeline', 'ingest_rate'], p.ingest_rate, raw],
    [['repair', 'bandwidth'], sc.repair.bandwidth, moved],
    [['topology', 'node_defaults', 'disk', 'read'], sc.topology.node_defaults.disk.read, moved],
    [['topology', 'node_defaults', 'disk', 'write'], sc.topology.node_defaults.disk.write, moved],
    ...Object.entries(sc.topology.clouds).flatMap(([cloud, c]) => Object.entries(c.regions).flatMap(([region, r]) =>
      (['read', 'write'] as const).flatMap((k): Array<[PropertyKey[], number, number]> => (r.disk?.[k] !== undefined ? [[['topology', 'clouds', cloud, 'regions', region, 'disk', k], r.disk[k], moved]] : [])))),
    ...(['same_region', 'same_cloud', 'cross_cloud'] as const).map((k): [PropertyKey[], number, number] => [['network', k, 'bandwidth'], sc.network[k].bandwidth, moved]),
    ...sc.network.links.flatMap((o, i): Array<[PropertyKey[], number, number]> => (o.bandwidth !== undefined ? [[['network', 'links', i, 'bandwidth'], o.bandwidth, moved]] : [])),
  ];
  for (const [path, bytesPerS, bytes] of rates) {
    const t = step(bytes, bytesPerS);
    if (t > MAX_STEP) return issue(path, `at ${formatRate(bytesPerS)} moving ${formatSize(bytes)} (the largest chunk, and at least 1MB) takes ${formatSpan(t)}; one step must take under 30 days (docs/scenarios.md, Limits): raise the rate${bytes > RECORD_BYTES ? ' or lower chunk_size' : ''}`);
  }
  if (raw === 0) return;
  const nominal = step(raw, p.processing.rate_per_slot);
  if (nominal > MAX_STEP) return issue(['pipeline', 'processing', 'rate_per_slot'], `at ${formatRate(p.processing.rate_per_slot)} one ${formatSize(raw)} chunk takes ${formatSpan(nominal)} to process; one step must take under 30 days (docs/scenarios.md, Limits): raise the rate or lower chunk_size`);
  const longest = nominal * Math.exp(Z_MAX * p.processing.jitter);
  if (!(longest <= MAX_STEP)) {
    const limit = Math.log(MAX_STEP / nominal) / Z_MAX;
    issue(['pipeline', 'processing', 'jitter'], `the longest task, nominal ${formatSpan(nominal)} x e^(8.57 x jitter), would take ${formatSpan(longest)}; one step must take under 30 days (docs/scenarios.md, Limits), so with this chunk_size and rate_per_slot jitter may be at most ${limit.toFixed(2)} (8.57 is the most extreme normal deviate the generator gives)`);
  }
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
