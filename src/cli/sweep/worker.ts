/**
 * The tinypool worker: one seed per call. The per-seed work itself is
 * sweep/task.ts, which a queue worker can call the same way; this wrapper
 * only adds the wall time, which sweep/ may not read.
 */
import { runSeedTask, type SeedOutcome, type SeedTask } from '../../sweep/index.js';

export type TimedOutcome = SeedOutcome & { wall_s: number };

export default function run(task: SeedTask): TimedOutcome {
  const started = performance.now();
  const outcome = runSeedTask(task);
  return { ...outcome, wall_s: (performance.now() - started) / 1000 };
}
