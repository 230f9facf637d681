/**
 * Runs fuzz cases for scenario-fuzz.test.ts in a child process (`node
 * --import tsx`), so that a case that hangs or eats memory can be killed and
 * reported instead of hanging the test run. One case at a time: load the
 * scenario text through the library and, if it loads, run it.
 */
import { loadScenarioFromText, runScenario } from '../../src/run/index.js';
import { ScenarioError } from '../../src/scenario/index.js';

export interface FuzzCase {
  file: string;
  yaml: string;
  set: string[];
  seed: number;
  /** Longest simulated run: a longer (legal) duration is loaded as written, then run only this far. */
  maxRun: number;
}

export type FuzzOutcome =
  | { outcome: 'input-error'; message: string; loadMs: number }
  | { outcome: 'ran'; ok: boolean; loadMs: number; runMs: number }
  | { outcome: 'crash'; phase: 'load' | 'run'; type: string; message: string; stack: string };

function runCase(c: FuzzCase): FuzzOutcome {
  const t0 = performance.now();
  let loaded;
  try {
    loaded = loadScenarioFromText(c.file, c.yaml, { set: c.set });
  } catch (e) {
    if (e instanceof ScenarioError) return { outcome: 'input-error', message: e.message, loadMs: performance.now() - t0 };
    return crash('load', e);
  }
  const t1 = performance.now();
  try {
    if (loaded.scenario.duration > c.maxRun) loaded.scenario.duration = c.maxRun;
    const result = runScenario(loaded, { seed: c.seed });
    return { outcome: 'ran', ok: result.ok, loadMs: t1 - t0, runMs: performance.now() - t1 };
  } catch (e) {
    return crash('run', e);
  }
}

function crash(phase: 'load' | 'run', e: unknown): FuzzOutcome {
  const err = e instanceof Error ? e : new Error(String(e));
  return { outcome: 'crash', phase, type: err.constructor.name, message: err.message, stack: err.stack ?? '' };
}

process.on('message', (c: FuzzCase) => process.send!(runCase(c)));
