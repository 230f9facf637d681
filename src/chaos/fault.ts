import { z } from 'zod';
import type { Rng, SimTime } from '../kernel/index.js';
import { duration } from '../units/index.js';
import type { World } from '../world/index.js';

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

/**
 * One entry of the fault catalog: its schema, a one-line description, how it
 * is applied and how it is undone. `apply` returns the undo action; `endsAfter`
 * says how long after `at` the undo runs (undefined: never).
 */
export interface FaultKind<S extends z.ZodObject = z.ZodObject> {
  kind: string;
  summary: string;
  schema: S;
  apply(ctx: FaultContext, params: z.output<S>): (() => void) | undefined;
  endsAfter(params: z.output<S>): SimTime | undefined;
  /** Topology names the parameters mention, for validation before the run. */
  names(params: z.output<S>): NameRef[];
  /** Further checks once names resolve to nodes (`members(name)` gives node names). */
  check?(params: z.output<S>, members: (name: string) => string[]): ParamProblem | undefined;
  /** Human-readable targets for faults.csv. */
  describe(params: z.output<S>): string;
}

export function defineFault<S extends z.ZodObject>(entry: FaultKind<S>): FaultKind<S> {
  return entry;
}
