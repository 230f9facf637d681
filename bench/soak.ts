/**
 * Memory soak: a simulated week of a medium scenario (nemesis-soak's 11
 * nodes and 100 GB pipeline, its random chaos kept up for the whole week:
 * crashes, pauses, partitions, disk and network faults, then repair and
 * scrubbing), advanced a day at a time, with the heap measured after each
 * simulated day. Memory must stay flat in simulated time: the bench prints
 * each day's heap and the ratio of the last day to the first.
 */
import v8 from 'node:v8';
import { loadScenario, ScenarioRun } from '../src/run/index.js';

export interface SoakResult {
  /** Heap in use after each simulated day, MiB (after a full GC when --expose-gc is on). */
  heapMiB: number[];
  wallS: number;
  events: number;
  gcExposed: boolean;
}

const DAY = 24 * 3600 * 1e6;

export function benchSoak(days = 7): SoakResult {
  const loaded = loadScenario('scenarios/nemesis-soak.yml', {
    set: [
      `duration=${days * 24}h`,
      `nemesis.stop=${days * 24 - 1}h`,
    ],
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  const run = new ScenarioRun(loaded, { seed: 1 });
  const heapMiB: number[] = [];
  const started = performance.now();
  for (let day = 1; day <= days; day++) {
    run.advance(day * DAY);
    gc?.();
    heapMiB.push(v8.getHeapStatistics().used_heap_size / 2 ** 20);
  }
  const result = run.finish();
  if (result.files['summary.json'] === undefined) throw new Error('soak run returned no summary');
  return { heapMiB, wallS: (performance.now() - started) / 1000, events: run.events, gcExposed: gc !== undefined };
}
