import { existsSync, rmSync } from 'node:fs';
import { makeFolder } from '../make-folder.js';
import { join } from 'node:path';
import { METRIC_NAMES } from '../../run/index.js';
import { ScenarioError } from '../../scenario/index.js';
import { buildManifest, failureDir, identityMismatch, planRuns, runKey, sweepFiles, type SeedTask, type SweepEnv, type SweepPlan } from '../../sweep/index.js';
import { EXIT_CODES } from '../exit-codes.js';
import { simCommand } from '../shell-quote.js';
import { writeResults } from '../write-results.js';
import type { QueueTarget } from '../queue/connection.js';
import { poolExecutor, type Executor } from './executor.js';
import { checkReplaceable, Journal, MANIFEST, publish, readJournal, readManifest, workDirOf, type JournalEntry } from './folder.js';
import { startProgress, type ProgressMode } from './progress.js';
import { queueExecutor } from './queue.js';
import type { TimedOutcome } from './worker.js';

export interface SweepRunOptions {
  plan: SweepPlan;
  text: string;
  env: SweepEnv;
  command: string;
  /** The command plus what it takes to continue this sweep in its folder. */
  resumeCommand: string;
  out: string;
  workers: number;
  /** Run the seeds as jobs of this queue, for `npm run worker`s anywhere, instead of on local threads. */
  queue?: QueueTarget | null;
  resume: boolean;
  progress: ProgressMode;
}

/**
 * Runs every pending run of the plan on a pool of worker threads (or a queue), journalling
 * each as it finishes, then writes the sweep's files and moves the folder in
 * place. Returns the exit code.
 */
export async function runSweep(o: SweepRunOptions): Promise<number> {
  const { plan, out } = o;
  const work = workDirOf(out);
  const fresh = buildManifest(plan, o.env, o.command, []);
  const refuse = (dir: string, m: NonNullable<ReturnType<typeof readManifest>>): void => {
    const why = identityMismatch(m, fresh);
    if (why) throw new ScenarioError(`--resume: ${dir} holds another sweep (${why}); resume it with its own command (${m.command} --resume), or drop --resume to start this one over.`);
  };
  if (o.resume && !existsSync(work)) {
    const done = readManifest(out);
    if (done) {
      refuse(out, done);
      if (o.progress !== 'quiet') console.log(`${out}: the sweep is already complete (${done.runs.done} runs, ${done.runs.failed} failed); nothing to do.`);
      return done.runs.failed > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
    }
  }
  checkReplaceable(out, '--out');
  let kept: JournalEntry[] = [];
  if (existsSync(work)) {
    const m = readManifest(work);
    if (o.resume && m) {
      refuse(work, m);
      kept = readJournal(work);
    } else {
      if (o.progress !== 'quiet') console.error(`note: discarding the interrupted sweep in ${work} (add --resume to continue it instead).`);
      rmSync(work, { recursive: true, force: true });
    }
  }
  try {
    makeFolder(work);
  } catch (e) {
    throw new ScenarioError(`--out ${out}: cannot write the sweep there (${(e as Error).message}); choose a writable folder.`);
  }
  const done = new Set(kept.map(runKey));
  const todo = [...planRuns(plan)].filter((r) => !done.has(runKey(r)));
  const workers = Math.max(1, Math.min(o.workers, todo.length));
  const executor: Executor = o.queue
    ? await queueExecutor(o.queue, plan, o.text, o.env, (m) => void (o.progress !== 'quiet' && console.error(`note: ${m}`)))
    : poolExecutor(workers);
  const entries = [...kept];
  const saveManifest = (): void => void writeResults(work, { [MANIFEST]: JSON.stringify(buildManifest(plan, o.env, o.command, entries), null, 2) + '\n' });
  saveManifest();

  const journal = new Journal(work, kept);
  const progress = startProgress(o.progress, todo.length + kept.length, kept.length, kept.filter((e) => !e.ok).length);
  const started = performance.now();
  const task = (r: { combination: number; seed: number }): SeedTask => ({
    scenario: { file: plan.scenario.file, text: o.text },
    set: [...plan.set, ...plan.combinations[r.combination]!.set],
    digest: plan.combinations[r.combination]!.sha256,
    ...r,
  });

  // A signal stops dispatching; runs in flight are dropped and done again on --resume.
  let stopped: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    stopped ??= signal;
    void executor.close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (stopped === null && next < todo.length) {
      const r = todo[next++]!;
      let outcome: TimedOutcome;
      try {
        outcome = await executor.run(task(r));
      } catch (e) {
        if (stopped !== null) return;
        throw e;
      }
      if (outcome.files) {
        const reproduce = simCommand(plan.scenario.file, r.seed, task(r).set, plan.allowLateFaults === true);
        writeResults(join(work, failureDir(plan, r.combination, r.seed)), { ...outcome.files, 'reproduce.txt': `${reproduce}\n` });
      }
      const entry: JournalEntry = { combination: outcome.combination, seed: outcome.seed, ok: outcome.ok, wall_s: outcome.wall_s, metrics: outcome.metrics };
      journal.append(entry);
      entries.push(entry);
      progress.tick(entry.ok);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(executor.lanes, todo.length) }, lane));
  } finally {
    progress.stop();
    journal.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await executor.close();
    saveManifest();
  }
  if (stopped !== null) {
    console.error(`sweep stopped by ${stopped}: ${entries.length} of ${todo.length + kept.length} runs done, kept in ${work}/; continue with: ${o.resumeCommand}`);
    return 128 + (stopped === 'SIGINT' ? 2 : 15);
  }

  writeResults(work, sweepFiles(plan, o.env, o.command, METRIC_NAMES, entries, entries));
  publish(work, out);
  const wallS = (performance.now() - started) / 1000;
  return report(o, entries, todo.length, wallS, executor.workers());
}

function report(o: SweepRunOptions, entries: readonly JournalEntry[], ran: number, wallS: number, workers: number): number {
  const m = buildManifest(o.plan, o.env, o.command, entries);
  if (o.progress !== 'quiet') {
    const combos = o.plan.combinations.length;
    console.log(`${o.plan.scenario.name}: ${m.runs.done} runs (${m.seeds.shard?.range ?? m.seeds.range}${combos > 1 ? ` x ${combos} combinations` : ''}), ${m.runs.failed} failed; ` +
      `ran ${ran} in ${wallS.toFixed(1)} s on ${workers} worker(s) (${(ran / Math.max(wallS, 1e-9)).toFixed(1)} runs/s)`);
    console.log(`  results: ${o.out}/`);
  }
  if (m.runs.failed > 0) {
    console.error(`FAIL ${m.runs.failed} of ${m.runs.done} runs: seeds ${m.failed}; their outputs and reproduce.txt are under ${join(o.out, 'failures')}/`);
    return EXIT_CODES.failed;
  }
  return EXIT_CODES.ok;
}
