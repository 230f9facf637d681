import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkDeterminism, loadScenario, runScenario, type DeterminismReport } from '../run/index.js';
import { SYSTEMS } from '../modules/registry.js';
import { ScenarioError } from '../scenario/index.js';
import { listFaults } from './list-faults.js';
import { EXIT_CODES } from './exit-codes.js';
import { runCommand } from './run-command.js';
import { simCommand } from './shell-quote.js';
import { writeResults } from './write-results.js';

const USAGE = `usage: npm run sim -- <scenario.yml> [--seed N] [--out DIR] [--set key.path=value ...] [--quiet]
       npm run sim -- <scenario.yml> [--seed N] --check-determinism
       npm run sim -- --list-faults

Runs a scenario on the simulated clock and writes throughput.csv, durability.csv,
faults.csv and summary.json to results/<scenario>/seed-<N>/ (or --out DIR).
--check-determinism runs it twice in this process and names the first event
where the runs diverge (writes nothing).
Exit 0: every invariant and expectation held. 1: one did not. 2: bad input or usage.`;

const EXIT = EXIT_CODES;

function usageError(message: string): never {
  throw new ScenarioError(`${message}\n\n${USAGE}`);
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) usageError(`--seed ${text}: the seed must be a non-negative integer.`);
  return Number(text);
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      out: { type: 'string' },
      set: { type: 'string', multiple: true },
      quiet: { type: 'boolean', default: false },
      'check-determinism': { type: 'boolean', default: false },
      'list-faults': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
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
  const loaded = loadScenario(file, { set: values.set ?? [] });
  const seed = parseSeed(values.seed) ?? loaded.scenario.seed;
  const reproduce = simCommand(file, seed, values.set ?? []);
  if (values['check-determinism']) return reportDeterminism(checkDeterminism(loaded, seed), `${reproduce} --check-determinism`);
  const started = performance.now();
  const result = runScenario(loaded, { seed });
  const wallS = (performance.now() - started) / 1000;
  const dir = values.out ?? join('results', loaded.name, `seed-${seed}`);
  writeResults(dir, result.files);

  const s = result.summary;
  if (!values.quiet) {
    console.log(`${loaded.name} seed=${seed}: ${s.pipeline.chunks_acked}/${s.pipeline.chunks_total} chunks acknowledged, ${s.pipeline.chunks_failed} failed, ` +
      `${s.durability.lost_chunks} lost, ${s.durability.under_replicated_at_end} under-replicated at end`);
    console.log(`  completion ${s.pipeline.completion_s ?? 'not reached'}${s.pipeline.completion_s === null ? '' : 's'}, throughput ${s.pipeline.throughput_mb_s} MB/s, ` +
      `bottleneck ${s.bottleneck.stage} (${Math.round(s.bottleneck.busy_fraction * 100)}% busy, ${s.bottleneck.severity})`);
    console.log(`  ${s.simulated_s}s simulated in ${wallS.toFixed(2)}s wall (${Math.round(s.simulated_s / Math.max(wallS, 1e-9))} sim-s/s, ${s.events} events)`);
    for (const module of SYSTEMS) for (const line of module.terminal?.(s) ?? []) console.log(`  ${line}`);
    for (const e of s.expectations) console.log(`  expect ${e.metric} ${e.expected}: ${e.held ? 'held' : 'FAILED'} (measured ${e.actual})`);
    console.log(`  results: ${dir}/`);
  }
  if (!result.ok) {
    for (const f of result.failures) console.error(`FAIL ${f}`);
    console.error(`reproduce: ${reproduce}`);
    return EXIT.failed;
  }
  return EXIT.ok;
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
