import { FaultInjector, planFailures, planNemesis, type RackNodes } from '../chaos/index.js';
import { describeComparison, evaluateExpectations, holds } from '../check/index.js';
import { RandomStreams, Simulator, type SimTime } from '../kernel/index.js';
import { faultsCsv } from '../metrics/index.js';
import type { ModuleWithSettings, NodeBoot, ObserveContext } from '../modules/system-module.js';
import { buildCluster, buildTopology, type LoadedScenario } from '../scenario/index.js';
import type { CoordinatorDefect, PipelineDefect, RaftDefect, TelemetryEvent } from '../systems/index.js';
import type { ReadsDefect } from '../systems/reads/options.js';
import { World } from '../world/index.js';
import { metricsOf } from './metric-names.js';
import { RunObservers, type InvariantFamily } from './observers.js';
import { TimelineTrace } from './timeline-trace.js';
import { buildSummary, type Summary } from './summary.js';
import { bootSystems, inRegistryOrder, resolveSystems, systemsTopology } from './systems.js';

export interface RunOptions {
  /** Run seed; defaults to the scenario's `seed`. */
  seed?: number;
  /** Sees every telemetry event as it happens, with the simulated time. */
  observe?: (time: SimTime, event: TelemetryEvent) => void;
  /** Sees every world event (message, transfer, timer, crash, fault, telemetry) in order. */
  trace?: (time: SimTime, kind: string, node: string, detail: string) => void;
  /** Also build the run's timeline trace (Chrome JSON trace format, for ui.perfetto.dev) as `RunResult.timeline`. */
  timeline?: boolean;
  /** Test-only: deliberate bugs to switch on in the systems, to show checkers catch them. */
  defects?: ReadonlyArray<PipelineDefect | RaftDefect | CoordinatorDefect | ReadsDefect>;
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
  /** The invariants by the system that checks them (`summary.invariants` has their verdicts). */
  invariantFamilies: InvariantFamily[];
  /** The timeline trace's text, when `RunOptions.timeline` asked for it. */
  timeline?: string;
}

/**
 * Runs a scenario to its horizon on a fresh simulator and returns every
 * output as text. Pure: no clock, no files, no console — the same scenario
 * and seed give the same result in any process.
 *
 * The systems it runs come from the module registry (modules/registry.ts):
 * each active module boots on every node and contributes its observer's
 * files, summary sections and invariants.
 */
export function runScenario(loaded: LoadedScenario, options: RunOptions = {}): RunResult {
  const run = new ScenarioRun(loaded, options);
  run.advance(run.horizon);
  return run.finish();
}

/** A bug surfaced inside a run: what failed, and where in which run, so it can be replayed. */
export class InternalRunError extends Error {
  constructor(
    readonly loaded: LoadedScenario,
    readonly seed: number,
    /** Simulated time of the failing event, microseconds. */
    readonly simTime: SimTime,
    /** Events run before it. */
    readonly events: number,
    override readonly cause: unknown,
  ) {
    super(`internal error in ${loaded.name} at seed ${seed}, t=${simTime / 1e6}s (after ${events} events): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'InternalRunError';
  }
}

/**
 * One run, advanced in slices of simulated time: a caller that must stay
 * responsive (the CLI, for signals and progress) advances it a slice at a
 * time; the events and their order are those of one `runScenario`, since
 * nothing happens between slices.
 */
export class ScenarioRun {
  readonly horizon: SimTime;
  private readonly sim = new Simulator();
  private readonly loaded: LoadedScenario;
  private readonly seed: number;
  private readonly observers: RunObservers;
  private readonly injector: FaultInjector;
  private readonly faultCount: number;
  private readonly world: World;
  private readonly timeline: TimelineTrace | undefined;

  constructor(loaded: LoadedScenario, options: RunOptions = {}) {
    const sc = loaded.scenario;
    const sim = this.sim;
    this.loaded = loaded;
    this.horizon = sc.duration;
    this.seed = options.seed ?? sc.seed;
    const streams = new RandomStreams(this.seed);
    const topology = systemsTopology(sc, buildTopology(sc));
    const world = (this.world = new World(sim, streams, topology));
    const cluster = buildCluster(topology);
    const systems = resolveSystems(sc, topology, options.defects ?? []);
    const trace = options.trace;
    if (trace) world.setTracer((kind, node, detail) => trace(sim.now, kind, node >= 0 ? world.nodes[node]!.name : '-', detail));

    const timeline = (this.timeline = options.timeline ? new TimelineTrace(topology, () => sim.now) : undefined);
    if (timeline) world.setTimelineTap(timeline);

    const tap = trace || timeline
      ? (e: TelemetryEvent) => {
          options.observe?.(sim.now, e);
          timeline?.telemetry(e);
          if (trace) world.trace(e.kind, 'node' in e && e.node !== undefined ? e.node : -1, 'chunk' in e ? `chunk ${e.chunk}` : '');
        }
      : options.observe && ((e: TelemetryEvent) => options.observe!(sim.now, e));
    const self = this;
    const run: ObserveContext = {
      truth: world.truth,
      bucket: sc.metrics.bucket,
      get horizon() {
        return self.end;
      },
      topology,
      settingsOf: <O>(m: ModuleWithSettings<O>) => systems.find((s) => s.module === m)?.settings as O | undefined,
    };
    const observers = (this.observers = new RunObservers(
      inRegistryOrder(systems).flatMap(({ module, settings }) => (module.observe ? [{ module, observer: module.observe(run, settings) }] : [])),
      tap,
    ));
    world.install((rt) => {
      const node: NodeBoot = { rt, cluster, telemetry: observers };
      bootSystems(systems, node);
    });
    // A role ("@raft-leader") names whoever holds it when the fault strikes.
    const members = (name: string): number[] => observers.holders(name) ?? world.resolveMembers(name);
    this.injector = new FaultInjector(sim, { world, rng: streams.get('faults'), members }, () => observers.afterFault());
    const serving = topology.nodes.filter((n) => !n.standby).map((n) => n.name);
    const nemesis = sc.nemesis ? planNemesis(sc.nemesis, { nodes: serving, clouds: topology.clouds }, streams) : [];
    const failures = sc.failures ? planFailures(sc.failures, serving, sc.duration, streams, racksOf(topology.nodes.filter((n) => !n.standby))) : [];
    this.injector.schedule([...sc.faults, ...nemesis, ...failures]);
    this.faultCount = sc.faults.length + nemesis.length + failures.length;
    world.start();
    const stopWhen = Object.entries(sc.stop_when ?? {});
    sampleEveryBucket(sim, sc.metrics.bucket, sc.duration, () => {
      observers.sample();
      if (stopWhen.length === 0) return true;
      const gauges = observers.gauges();
      const met = stopWhen.find(([name, c]) => holds(c!, gauges[name] ?? null));
      if (!met) return true;
      this.stopped = { at: sim.now, condition: `${met[0]} ${describeComparison(met[1]!)}` };
      sim.stop();
      return false;
    });
  }

  /** The first `stop_when:` condition that held, and when: the run ended there. */
  private stopped: { at: SimTime; condition: string } | undefined;

  /** Where the run ends: its horizon, or where a `stop_when:` condition stopped it. */
  get end(): SimTime {
    return this.stopped?.at ?? this.horizon;
  }

  /** Simulated time reached so far. */
  get now(): SimTime {
    return this.sim.now;
  }

  /** Events run so far. */
  get events(): number {
    return this.sim.eventsRun;
  }

  /**
   * Runs every event up to `until` (at most the horizon). An exception from
   * inside the run is a bug in Lorenz, never the user's: it comes out as an
   * `InternalRunError` that says which scenario, seed and instant.
   */
  advance(until: SimTime): void {
    if (this.stopped) return;
    try {
      this.sim.run(Math.min(until, this.horizon));
    } catch (e) {
      throw e instanceof InternalRunError ? e : new InternalRunError(this.loaded, this.seed, this.sim.now, this.sim.eventsRun, e);
    }
  }

  /** Ends the run at the horizon (running what is left) and returns its outputs. */
  finish(): RunResult {
    this.advance(this.horizon);
    const { loaded, seed, sim, observers, injector } = this;
    observers.finish({ quietSince: injector.timeline.reduce((t, f) => Math.max(t, f.time), 0) });
    const summary = buildSummary({ loaded, seed, sim, truth: this.world.truth, observers, faultCount: this.faultCount, end: this.end, stopped: this.stopped });
    summary.expectations = evaluateExpectations(loaded.scenario.expect, metricsOf(summary));
    const failures = [
      ...summary.invariants
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
      invariantFamilies: observers.invariantFamilies(),
      files: { ...observers.files(), 'faults.csv': faultsCsv(injector.timeline), 'summary.json': JSON.stringify(summary, null, 2) + '\n' },
      ...(this.timeline ? { timeline: this.timeline.finish(this.horizon, injector.timeline) } : {}),
    };
  }
}

/** The racks of the serving nodes, in the order their first node comes (a region without racks is one rack, named after it). */
function racksOf(nodes: ReadonlyArray<{ name: string; region: string; rack?: string }>): RackNodes[] {
  const byRack = new Map<string, string[]>();
  for (const n of nodes) {
    const rack = n.rack ?? n.region;
    const list = byRack.get(rack);
    if (list) list.push(n.name);
    else byRack.set(rack, [n.name]);
  }
  return [...byRack].map(([name, members]) => ({ name, nodes: members }));
}

/** Calls `sample` at the end of every bucket, the last one at the horizon; `sample` returns false to end the sampling (the run stopped). */
function sampleEveryBucket(sim: Simulator, bucket: SimTime, horizon: SimTime, sample: () => boolean): void {
  const tick = (): void => {
    if (sample() && sim.now < horizon) sim.at(Math.min(horizon, sim.now + bucket), tick, undefined);
  };
  sim.at(Math.min(bucket, horizon), tick, undefined);
}
