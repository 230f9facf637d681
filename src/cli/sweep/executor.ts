import Tinypool from 'tinypool';
import type { SeedTask } from '../../sweep/index.js';
import type { TimedOutcome } from './worker.js';

/**
 * What runs a sweep's seeds: the lanes of runSweep each take the next
 * pending run and await `run`. A pool of threads here, or a queue that
 * workers on other machines serve (queue.ts).
 */
export interface Executor {
  /** How many runs to keep in flight. */
  readonly lanes: number;
  run(task: SeedTask): Promise<TimedOutcome>;
  /** How many workers ran seeds, for the summary line. */
  workers(): number;
  /** Stops: runs not yet returned are dropped (their `run` rejects). Idempotent. */
  close(): Promise<void>;
}

/** `workers` threads, each running one seed at a time (worker.ts). */
export function poolExecutor(workers: number): Executor {
  const pool = new Tinypool({ filename: workerEntry(), minThreads: workers, maxThreads: workers });
  return {
    // Two tasks per worker in flight, so a worker never waits for the main thread.
    lanes: workers * 2,
    run: async (task) => (await pool.run(task)) as TimedOutcome,
    workers: () => workers,
    close: () => pool.destroy(),
  };
}

/**
 * What each worker thread loads: compiled, the worker module itself; from
 * TypeScript sources (tests, `tsx`), a stub that registers tsx's loader first,
 * which Node 20 does not carry into worker threads.
 */
function workerEntry(): string {
  const compiled = import.meta.url.endsWith('.js');
  return new URL(compiled ? './worker.js' : './worker-boot.mjs', import.meta.url).href;
}
