import { FaultInjector } from '../chaos/index.js';
import { evaluateExpectations, PipelineChecker } from '../check/index.js';
import { RandomStreams, Simulator, type SimTime } from '../kernel/index.js';
import { DurabilityCollector, ThroughputCollector, faultsCsv } from '../metrics/index.js';
import { buildCluster, buildPipelineOptions, buildTopology, type LoadedScenario } from '../scenario/index.js';
import { bootPipeline, planChunks, STAGES, type PipelineDefect, type Stage, type Telemetry, type TelemetryEvent } from '../systems/index.js';
import { World } from '../world/index.js';
import { metricsOf } from './metric-names.js';
import { bottleneckOf, durabilitySummary, round3, type StageSummary, type Summary } from './summary.js';

export interface RunOptions {
  /** Run seed; defaults to the scenario's `seed`. */
  seed?: number;
  /** Sees every telemetry event as it happens, with the simulated time. */
  observe?: (time: SimTime, event: TelemetryEvent) => void;
  /** Sees every world event (message, transfer, timer, crash, fault, telemetry) in order. */
  trace?: (time: SimTime, kind: string, node: string, detail: string) => void;
  /** Test-only: deliberate bugs to switch on in the systems, to show checkers catch them. */
  defects?: readonly PipelineDefect[];
}

export interface RunResult {
  name: string;
  seed: number;
  summary: Summary;
  /** Output files by name (throughput.csv, durability.csv, faults.csv, summary.json). */
  files: Record<string, string>;
  /** Whether every invariant and expectation held. */
  ok: boolean;
  /** One line per broken invariant (naming its first violation) or failed expectation. */
  failures: string[];
}

/**
 * Runs a scenario to its horizon on a fresh simulator and returns every
 * output as text. Pure: no clock, no files, no console — the same scenario
 * and seed give the same result in any process.
 */
export function runScenario(loaded: LoadedScenario, options: RunOptions = {}): RunResult {
  const sc = loaded.scenario;
  const seed = options.seed ?? sc.seed;
  const sim = new Simulator();
  const streams = new RandomStreams(seed);
  const topology = buildTopology(sc);
  const world = new World(sim, streams, topology);
  const cluster = buildCluster(topology);
  const pipeline = { ...buildPipelineOptions(sc, topology), defects: new Set(options.defects ?? []) };
  if (options.trace) {
    const trace = options.trace;
    world.setTracer((kind, node, detail) => trace(sim.now, kind, node >= 0 ? world.nodes[node]!.name : '-', detail));
  }

  const throughput = new ThroughputCollector(sc.metrics.bucket, () => sim.now);
  const durability = new DurabilityCollector(world, pipeline.replicationFactor);
  const checker = new PipelineChecker(world, pipeline.minReplicasSuccess);
  const progress = { acked: 0, failed: 0, doneAt: -1 as SimTime, retries: { processing: 0, distribution: 0 } };
  const telemetry: Telemetry = {
    emit(e: TelemetryEvent) {
      options.observe?.(sim.now, e);
      if (options.trace) world.trace(e.kind, 'node' in e ? e.node : -1, 'chunk' in e ? `chunk ${e.chunk}` : '');
      throughput.observe(e);
      durability.observe(e);
      checker.observe(e);
      if (e.kind === 'acked') progress.acked++;
      else if (e.kind === 'chunk_failed') progress.failed++;
      else if (e.kind === 'pipeline_done') progress.doneAt = sim.now;
      else if (e.kind === 'retry' && (e.stage === 'processing' || e.stage === 'distribution')) progress.retries[e.stage]++;
    },
  };

  const booted = new Set<number>();
  world.install((rt) => {
    bootPipeline(rt, pipeline, cluster, telemetry, !booted.has(rt.self));
    booted.add(rt.self);
  });
  const injector = new FaultInjector(sim, { world, rng: streams.get('faults'), members: (name) => world.resolveMembers(name) });
  injector.schedule(sc.faults);
  world.start();

  const bucket = sc.metrics.bucket;
  const sampleAndReschedule = (): void => {
    durability.sample();
    const next = Math.min(sc.duration, sim.now + bucket);
    if (sim.now < sc.duration) sim.at(next, sampleAndReschedule, undefined);
  };
  sim.at(Math.min(bucket, sc.duration), sampleAndReschedule, undefined);
  sim.run(sc.duration);

  const active = progress.doneAt >= 0 ? progress.doneAt : sc.duration;
  const capacity: Record<Stage, number> = {
    ingestion: 1,
    processing: topology.nodes.reduce((n, node) => n + node.slots, 0),
    distribution: pipeline.maxConcurrentDistributions,
    storage: topology.nodes.length,
  };
  const storageBusy = world.nodes.reduce((t, n) => t + n.disk.busyTime, 0);
  const stages = {} as Record<Stage, StageSummary>;
  for (const stage of STAGES) {
    const busy = stage === 'storage' ? storageBusy : throughput.busyMicros[stage];
    stages[stage] = {
      chunks: throughput.totals[stage].chunks,
      bytes: throughput.totals[stage].bytes,
      busy_fraction: round3(active > 0 ? Math.min(1, busy / (active * capacity[stage])) : 0),
    };
  }
  const invariants = checker.results();
  const net = world.network.stats;
  const summary: Summary = {
    scenario: loaded.name,
    seed,
    scenario_sha256: loaded.hash,
    simulated_s: sc.duration / 1e6,
    events: sim.eventsRun,
    pipeline: {
      chunks_total: planChunks(pipeline.datasetBytes, pipeline.fileBytes, pipeline.chunkBytes).length,
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
    durability: durabilitySummary(durability.samples),
    network: {
      messages_sent: net.sent,
      messages_delivered: net.delivered,
      messages_dropped: net.dropped.loss + net.dropped.node_down + net.dropped.partition,
      transfers_completed: world.transfers.stats.completed,
      transfers_aborted: world.transfers.stats.aborted,
    },
    faults: sc.faults.length,
    invariants,
    expectations: [],
  };
  summary.expectations = evaluateExpectations(sc.expect, metricsOf(summary));
  const failures = [
    ...invariants
      .filter((i) => !i.held)
      .map((i) => `invariant ${i.name} broken ${i.violations} time(s); first at t=${i.first!.time_s}s: ${i.first!.detail}`),
    ...summary.expectations
      .filter((e) => !e.held)
      .map((e) => `expectation ${e.metric} ${e.expected} did not hold: measured ${e.actual}`),
  ];
  return {
    name: loaded.name,
    seed,
    summary,
    ok: failures.length === 0,
    failures,
    files: {
      'throughput.csv': throughput.toCsv(sc.duration),
      'durability.csv': durability.toCsv(),
      'faults.csv': faultsCsv(injector.timeline),
      'summary.json': JSON.stringify(summary, null, 2) + '\n',
    },
  };
}
