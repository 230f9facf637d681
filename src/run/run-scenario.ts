import { FaultInjector, planNemesis } from '../chaos/index.js';
import { evaluateExpectations } from '../check/index.js';
import { RandomStreams, Simulator, type SimTime } from '../kernel/index.js';
import { faultsCsv } from '../metrics/index.js';
import { buildCluster, buildSoftwareOptions, buildTopology, RAFT_LEADER, type LoadedScenario } from '../scenario/index.js';
import { bootNode, RAFT_DEFECTS, type PipelineDefect, type RaftDefect, type TelemetryEvent } from '../systems/index.js';

import { World } from '../world/index.js';
import { RunCollectors } from './collectors.js';
import { metricsOf } from './metric-names.js';
import { buildSummary, type Summary } from './summary.js';

export interface RunOptions {
  /** Run seed; defaults to the scenario's `seed`. */
  seed?: number;
  /** Sees every telemetry event as it happens, with the simulated time. */
  observe?: (time: SimTime, event: TelemetryEvent) => void;
  /** Sees every world event (message, transfer, timer, crash, fault, telemetry) in order. */
  trace?: (time: SimTime, kind: string, node: string, detail: string) => void;
  /** Test-only: deliberate bugs to switch on in the systems, to show checkers catch them. */
  defects?: ReadonlyArray<PipelineDefect | RaftDefect>;
}

export interface RunResult {
  name: string;
  seed: number;
  summary: Summary;
  /** Output files by name (throughput.csv, durability.csv, detector.csv, faults.csv, summary.json). */
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
  const software = buildSoftwareOptions(sc, topology);
  const defects = options.defects ?? [];
  const isRaftDefect = (d: PipelineDefect | RaftDefect): d is RaftDefect => (RAFT_DEFECTS as ReadonlyArray<string>).includes(d);
  software.pipeline.defects = new Set(defects.filter((d): d is PipelineDefect => !isRaftDefect(d)));
  if (software.raft) software.raft.group.defects = new Set(defects.filter(isRaftDefect));
  const trace = options.trace;
  if (trace) world.setTracer((kind, node, detail) => trace(sim.now, kind, node >= 0 ? world.nodes[node]!.name : '-', detail));

  const tap = trace
    ? (time: SimTime, e: TelemetryEvent) => {
        options.observe?.(time, e);
        world.trace(e.kind, 'node' in e ? e.node : -1, 'chunk' in e ? `chunk ${e.chunk}` : '');
      }
    : options.observe;
  const collectors = new RunCollectors(world, sc.metrics.bucket, software.pipeline.replicationFactor, software.pipeline.minReplicasSuccess, software.pipeline.sourceNode, tap);
  world.install((rt) => bootNode(rt, software, cluster, collectors));
  // "@raft-leader" is resolved when the fault strikes, by asking who leads now (as a Jepsen nemesis would).
  const members = (name: string): number[] => {
    if (name === RAFT_LEADER) {
      const leader = collectors.consensus.currentLeader();
      return leader >= 0 ? [leader] : [];
    }
    return world.resolveMembers(name);
  };
  if (software.raft) collectors.consensus.watch(software.raft.group.members);
  const injector = new FaultInjector(sim, { world, rng: streams.get('faults'), members }, () => collectors.consensus.recheck());
  const nemesis = sc.nemesis ? planNemesis(sc.nemesis, { nodes: topology.nodes.map((n) => n.name), clouds: topology.clouds }, streams) : [];
  injector.schedule([...sc.faults, ...nemesis]);
  world.start();
  sampleEveryBucket(sim, sc.metrics.bucket, sc.duration, () => collectors.sample());
  sim.run(sc.duration);
  // Followers learn of a commit with the next heartbeat or append; ten heartbeats is ample.
  if (software.coordinator) {
    // A task may take the heartbeat timeout to be noticed, a vote, and a few durations to redo.
    const c = software.coordinator;
    const quietSince = injector.timeline.reduce((t, f) => Math.max(t, f.time), 0);
    collectors.coordinatorChecker.finish(2 * c.group.heartbeatTimeout + c.group.voteTimeout + 20 * (c.work?.duration ?? 0), quietSince);
  }
  collectors.raftChecker.finish(collectors.consensus.currentLeader() >= 0, software.raft?.group.members ?? [], 10 * (software.raft?.group.heartbeatInterval ?? 0));

  const summary = buildSummary({ loaded, seed, sim, world, topology, software, collectors, faultCount: sc.faults.length + nemesis.length });
  summary.expectations = evaluateExpectations(sc.expect, metricsOf(summary));
  const failures = [
    ...summary.invariants
      .filter((i) => !i.held)
      .map((i) => `invariant ${i.name} broken ${i.violations} time(s); first at t=${i.first!.time_s}s: ${i.first!.detail}`),
    ...summary.expectations
      .filter((e) => !e.held)
      .map((e) => `expectation ${e.metric} ${e.expected} did not hold: measured ${e.actual}`),
  ];
  const consensusCsv = collectors.consensus.toCsv();
  return {
    name: loaded.name,
    seed,
    summary,
    ok: failures.length === 0,
    failures,
    files: {
      'throughput.csv': collectors.throughput.toCsv(sc.duration),
      'durability.csv': collectors.durability.toCsv(),
      'detector.csv': collectors.detector.toCsv(),
      'faults.csv': faultsCsv(injector.timeline),
      ...(consensusCsv === undefined ? {} : { 'consensus.csv': consensusCsv }),
      'summary.json': JSON.stringify(summary, null, 2) + '\n',
    },
  };
}

/** Calls `sample` at the end of every bucket, the last one at the horizon. */
function sampleEveryBucket(sim: Simulator, bucket: SimTime, horizon: SimTime, sample: () => void): void {
  const tick = (): void => {
    sample();
    if (sim.now < horizon) sim.at(Math.min(horizon, sim.now + bucket), tick, undefined);
  };
  sim.at(Math.min(bucket, horizon), tick, undefined);
}
