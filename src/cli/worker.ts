import { availableParallelism, hostname } from 'node:os';
import { basename } from 'node:path';
import { Worker, type Job } from 'bullmq';
import { parseDuration } from '../kernel/time.js';
import { ScenarioError } from '../scenario/index.js';
import type { SeedTask } from '../sweep/index.js';
import { parseQueueUrl, probeQueue, queueOptions } from './queue/connection.js';
import { parseFlags } from './flags.js';
import { runCommand } from './run-command.js';
import { poolExecutor } from './sweep/executor.js';
import { jobNameOf, type QueuedOutcome } from './sweep/queue.js';
import { lorenzVersion } from './version.js';
import { paceGarbageCollection } from './heap-policy.js';

const USAGE = `usage: npm run worker -- --queue redis://host:port/name [--concurrency N] [--idle-exit DURATION]
                        [--lock DURATION] [--quiet]

Serves the runs of sweeps started with npm run sweep -- ... --queue (the same
URL): takes a job, runs its seed on one of N threads (default: the available
cores), returns the outcome. One line per job unless --quiet. Stops on
SIGINT/SIGTERM after the jobs in hand (a second signal abandons them: they
go back on the queue), or with --idle-exit after that long without a job.
--lock (default 10s): a job whose worker stops renewing its lock for that
long (killed, cut off) is put back on the queue by another worker.
See docs/sweeps.md. Exit 0 when stopped; 2: bad input or usage.`;

function usageError(message: string): never {
  throw new ScenarioError(`${message}\n\n${USAGE}`);
}

/** A duration flag in milliseconds ("30s", "5m", "500ms"). */
function durationMs(flag: string, text: string): number {
  const t = parseDuration(text);
  if (typeof t === 'string' || t <= 0) usageError(`${flag} ${text}: ${typeof t === 'string' ? t : 'expected a duration above zero'}.`);
  return Math.max(1, Math.round(t / 1000));
}

async function main(argv: string[]): Promise<number> {
  paceGarbageCollection();
  const { values, positionals } = parseFlags(argv, {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    'idle-exit': { type: 'string' },
    lock: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) usageError(`unexpected argument ${positionals[0]}: the worker takes its scenarios from the queue.`);
  if (values.queue === undefined) usageError('--queue is required, for example --queue redis://127.0.0.1:6379/lorenz.');
  const c = values.concurrency;
  if (c !== undefined && (!/^\d+$/.test(c) || Number(c) < 1)) usageError(`--concurrency ${c}: expected a whole number of jobs at once, at least 1.`);
  const concurrency = c === undefined ? availableParallelism() : Number(c);
  const idleMs = values['idle-exit'] === undefined ? null : durationMs('--idle-exit', values['idle-exit']);
  const lockMs = values.lock === undefined ? 10_000 : durationMs('--lock', values.lock);
  const target = parseQueueUrl(values.queue);
  (await probeQueue(target)).disconnect();

  const quiet = values.quiet;
  const me = `${hostname()}:${process.pid}`;
  const name = jobNameOf({ lorenz: lorenzVersion(), node: process.version });
  const pool = poolExecutor(concurrency);
  let active = 0;
  let lastActive = performance.now();

  const runJob = async (job: Job<SeedTask, QueuedOutcome>): Promise<QueuedOutcome> => {
    active++;
    try {
      if (job.name !== name) throw new Error(`this worker runs ${name}, the job was made by ${job.name}`);
      const outcome = await pool.run(job.data);
      if (!quiet) {
        const t = job.data;
        console.log(`${basename(t.scenario.file)} seed ${t.seed}${t.combination > 0 ? ` combination ${t.combination}` : ''}: ${outcome.ok ? 'ok' : 'FAIL'} in ${outcome.wall_s.toFixed(2)} s`);
      }
      return { ...outcome, worker: me };
    } finally {
      active--;
      lastActive = performance.now();
    }
  };
  const worker = new Worker<SeedTask, QueuedOutcome, string>(target.name, runJob, {
    ...queueOptions(target),
    name: me,
    concurrency,
    // A killed worker's jobs: their locks lapse after lockDuration, and the
    // next stalled check of any live worker (every half lock) puts them back.
    lockDuration: lockMs,
    stalledInterval: Math.max(1, Math.round(lockMs / 2)),
    maxStalledCount: 3,
    // Long-poll an empty queue for at most a second, so stopping is prompt.
    drainDelay: 1,
  });
  const told = new Set<string>();
  worker.on('error', (e: Error) => {
    if (told.has(e.message)) return;
    told.add(e.message);
    console.error(`worker: --queue ${target.url}: ${e.message}`);
  });
  worker.on('failed', (job, e) => {
    if (job) console.error(`worker: job ${job.id} failed (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${e.message}`);
  });
  await worker.waitUntilReady();
  if (!quiet) console.log(`worker ${me}: serving ${target.url} with ${concurrency} thread(s)${idleMs === null ? '' : `, until idle for ${values['idle-exit']}`}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      clearInterval(idle);
      if (!quiet) console.error(`worker ${me}: ${why}; stopping${active > 0 ? ` after the ${active} job(s) in hand` : ''}`);
      void (async () => {
        await worker.close();
        await pool.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve(0);
      })();
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      // A second signal does not wait: the jobs in hand go back on the queue when their locks lapse.
      if (stopping) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      stop(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const idle = idleMs === null ? undefined : setInterval(() => {
      if (active === 0 && performance.now() - lastActive >= idleMs) stop(`idle for ${values['idle-exit']}`);
    }, Math.min(1000, idleMs));
  });
}

runCommand(main);
