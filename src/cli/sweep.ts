import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ScenarioError } from '../scenario/index.js';
import { parseSeedRange, parseShard } from '../sweep/index.js';
import { parseQueueUrl, probeQueue } from './queue/connection.js';
import { parseFlags } from './flags.js';
import { runCommand } from './run-command.js';
import { shellQuote } from './shell-quote.js';
import { mergeSweeps } from './sweep/merge.js';
import { planSweep, sweepCommand } from './sweep/plan.js';
import { progressMode } from './sweep/progress.js';
import { runSweep } from './sweep/run.js';
import { lorenzVersion } from './version.js';
import { paceGarbageCollection } from './heap-policy.js';

const USAGE = `usage: npm run sweep -- <scenario.yml> --seeds A..B [--workers N] [--set key=value ...] [--grid key=v1,v2 ...]
                       [--shard I/N] [--out DIR] [--resume] [--quiet] [--queue redis://host:port/name] [--allow-late-faults]
       npm run sweep -- merge DIR... [--out DIR] [--quiet]

Runs the scenario once per seed (and per combination of --grid values) on N
worker threads (default: the available cores) and writes runs.csv, timing.csv,
aggregate.csv, paired.csv (with --grid), sweep.json and failures/ to
results/<scenario>/sweep-A-B/ (or --out DIR). --shard I/N runs the I-th
(from 0) of N contiguous slices of the seeds; merge joins the shard folders.
--queue puts the runs on a Redis queue instead, for "npm run worker"s on
any machine, and writes the same files as they finish.
See docs/sweeps.md.
Exit 0: every run held. 1: a run failed (see failures/). 2: bad input or usage.`;

function usageError(message: string): never {
  throw new ScenarioError(`${message}\n\n${USAGE}`);
}

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d+$/.test(text) || Number(text) < 1) usageError(`--workers ${text}: expected a whole number of worker threads, at least 1.`);
  return Number(text);
}

async function main(argv: string[]): Promise<number> {
  paceGarbageCollection();
  const { values, positionals } = parseFlags(argv, {
    seeds: { type: 'string' },
    workers: { type: 'string' },
    set: { type: 'string', multiple: true },
    grid: { type: 'string', multiple: true },
    shard: { type: 'string' },
    out: { type: 'string' },
    queue: { type: 'string' },
    resume: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    'allow-late-faults': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.out !== undefined && values.out.trim() === '') usageError('--out: an empty path; give the folder for the sweep, such as results/my-sweep.');
  if (positionals[0] === 'merge') {
    const extra = (['seeds', 'workers', 'set', 'grid', 'shard', 'resume', 'queue'] as const).find((k) => values[k] !== undefined && values[k] !== false);
    if (extra) usageError(`merge: --${extra} does not apply to merge; it takes only folders, --out and --quiet.`);
    return mergeSweeps(positionals.slice(1), values.out, values.quiet);
  }
  if (positionals.length !== 1) usageError(positionals.length === 0 ? 'no scenario file given.' : `one scenario at a time, got ${positionals.length}: ${positionals.join(' ')}.`);
  if (values.seeds === undefined) usageError('--seeds is required, for example --seeds 1..1000.');
  const seeds = parseSeedRange(values.seeds);
  const shard = values.shard === undefined ? null : parseShard(values.shard);
  const workers = parseWorkers(values.workers);
  if (values.queue !== undefined && values.workers !== undefined) usageError(`--workers does not apply with --queue: the queue's workers run the seeds (npm run worker -- --queue ${values.queue} --concurrency N).`);
  const queue = values.queue === undefined ? null : parseQueueUrl(values.queue);
  const { plan, text, warnings } = planSweep({ file: positionals[0]!, seeds, set: values.set ?? [], grid: values.grid ?? [], shard, allowLateFaults: values['allow-late-faults'] });
  for (const w of warnings) console.error(`warning: ${w}`);
  const folder = `sweep-${seeds.first}-${seeds.last}${shard ? `-shard-${shard.index}-of-${shard.count}` : ''}`;
  const command = sweepCommand(plan);
  // An unreachable Redis is bad input: say so now, before anything is written.
  if (queue) (await probeQueue(queue)).disconnect();
  return runSweep({
    plan,
    text,
    env: { lorenz: lorenzVersion(), node: process.version },
    command,
    resumeCommand: `${command}${queue ? ` --queue ${shellQuote(queue.url)}` : ''}${values.out === undefined ? '' : ` --out ${shellQuote(values.out)}`} --resume`,
    out: values.out ?? join('results', plan.scenario.name, folder),
    workers,
    queue,
    resume: values.resume,
    progress: progressMode(values.quiet),
  });
}

runCommand(main);
