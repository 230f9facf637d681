import { createHash } from 'node:crypto';
import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import { ScenarioError } from '../../scenario/index.js';
import type { SeedTask, SweepEnv, SweepPlan } from '../../sweep/index.js';
import { probeQueue, QUEUE_PREFIX, queueOptions, type QueueTarget } from '../queue/connection.js';
import type { Executor } from './executor.js';
import type { TimedOutcome } from './worker.js';

/** What a queue worker returns: the outcome and who ran it. */
export type QueuedOutcome = TimedOutcome & { worker?: string };

/**
 * The job name carries the Lorenz and Node versions the sweep records in
 * sweep.json: a worker of other versions (whose results might differ)
 * refuses the job, which is retried, perhaps elsewhere.
 */
export const jobNameOf = (env: SweepEnv): string => `lorenz@${env.lorenz} node@${env.node}`;

/**
 * Retries: a job whose processor threw is retried after 1 s, then 2 s; a
 * job whose worker died (no lock renewal) is put back by the stalled check
 * of a live worker (see cli/worker.ts) and does not count as an attempt.
 */
export const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  // Kept until the producer has read them and removes them; left-overs of a producer that died expire.
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * The identity of a sweep's runs: Lorenz and Node versions, scenario and the digest
 * of each combination (which covers every setting). A run's outcome
 * depends only on this and its seed, so equal job ids are equal work.
 */
export function sweepIdOf(plan: SweepPlan, text: string, env: SweepEnv): string {
  const h = createHash('sha256').update(JSON.stringify({ env: jobNameOf(env), file: plan.scenario.file, text, combinations: plan.combinations.map((c) => c.sha256) }));
  return h.digest('hex').slice(0, 16);
}

/** BullMQ allows one form of custom id with colons: exactly three parts. */
export const jobIdOf = (sweepId: string, task: { combination: number; seed: number }): string => `${sweepId}:${task.combination}:${task.seed}`;

interface Waiter {
  task: SeedTask;
  resolve(o: QueuedOutcome): void;
  reject(e: Error): void;
}

/**
 * The producer's side of a queue: `run` adds the seed's job (a no-op when a
 * job of that id is already there: then its result, if any, is taken) and
 * resolves when the job completes. Results come from the queue's event
 * stream, read from before the first job was added, so none is missed; each
 * job id resolves once, so a job that completes twice counts once.
 */
export async function queueExecutor(target: QueueTarget, plan: SweepPlan, text: string, env: SweepEnv, note: (message: string) => void): Promise<Executor> {
  // Where the event stream stands now: every event of our jobs comes after it.
  const probe = await probeQueue(target);
  const last = (await probe.xrevrange(`${QUEUE_PREFIX}:${target.name}:events`, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  probe.disconnect();

  const queue = new Queue<SeedTask, QueuedOutcome, string>(target.name, queueOptions(target));
  const events = new QueueEvents(target.name, { ...queueOptions(target), lastEventId: last });
  // ioredis reconnects by itself; say so once per kind of trouble.
  const told = new Set<string>();
  const trouble = (e: Error): void => {
    if (told.has(e.message)) return;
    told.add(e.message);
    note(`--queue ${target.url}: ${e.message} (reconnecting)`);
  };
  queue.on('error', trouble);
  events.on('error', trouble);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  const sweepId = sweepIdOf(plan, text, env);
  const name = jobNameOf(env);
  const waiting = new Map<string, Waiter>();
  const added = new Set<string>();
  const seen = new Set<string>();
  let closed = false;

  const settle = (id: string, outcome: QueuedOutcome | undefined): void => {
    const w = waiting.get(id);
    if (!w || !outcome) return;
    waiting.delete(id);
    if (outcome.worker) seen.add(outcome.worker);
    if (outcome.combination !== w.task.combination || outcome.seed !== w.task.seed) {
      w.reject(new Error(`job ${id} returned the outcome of combination ${outcome.combination} seed ${outcome.seed}`));
    } else w.resolve(outcome);
  };
  const reject = (id: string, why: (run: string) => string): void => {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    const run = `seed ${w.task.seed}${plan.combinations.length > 1 ? ` of combination ${w.task.combination}` : ''}`;
    w.reject(new ScenarioError(`--queue ${target.url}: ${why(run)}`));
  };
  const fail = (id: string, reason: string): void => reject(id, (run) => `${run} failed on every attempt (${JOB_OPTIONS.attempts}); the last said: ${reason}`);
  const unqueued = (id: string, e: Error): void => reject(id, (run) => `could not put ${run} on the queue (${e.message}).`);

  /**
   * Puts the job on the queue, or takes its result if a job of that id is
   * already done (an earlier or concurrent producer of the same runs).
   */
  const submit = async (id: string, task: SeedTask): Promise<void> => {
    for (let tries = 0; tries < 5 && waiting.has(id) && !closed; tries++) {
      await queue.add(name, task, { ...JOB_OPTIONS, jobId: id });
      added.add(id);
      const state = await queue.getJobState(id);
      if (state === 'completed') {
        const job = await queue.getJob(id);
        if (job) return settle(id, job.returnvalue);
      } else if (state === 'failed') {
        // Failed in an earlier sweep: give it fresh attempts.
        const job = await queue.getJob(id);
        if (job) return void (await job.retry('failed'));
      } else if (state !== 'unknown') {
        return; // waiting, delayed or active: the events will tell.
      }
      // Removed in between (by another producer's clean-up): add it again.
    }
  };

  events.on('completed', ({ jobId, returnvalue }) => settle(jobId, returnvalue as unknown as QueuedOutcome));
  events.on('failed', ({ jobId, failedReason }) => fail(jobId, failedReason));
  // Another producer of the same runs cleaned it up before it ran: put it back.
  events.on('removed', ({ jobId }) => {
    const w = waiting.get(jobId);
    if (w && !closed) submit(jobId, w.task).catch((e: Error) => unqueued(jobId, e));
  });

  // Tell the user once if nothing comes back for a while: no workers are serving the queue.
  const idle = setTimeout(() => {
    if (seen.size === 0 && waiting.size > 0) note(`no results from --queue ${target.url} yet: start workers with npm run worker -- --queue ${target.url}`);
  }, 10_000);
  idle.unref();

  let closing: Promise<void> | null = null;
  return {
    // Every pending run on the queue at once: the workers decide the pace.
    lanes: Number.MAX_SAFE_INTEGER,
    run: (task) => {
      if (closed) return Promise.reject(new Error('the queue is closed'));
      const id = jobIdOf(sweepId, task);
      const done = new Promise<QueuedOutcome>((resolve, reject) => waiting.set(id, { task, resolve, reject }));
      submit(id, task).catch((e: Error) => unqueued(id, e));
      return done;
    },
    workers: () => seen.size,
    close: () =>
      (closing ??= (async () => {
        closed = true;
        clearTimeout(idle);
        for (const [id, w] of waiting) {
          waiting.delete(id);
          w.reject(new Error('the sweep stopped'));
        }
        // Take our jobs off the queue; a job still running (locked) stays until its result expires.
        const ids = [...added];
        for (let i = 0; i < ids.length; i += 200) await Promise.all(ids.slice(i, i + 200).map((id) => queue.remove(id).catch(() => 0)));
        await events.close();
        await queue.close();
      })()),
  };
}
