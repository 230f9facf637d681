import type { LoadedScenario } from '../scenario/index.js';
import { runScenario, type RunOptions } from './run-scenario.js';

/**
 * The last `n` world events before a run failed, found by replaying the
 * same scenario, seed and options with tracing on: the run is deterministic, so the
 * replay fails at the same event. Tracing costs time, which is why the first
 * run goes without it.
 */
export function lastEventsBefore(loaded: LoadedScenario, seed: number, n = 20, options: Omit<RunOptions, 'seed' | 'trace'> = {}): string[] {
  const ring: string[] = [];
  try {
    runScenario(loaded, {
      ...options,
      seed,
      trace: (time, kind, node, detail) => {
        ring.push(`t=${time / 1e6}s ${kind} ${node}${detail ? ` ${detail}` : ''}`);
        if (ring.length > n) ring.shift();
      },
    });
  } catch {
    // The failure itself: what the ring holds is what came before it.
  }
  return ring;
}
