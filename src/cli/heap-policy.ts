import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full
 * collection kept, as a percentage: V8 picks a factor of its own (up to 4x)
 * when collections are cheap relative to the work, and a simulation that
 * holds a large, slowly growing state (stored data, histories, membership
 * rumours) then sits at three times its live heap. At 50 % the 100-node,
 * 10 TB pipeline probe of docs/performance.md peaks at 288 MiB of RSS
 * instead of 463, for 7 % more CPU.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Applies HEAP_GROWING_PERCENT to this process (every thread of it), unless
 * node was started with a value of its own (`node --heap-growing-percent=N
 * bin/lorenz.mjs sim ...`; 0 is V8's own pacing; NODE_OPTIONS cannot carry
 * this flag). Only the garbage collector's pacing changes: outputs are the
 * same bytes. Called by the commands that run simulations, before they
 * start one.
 */
export function paceGarbageCollection(): void {
  const chosen = process.execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'));
  if (!chosen) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
