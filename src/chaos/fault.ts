import { z } from 'zod';
import type { Rng, SimTime } from '../kernel/index.js';
import { duration } from '../units/index.js';
import type { Undo, World } from '../world/index.js';

/** What a fault may touch when applied. */
export interface FaultContext {
  world: World;
  /** The `faults` stream: fault randomness never shifts any system's stream. */
  rng: Rng;
  /** Node indexes named by a node, region or cloud name (validated before the run). */
  members(name: string): number[];
}

/** A name in a fault's parameters that must exist in the topology, and where it stands. */
export interface NameRef {
  path: Array<string | number>;
  name: string;
  /** What kind of name will do; `any` (default): a node, rack, region or cloud. */
  level?: 'node' | 'rack' | 'region' | 'cloud' | 'any';
  /** A role the kind itself aims at (not written by the user): a missing one is blamed on the kind. */
  implicit?: boolean;
}

/** A problem with a fault's parameters that only the topology reveals. */
export interface ParamProblem {
  path: Array<string | number>;
  message: string;
}

/** Fields every fault has: when it starts. */
export const faultBase = {
  /** Simulated time at which the fault starts. */
  at: duration,
};

/** What a nemesis strike of one kind is drawn from (see `FaultKind.nemesis`). */
export interface NemesisDraw {
  /** The kind's own stream, `nemesis/<kind>`: draw from it in a fixed order. */
  rng: Rng;
  /** When the strike starts, and how long it lasts (both already drawn). */
  at: SimTime;
  length: SimTime;
  /** "The node": drawn (from `nodes`) for every strike before `strike` runs, used or not. */
  node: string;
  /** The nodes the nemesis may touch (the topology's, less the spare ones) and the cloud names. */
  nodes: readonly string[];
  clouds: readonly string[];
  /** Draws a pair of places: two different clouds, or with a single cloud two nodes (maybe the same). */
  pair(): [string, string];
}

/** A fault's parameters as a nemesis strike gives them: the spec without `kind` and `at`. */
export type NemesisParams<S extends z.ZodObject> = Omit<z.input<S>, 'kind' | 'at'>;

/** How the nemesis draws a fault of this kind. */
export interface NemesisPart<S extends z.ZodObject = z.ZodObject> {
  /**
   * Position among the kinds the nemesis draws: kinds are drawn one after
   * another in this order, so it decides which of two kinds sharing a budget
   * is counted first and how strikes at the same microsecond are ordered.
   * Fixed per kind (changing it may change drawn timelines); unique.
   */
  order: number;
  /** Which budget a strike counts against (`budget.max_nodes_down` / `max_partitions`); none: unlimited. */
  budget?: 'node' | 'partition';
  /** The strike's parameters, drawn from `draw.rng` (lasting `draw.length`). */
  strike(draw: NemesisDraw): NemesisParams<S>;
}

/**
 * One entry of the fault catalog: its schema, a one-line description, how it
 * is applied and how it is undone. `apply` returns the undo action; `endsAfter`
 * says how long after `at` the undo runs (undefined: never).
 */
export interface FaultKind<S extends z.ZodObject = z.ZodObject> {
  kind: string;
  summary: string;
  schema: S;
  /** `drawn`: what `draw` drew when the fault struck (kinds without `draw`: empty). */
  apply(ctx: FaultContext, params: z.output<S>, drawn?: readonly number[]): Undo | undefined;
  endsAfter(params: z.output<S>): SimTime | undefined;
  /** Topology names the parameters mention, for validation before the run. */
  names(params: z.output<S>): NameRef[];
  /** Further checks once names resolve to nodes (`members(name)` gives node names; `serving`: the nodes the cluster starts with, standby machines left out). */
  check?(params: z.output<S>, members: (name: string) => string[], serving: readonly string[]): ParamProblem | undefined;
  /** Human-readable targets for faults.csv (`drawn`: the names of the nodes `draw` drew). */
  describe(params: z.output<S>, drawn?: readonly string[]): string;
  /** Present for a kind whose targets are drawn when it strikes, from the `faults` stream: draws them (node indexes). */
  draw?(ctx: FaultContext, params: z.output<S>): number[];
  /** Present when the nemesis may draw this kind: how a strike is drawn. */
  nemesis?: NemesisPart<S>;
}

export function defineFault<S extends z.ZodObject>(entry: FaultKind<S>): FaultKind<S> {
  return entry;
}
