import type { InvariantResult, MetricValue } from '../check/index.js';
import type { SimTime } from '../kernel/index.js';
import type { z } from 'zod';
import type { NameProblem, Scenario, TopologyNames } from '../scenario/index.js';
import type { ClusterConfig, NodeRegistry, SourceServices, Telemetry, TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import type { NodeRuntime } from '../world/runtime.js';
import type { TopologySpec } from '../world/spec.js';
import type { Summary } from './summary.js';

/**
 * One system under test as the run sees it: how its settings come from the
 * scenario, how it boots on a node, and what watches it (files, summary
 * sections, named metrics, invariants). `SYSTEMS` (registry.ts) lists them;
 * every part of a run that used to name systems by hand loops over it:
 * outputs in the registry's order, boots in `bootOrder`.
 */
export interface SystemModule<Options = unknown, Block = unknown> {
  /** Short name, used in docs and errors. */
  readonly name: string;
  /**
   * Modules whose settings or services it uses. They are resolved and booted
   * before it, in the order listed (see `bootOrder`).
   */
  readonly uses?: readonly SystemModule[];
  /**
   * Its own top-level block in scenario files, when it has one (`raft:`):
   * the key and the schema, defaults included. The block is optional; a
   * module with a block runs only in scenarios that have it.
   */
  readonly block?: ScenarioBlock<Block>;
  /**
   * Checks only the topology can answer (names that must exist, and what
   * other blocks it needs), run at load time; paths are from the scenario's root.
   */
  check?(ctx: CheckContext, block: Block | undefined): NameProblem | undefined;
  /** Changes to the machines the scenario describes (a dedicated log device), applied when the world is built. */
  topology?(topology: TopologySpec, block: Block, scenario: Scenario): TopologySpec;
  /**
   * Its settings for one run, from the validated scenario (and its block),
   * or undefined when the scenario does not run it. Modules are resolved in
   * boot order, so `ctx.settingsOf` sees the ones they use.
   */
  settings(ctx: SettingsContext, block: Block | undefined): Options | undefined;
  /** Test-only defects it knows (`RunOptions.defects`); the run hands each module its own. */
  readonly defects?: readonly string[];
  /**
   * Starts it on one node, at every boot (the first and each restart), in
   * registry order. It may leave services on `node` for the modules after it
   * (the membership view).
   */
  boot?(node: NodeBoot, options: Options): void;
  /** What watches it during one run (created before the run starts). */
  observe?(run: ObserveContext, options: Options): SystemObserver;
  /**
   * Named metrics read from summary.json: the names `expect:` and `compare`
   * accept. A reader returns null when this run has no such measurement.
   */
  readonly metrics?: Readonly<Record<string, (summary: Summary) => MetricValue>>;
  /** Lines the terminal summary prints for this system after a run (none when it did not run). */
  terminal?(summary: Summary): string[];
  /**
   * Fault targets naming a role (`@raft-leader`), each with what must be in
   * the scenario for it to exist ("a raft group"); resolved when a fault
   * strikes, by `SystemObserver.holders`.
   */
  readonly roles?: Readonly<Record<string, string>>;
}

/** A module's block of the scenario format. */
export interface ScenarioBlock<Block> {
  /** Its top-level key in scenario files. */
  readonly key: string;
  readonly schema: z.ZodType<Block>;
}

export interface CheckContext {
  readonly scenario: Scenario;
  readonly names: TopologyNames;
  /** A line naming the known clouds, regions, racks and nodes, for "no node called ..." messages. */
  readonly hint: string;
  /** Another module's block as validated, or undefined when the scenario leaves it out (or the module has none). */
  blockOf<B>(module: { readonly block?: ScenarioBlock<B> }): B | undefined;
}

/** Any module whose settings are of type `O`, whatever its block. */
export interface ModuleWithSettings<O> {
  settings(ctx: SettingsContext, block: never): O | undefined;
}

export interface SettingsContext {
  readonly scenario: Scenario;
  readonly topology: TopologySpec;
  /** A node's index by name (names were validated with the scenario). */
  index(name: string): number;
  /** Another module's settings for this run (one earlier in the registry), or undefined when it is off. */
  settingsOf<O>(module: ModuleWithSettings<O>): O | undefined;
  /** The test-only defects of this run that this module declared. */
  readonly defects: ReadonlySet<string>;
}

/** A node at boot: its runtime, the cluster it is deployed in, and services earlier modules left for later ones. */
export interface NodeBoot {
  readonly rt: NodeRuntime;
  readonly cluster: ClusterConfig;
  readonly telemetry: Telemetry;
  /** The node's membership view, once the membership module has booted. */
  registry?: NodeRegistry;
  /** On the pipeline's source node, once the pipeline has booted: its catalog and read-heat ledger. */
  source?: SourceServices;
}

export interface ObserveContext {
  /** The world, read-only: metrics and checkers judge from it and never change it. */
  readonly truth: GroundTruth;
  /** Width of a metrics bucket (a CSV row). */
  readonly bucket: SimTime;
  /** Simulated time the run covers: its duration, or the instant a `stop_when:` condition ended it (read it when writing, not when built). */
  readonly horizon: SimTime;
  readonly topology: TopologySpec;
  /** Another module's settings for this run, or undefined when it is off. */
  settingsOf<O>(module: ModuleWithSettings<O>): O | undefined;
}

/** What the run tells observers when it has reached its horizon (or stopped early). */
export interface RunEnd {
  /** When the last fault started or ended (0: none): liveness is owed only after the chaos stops. */
  readonly quietSince: SimTime;
}

/**
 * A system's observer over one run. Every method is optional. The run calls
 * them in registry order: `observe` for each telemetry event, `sample` at
 * each bucket's end, `afterFault` after each fault starts or ends, then at
 * the horizon `finish`, and only then the readers (`files`, `summary`,
 * `invariants`), which must not change anything.
 */
export interface SystemObserver {
  observe?(e: TelemetryEvent): void;
  sample?(): void;
  /** Values a `stop_when:` condition may read, as of the last `sample` (by name). */
  gauges?(): Record<string, number>;
  afterFault?(): void;
  finish?(end: RunEnd): void;
  /** Output files by name; a file absent from the record is not written this run. */
  files?(): Record<string, string>;
  /** summary.json sections. */
  summary?(): Partial<Summary>;
  invariants?(): InvariantResult[];
  /** The nodes holding a role the module declared (`roles`), now; empty: nobody holds it. */
  holders?(role: string): number[];
}
