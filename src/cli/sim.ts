import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runScenario } from '../run/index.js';
import { loadScenarioFile, ScenarioError } from '../scenario/index.js';
import { writeResults } from './write-results.js';

const USAGE = `usage: npm run sim -- <scenario.yml> [--seed N] [--out DIR] [--set key.path=value ...] [--quiet]

Runs a scenario on the simulated clock and writes throughput.csv, durability.csv,
faults.csv and summary.json to results/<scenario>/seed-<N>/ (or --out DIR).
Exit 0: every invariant held. 1: one did not. 2: bad input or usage.`;

/** Exit codes of every Lorenz command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function usageError(message: string): never {
  throw new ScenarioError(`${message}\n\n${USAGE}`);
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) usageError(`--seed ${text}: the seed must be a non-negative integer.`);
  return Number(text);
}

export function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      out: { type: 'string' },
      set: { type: 'string', multiple: true },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) usageError(positionals.length === 0 ? 'no scenario file given.' : `one scenario at a time, got ${positionals.length}.`);
  const file = positionals[0]!;
  const loaded = loadScenarioFile(file, { set: values.set ?? [] });
  const seed = parseSeed(values.seed) ?? loaded.scenario.seed;
  const started = performance.now();
  const result = runScenario(loaded, { seed });
  const wallS = (performance.now() - started) / 1000;
  const dir = values.out ?? join('results', loaded.name, `seed-${seed}`);
  writeResults(dir, result.files);

  const s = result.summary;
  const reproduce = `npm run sim -- ${file} --seed ${seed}${(values.set ?? []).map((a) => ` --set ${a}`).join('')}`;
  if (!values.quiet) {
    console.log(`${loaded.name} seed=${seed}: ${s.pipeline.chunks_acked}/${s.pipeline.chunks_total} chunks acknowledged, ${s.pipeline.chunks_failed} failed, ` +
      `${s.durability.lost_chunks} lost, ${s.durability.under_replicated_at_end} under-replicated at end`);
    console.log(`  completion ${s.pipeline.completion_s ?? 'not reached'}${s.pipeline.completion_s === null ? '' : 's'}, throughput ${s.pipeline.throughput_mb_s} MB/s, ` +
      `bottleneck ${s.bottleneck.stage} (${Math.round(s.bottleneck.busy_fraction * 100)}% busy, ${s.bottleneck.severity})`);
    console.log(`  ${s.simulated_s}s simulated in ${wallS.toFixed(2)}s wall (${Math.round(s.simulated_s / Math.max(wallS, 1e-9))} sim-s/s, ${s.events} events)`);
    console.log(`  results: ${dir}/`);
  }
  if (!result.ok) {
    for (const f of result.failures) console.error(`FAIL ${f}`);
    console.error(`reproduce: ${reproduce}`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

function run(): void {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ScenarioError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(e as Error).message}`);
      process.exitCode = EXIT.usage;
      return;
    }
    throw e;
  }
}

run();
