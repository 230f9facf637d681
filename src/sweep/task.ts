import type { MetricValue } from '../check/expectations.js';
import { loadScenarioFromText, metricsOf, runScenario } from '../run/index.js';
import type { LoadedScenario } from '../scenario/index.js';

/**
 * One seed of one grid combination: everything a worker needs, as plain
 * data (a worker thread's message today, a queue job tomorrow).
 */
export interface SeedTask {
  /** The scenario as the planner read it, so every worker runs the same bytes wherever it is. */
  scenario: { file: string; text: string };
  /** The sweep's `--set`s, then the combination's grid settings. */
  set: readonly string[];
  /** `loaded.hash` the planner got for this file and `set`; a worker whose defaults differ refuses to run. */
  digest: string;
  combination: number;
  seed: number;
}

/** What a worker sends back: the row of runs.csv, and the files to keep when the run failed. */
export interface SeedOutcome {
  combination: number;
  seed: number;
  ok: boolean;
  /** Every named metric (METRIC_NAMES), by name. */
  metrics: Record<string, MetricValue>;
  /** Why the run failed, one line per broken invariant or expectation. */
  failures: string[];
  /** The run's output files; only for a failed run, to be kept under failures/. */
  files?: Record<string, string>;
}

/** Loaded scenarios by file and digest: loading (YAML, validation) costs more than a short run, so a worker loads each once. */
const cache = new Map<string, LoadedScenario>();
const CACHE_LIMIT = 16;

function load(task: SeedTask): LoadedScenario {
  const key = `${task.scenario.file}\0${task.digest}`;
  let loaded = cache.get(key);
  if (!loaded) {
    // The plan checked every setting before the first seed (late faults included, against --allow-late-faults).
    loaded = loadScenarioFromText(task.scenario.file, task.scenario.text, { set: task.set, allowLateFaults: true });
    if (loaded.hash !== task.digest) {
      throw new Error(`${task.scenario.file} with ${JSON.stringify(task.set)} resolves to sha256 ${loaded.hash} here, not ${task.digest} as planned: this worker's Lorenz (defaults.yml or schema) differs from the planner's.`);
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, loaded);
  }
  return loaded;
}

/** Runs one seed. Pure apart from the cache: the outcome depends only on the task. */
export function runSeedTask(task: SeedTask): SeedOutcome {
  const result = runScenario(load(task), { seed: task.seed });
  return {
    combination: task.combination,
    seed: task.seed,
    ok: result.ok,
    metrics: Object.fromEntries(metricsOf(result.summary)),
    failures: result.failures,
    ...(result.ok ? {} : { files: result.files }),
  };
}
