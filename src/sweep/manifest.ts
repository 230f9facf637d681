import { combinations, type Combination, type GridAxis } from './grid.js';
import { formatSeeds, seedCount, seedsOf, shardRange, type SeedRange, type Shard } from './seeds.js';

/** What a sweep runs: decided from the flags and the scenario before the first seed. */
export interface SweepPlan {
  scenario: { file: string; name: string; sha256: string };
  set: readonly string[];
  grid: readonly GridAxis[];
  /** Every grid point with the sha256 it resolves to (one, with no grid). */
  combinations: ReadonlyArray<Combination & { sha256: string }>;
  /** The whole sweep's seeds; a shard runs a slice of them. */
  seeds: SeedRange;
  shard: Shard | null;
  /** --allow-late-faults was given: recorded so the commands it prints run as it did. */
  allowLateFaults?: true;
}

/** Where the sweep was computed: results may differ between Lorenz or Node versions, so both are recorded and must match to resume or merge. */
export interface SweepEnv {
  lorenz: string;
  node: string;
}

/** sweep.json. Holds nothing that differs between two runs of the same sweep (no wall time, worker count or output folder). */
export interface SweepManifest {
  /** The command that makes this sweep (without --out, --workers, --quiet, --resume). */
  command: string;
  lorenz: string;
  node: string;
  scenario: { file: string; name: string; sha256: string };
  settings: { set: string[]; grid: GridAxis[] };
  combinations?: Array<{ set: string[]; sha256: string }>;
  seeds: { range: string; count: number; shard?: { index: number; count: number; range: string } };
  status: 'complete' | 'incomplete';
  runs: { requested: number; done: number; failed: number };
  /** Seeds with a run not done yet, as ranges. */
  pending: string;
  /** Seeds with a failed run (an invariant or expectation did not hold), as ranges; their outputs are under failures/. */
  failed: string;
}

/** The seeds this plan runs: the whole range, or its shard's slice (null when the slice is empty). */
export const planSeeds = (plan: SweepPlan): SeedRange | null => (plan.shard ? shardRange(plan.seeds, plan.shard) : plan.seeds);

const rangeText = (r: SeedRange | null): string => (r ? (r.first === r.last ? String(r.first) : `${r.first}..${r.last}`) : '');

/** Every run of the plan, seed by seed and within a seed combination by combination, so an interrupted grid sweep has whole pairs. */
export function* planRuns(plan: SweepPlan): Generator<{ combination: number; seed: number }> {
  for (const seed of seedsOf(planSeeds(plan))) for (const c of plan.combinations) yield { combination: c.index, seed };
}

export const runKey = (r: { combination: number; seed: number }): string => `${r.combination}:${r.seed}`;

export function buildManifest(plan: SweepPlan, env: SweepEnv, command: string, runs: ReadonlyArray<{ combination: number; seed: number; ok: boolean }>): SweepManifest {
  const done = new Set(runs.map(runKey));
  const all = [...planRuns(plan)];
  const seeds = planSeeds(plan);
  return {
    command,
    ...env,
    scenario: { ...plan.scenario },
    settings: { set: [...plan.set], grid: plan.grid.map((a) => ({ key: a.key, values: [...a.values] })) },
    ...(plan.grid.length ? { combinations: plan.combinations.map((c) => ({ set: c.set, sha256: c.sha256 })) } : {}),
    seeds: {
      range: rangeText(plan.seeds),
      count: seedCount(plan.seeds),
      ...(plan.shard ? { shard: { ...plan.shard, range: rangeText(seeds) } } : {}),
    },
    status: all.every((r) => done.has(runKey(r))) ? 'complete' : 'incomplete',
    runs: { requested: all.length, done: runs.length, failed: runs.filter((r) => !r.ok).length },
    pending: formatSeeds(all.filter((r) => !done.has(runKey(r))).map((r) => r.seed)),
    failed: formatSeeds(runs.filter((r) => !r.ok).map((r) => r.seed)),
  };
}

/**
 * What must agree for runs to belong to one sweep (to resume into a folder,
 * or merge shards): scenario digest, settings, grid, seeds, versions. Names
 * the first field that differs, or null. `withShard` false ignores the
 * shard, for merging.
 */
export function identityMismatch(a: SweepManifest, b: SweepManifest, withShard = true): string | null {
  // Settings first, so the message names what the user changed; the digest last catches an edited file or defaults.
  const fields: Array<[string, (m: SweepManifest) => unknown]> = [
    ['scenario file', (m) => m.scenario.file],
    ['--set', (m) => m.settings.set],
    ['--grid', (m) => m.settings.grid],
    ['--seeds', (m) => m.seeds.range],
    ...(withShard ? [['--shard', (m: SweepManifest) => m.seeds.shard ?? null] as [string, (m: SweepManifest) => unknown]] : []),
    ['Lorenz version', (m) => m.lorenz],
    ['Node version', (m) => m.node],
    ['scenario sha256 (the scenario file or config/defaults.yml changed)', (m) => m.scenario.sha256],
  ];
  for (const [name, read] of fields) {
    const [x, y] = [JSON.stringify(read(a)), JSON.stringify(read(b))];
    if (x !== y) return `${name} ${x} vs ${y}`;
  }
  return null;
}

/** The plan a manifest records, as one unsharded sweep: what merged shards make up. */
export function unshardedPlanOf(m: SweepManifest): SweepPlan {
  const [first, last] = m.seeds.range.split('..').map(Number);
  const points = combinations(m.settings.grid);
  return {
    scenario: { ...m.scenario },
    set: [...m.settings.set],
    grid: m.settings.grid,
    combinations: points.map((c, i) => ({ ...c, sha256: m.combinations?.[i]?.sha256 ?? m.scenario.sha256 })),
    seeds: { first: first!, last: last ?? first! },
    shard: null,
  };
}
