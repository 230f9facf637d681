import { join } from 'node:path';
import { checkDeterminism, InternalRunError, lastEventsBefore, loadScenario, ScenarioRun, type DeterminismReport, type RunResult } from '../run/index.js';
import { ScenarioError } from '../scenario/index.js';
import { duration } from '../units/index.js';
import { listFaults } from './list-faults.js';
import { EXIT_CODES } from './exit-codes.js';
import { runCommand } from './run-command.js';
import { parseFlags } from './flags.js';
import { RunFolder } from './run-folder.js';
import { reportAssets } from './report-assets.js';
import { runReportHtml } from '../report/index.js';
import { shellQuote, simCommand } from './shell-quote.js';
import { terminalSummary } from './terminal-summary.js';
import { lorenzVersion } from './version.js';
import { prepareTraceFile, writeFileAtomically, writeResults } from './write-results.js';
import { paceGarbageCollection } from './heap-policy.js';

const USAGE = `usage: npm run sim -- <scenario.yml> [--seed N] [--out DIR] [--set key.path=value ...] [--quiet]
                    [--report] [--trace FILE.json] [--max-events N] [--max-wall DURATION] [--allow-late-faults]
       npm run sim -- <scenario.yml> [--seed N] --check-determinism
       npm run sim -- --list-faults

Runs a scenario on the simulated clock and writes throughput.csv, durability.csv,
faults.csv and summary.json to results/<scenario>/seed-<N>/ (or --out DIR).
--report also writes report.html there (the run on one time axis; see
npm run report). --trace FILE writes the run as a timeline trace to open in
ui.perfetto.dev (a track per node, grouped by region; docs/outputs.md).
A fault at or after the end of the run is an error; --allow-late-faults runs
anyway (the fault never strikes; a warning says so).
--check-determinism runs it twice in this process and names the first event
where the runs diverge (writes nothing). --max-events and --max-wall stop a run
that goes past them (exit 2, nothing written), saying how far it got.
Exit 0: every invariant and expectation held. 1: one did not. 2: bad input or usage.\n3: an internal error (a bug in Lorenz). 130/143: stopped by SIGINT/SIGTERM (nothing written).`;

const EXIT = EXIT_CODES;

function usageError(message: string): never {
  throw new ScenarioError(`${message}\n\n${USAGE}`);
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) usageError(`--seed ${text}: the seed must be a non-negative integer.`);
  return Number(text);
}

const OPTIONS = {
  seed: { type: 'string' },
  out: { type: 'string' },
  set: { type: 'string', multiple: true },
  quiet: { type: 'boolean', default: false },
  report: { type: 'boolean', default: false },
  'check-determinism': { type: 'boolean', default: false },
  'list-faults': { type: 'boolean', default: false },
  'max-events': { type: 'string' },
  'max-wall': { type: 'string' },
  trace: { type: 'string' },
  'allow-late-faults': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Bounds a user may put on a run that might be enormous: it stops, cleanly, when one is reached. */
interface RunBounds { maxEvents: number; maxWallMs: number }

function parseBounds(values: { 'max-events'?: string; 'max-wall'?: string }): RunBounds {
  const events = values['max-events'];
  if (events !== undefined && !/^[1-9]\d*$/.test(events)) usageError(`--max-events ${events}: expected a whole number of events, at least 1.`);
  const wall = values['max-wall'];
  let maxWallMs = Infinity;
  if (wall !== undefined) {
    const parsed = duration.safeParse(wall);
    if (!parsed.success || typeof wall !== 'string' || !/[a-z]/i.test(wall) || parsed.data <= 0) usageError(`--max-wall ${wall}: expected a wall-clock duration such as 30s or 5m.`);
    maxWallMs = parsed.data! / 1000;
  }
  return { maxEvents: events === undefined ? Infinity : Number(events), maxWallMs };
}

async function main(argv: string[]): Promise<number> {
  paceGarbageCollection();
  const { values, positionals } = parseFlags(argv, OPTIONS, USAGE);
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (values['list-faults']) {
    console.log(listFaults());
    return EXIT.ok;
  }
  if (positionals.length !== 1) usageError(positionals.length === 0 ? 'no scenario file given.' : `one scenario at a time, got ${positionals.length}.`);
  const file = positionals[0]!;
  const set = values.set ?? [];
  const allowLateFaults = values['allow-late-faults'];
  const loaded = loadScenario(file, { set, allowLateFaults });
  for (const w of loaded.warnings) console.error(`warning: ${w}`);
  const seed = parseSeed(values.seed) ?? loaded.scenario.seed;
  const bounds = parseBounds(values);
  const reproduce = simCommand(file, seed, set, allowLateFaults);
  if (values['check-determinism']) return reportDeterminism(checkDeterminism(loaded, seed), `${reproduce} --check-determinism`);
  const dir = values.out ?? join('results', loaded.name, `seed-${seed}`);
  // Before the simulation: an unwritable or foreign --out is found now, not after a long run.
  const folder = RunFolder.prepare(dir, '--out');
  const traceFile = values.trace === undefined ? undefined : prepareTraceFile(values.trace);
  const startedAt = new Date();
  const started = performance.now();
  let result: RunResult;
  try {
    const outcome = await runInSlices(new ScenarioRun(loaded, { seed, timeline: traceFile !== undefined }), values.quiet, bounds);
    if ('stopped' in outcome) {
      folder.discard();
      const { stopped, at, events } = outcome;
      const how = `at t=${at / 1e6}s of ${loaded.scenario.duration / 1e6}s after ${events} events; nothing written (the results folder ${dir}/ is as it was)`;
      if (stopped === 'SIGINT' || stopped === 'SIGTERM') {
        console.error(`stopped by ${stopped} ${how}. Run again to start over.`);
        return stopped === 'SIGINT' ? 130 : 143;
      }
      console.error(`error: ${stopped} reached ${how}. Raise the bound, or shorten the scenario (duration, nodes, dataset).`);
      return EXIT.usage;
    }
    result = outcome.result;
  } catch (e) {
    folder.discard();
    if (!(e instanceof InternalRunError)) throw e;
    console.error(`internal error: a bug in Lorenz, not in your input. ${e.message}`);
    console.error('last events before it (replayed with tracing):');
    for (const line of lastEventsBefore(loaded, seed, 20)) console.error(`  ${line}`);
    if (e.cause instanceof Error && e.cause.stack) console.error(e.cause.stack);
    console.error(`reproduce: ${reproduce}`);
    return EXIT.internal;
  }
  const wallS = (performance.now() - started) / 1000;
  const runJson = {
    command: ['npm', 'run', 'sim', '--', ...argv].map(shellQuote).join(' '),
    scenario: { path: file, name: loaded.name, sha256: loaded.hash },
    seed,
    set,
    lorenz_version: lorenzVersion(),
    node_version: process.version,
    started: startedAt.toISOString(),
    finished: new Date().toISOString(),
    wall_s: Math.round(wallS * 1000) / 1000,
  };
  const files: Record<string, string> = { ...result.files, 'run.json': JSON.stringify(runJson, null, 2) + '\n' };
  if (values.report) files['report.html'] = runReportHtml(files, reportAssets());
  writeResults(folder.work, files);
  folder.publish();
  if (traceFile !== undefined) writeFileAtomically(traceFile, result.timeline!);

  if (!values.quiet) {
    for (const line of terminalSummary(result, { seed, wallS, dir, files: Object.keys(files) })) console.log(line);
    if (values.report) console.log(`  report: ${join(dir, 'report.html')}`);
    if (traceFile !== undefined) console.log(`  trace: ${traceFile} (open it in ui.perfetto.dev)`);
  }
  if (!result.ok) {
    for (const f of result.failures) console.error(`FAIL ${f}`);
    console.error(`reproduce: ${reproduce}`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

/** Wall time one slice should take: short enough that a signal is answered at once and progress moves. */
const SLICE_MS = 100;

/**
 * Runs the simulation in slices of simulated time sized to about SLICE_MS of
 * wall time, yielding between them so SIGINT and SIGTERM are heard (the
 * outputs are those of one unsliced run: nothing happens between slices).
 * Shows progress on a terminal for runs longer than a few seconds. Returns
 * the result, or what stopped it (a signal, or a bound reached) and how far it got.
 */
async function runInSlices(run: ScenarioRun, quiet: boolean, bounds: RunBounds): Promise<{ result: RunResult } | { stopped: string; at: number; events: number }> {
  let stopped: string | undefined;
  const stop = (signal: NodeJS.Signals): void => void (stopped ??= signal);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const showProgress = !quiet && process.stderr.isTTY === true;
  const t0 = performance.now();
  let shown = false;
  let slice = Math.max(1, Math.floor(run.horizon / 1000));
  try {
    while (run.now < run.end) {
      const before = performance.now();
      run.advance(run.now + slice);
      const took = performance.now() - before;
      // Aim the next slice at SLICE_MS of wall time, changing by at most 4x at a time.
      slice = Math.max(1, Math.round(slice * Math.min(4, Math.max(0.25, SLICE_MS / Math.max(took, 1)))));
      const elapsed = (performance.now() - t0) / 1000;
      if (showProgress && elapsed > 3) {
        const done = run.now / run.horizon;
        const eta = done > 0 ? (elapsed / done) * (1 - done) : 0;
        process.stderr.write(`\r  t=${(run.now / 1e6).toFixed(0)}s of ${(run.horizon / 1e6).toFixed(0)}s (${(done * 100).toFixed(0)}%), ${Math.round(run.events / elapsed)} events/s, ETA ${eta.toFixed(0)}s   `);
        shown = true;
      }
      if (run.events >= bounds.maxEvents) stopped ??= `--max-events ${bounds.maxEvents}`;
      if (performance.now() - t0 >= bounds.maxWallMs) stopped ??= `--max-wall ${bounds.maxWallMs / 1000}s`;
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped) return { stopped, at: run.now, events: run.events };
    }
    return { result: run.finish() };
  } finally {
    if (shown) process.stderr.write('\r\x1b[K');
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function reportDeterminism(r: DeterminismReport, reproduce: string): number {
  if (r.matched) {
    console.log(`deterministic: two runs matched over ${r.events} events; trace sha256 ${r.traceHash}`);
    return EXIT.ok;
  }
  const show = (e: DeterminismReport['divergence'] extends infer D ? D extends { first: infer F } ? F : never : never) =>
    e ? `t=${e.time / 1e6}s ${e.kind} on ${e.node}${e.detail ? ` (${e.detail})` : ''}` : '(no event: the run ended)';
  if (r.divergence) {
    console.error(`NOT DETERMINISTIC: runs diverge at event #${r.divergence.index}`);
    console.error(`  first run:  ${show(r.divergence.first)}`);
    console.error(`  second run: ${show(r.divergence.second)}`);
  } else {
    console.error(`NOT DETERMINISTIC: traces match over ${r.events} events but outputs differ: ${r.differingFiles.join(', ')}`);
  }
  console.error(`reproduce: ${reproduce}`);
  return EXIT.failed;
}

runCommand(main);

export { shellQuote } from './shell-quote.js';
