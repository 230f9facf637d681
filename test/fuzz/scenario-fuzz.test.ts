/**
 * Scenario fuzzing (issue "Hardening: no stack trace, no hang, no
 * half-written result, on any input"). Cases are shipped scenarios with a few
 * mutations: a number, duration, size or rate replaced by an extreme value, a
 * key deleted, duplicated or added, a value of the wrong type, a latency
 * distribution or fault with extreme parameters, a nemesis, a --set.
 *
 * The contract, per case: the library either refuses the input with a
 * ScenarioError whose message is one paragraph starting with its location
 * (`file:line:col: ` or `--set key=value: `), or runs it and returns (ok or
 * not). Any other exception, a case over CASE_TIMEOUT_MS of wall time, or a
 * process that runs out of memory fails the test. Cases run in a child
 * process (fuzz-worker.ts), so a hang is killed and reported, not waited for.
 *
 * Runs are shortened: a scenario's duration is cut to 20 s before loading (a
 * mutation may set it again; a longer legal duration is loaded as written and
 * run for MAX_RUN only). The extreme values are chosen to be either over the
 * documented limits (docs/scenarios.md, "Limits") or small: a huge-but-legal
 * setting (50,000 nodes) is slow by design, not a bug.
 *
 * LORENZ_FUZZ_RUNS=10000 for a long hunt; LORENZ_FUZZ_SEED=<n> (and
 * LORENZ_FUZZ_PATH=<path>, both printed on a failure) to replay one;
 * LORENZ_FUZZ_COLLECT=1 lists every failing case instead of stopping at the
 * first; LORENZ_FUZZ_SHRINK=1 shrinks a failure; LORENZ_FUZZ_VERBOSE=1 prints
 * every input error.
 * Every crash class found is a named regression case at the end of the file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { loadScenarioFromText, runScenario } from '../../src/run/index.js';
import { ScenarioError } from '../../src/scenario/index.js';
import type { FuzzCase, FuzzOutcome } from './fuzz-worker.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = Number(process.env.LORENZ_FUZZ_RUNS ?? 400);
const SEED = Number(process.env.LORENZ_FUZZ_SEED ?? 20261203);
const PATH = process.env.LORENZ_FUZZ_PATH;
const CASE_TIMEOUT_MS = 10_000;
const MAX_RUN = 30_000_000;
const SHORT = '20s';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

// The scale scenarios are left out: a mutation of a 1,000-node run is a legitimately long run, not a hang.
// So is the 10,000-node fleet experiment; the other experiments bring the failure processes, drawn repairs, arrivals and stop conditions.
const ymlIn = (dir: string, skip: (f: string) => boolean) => readdirSync(join(ROOT, dir))
  .filter((f) => f.endsWith('.yml') && !skip(f))
  .sort()
  .map((f) => ({ file: f, doc: parseYaml(readFileSync(join(ROOT, dir, f), 'utf8')) as { [k: string]: Json } }));
const SCENARIOS = [...ymlIn('scenarios', (f) => f.startsWith('scale-')), ...ymlIn('experiments', (f) => f === 'fleet-10y.yml')];
const { blocks: BLOCK_DEFAULTS, ...CORE_DEFAULTS } = parseYaml(readFileSync(join(ROOT, 'config', 'defaults.yml'), 'utf8')) as { blocks: { [k: string]: Json } } & { [k: string]: Json };

/** Values that break things: zero, negative, huge, fractional, non-finite, in units, of the wrong type. */
const EXTREMES: readonly Json[] = [
  0, -1, 1, -1e308, 1e308, 2147483648, 2 ** 53, 1e16, 0.5, 1e-9, 42, 1e6 + 1, Infinity, -Infinity, NaN,
  '0MB/s', '0B/s', '0.000001B/s', '1Gbps', '0B', '1B', '1000000TB', '1us', '0s', '0', '1000h', '-5s', '3.7us', '99999999999h', '100000000h', '1e3s', '', 'abc',
  true, null, [], {}, [1, 2], { x: 1 },
];

/** Extremes of the same kind as a leaf (a duration for a duration...), so that more cases get past the schema to a run. */
const EXTREMES_OF = {
  number: [0, -1, 1e308, 2147483648, 2 ** 53, 1e16, 0.5, 1e-9, 42, 1e6 + 1, 100_001, 1000, 1000.5, 3.5],
  duration: ['0s', '1us', '3.7us', '1ms', '1000h', '100000000h', '99999999999h', 0, 1, 1e16, '-5s', '876000h', '876001h'],
  size: ['0B', '1B', '1kB', '1000000TB', '9PB', 0, 1, 1e16],
  rate: ['0MB/s', '0.000001B/s', '1B/s', '1kB/s', '1Gbps', 1e308, 0, 1e-9],
} satisfies Record<string, Json[]>;

/**
 * Node counts: over the limit, or small. A count between a few dozen and the
 * limit is legal and slow by design (1,000 nodes run 20 s in about 20 s).
 */
const NODE_COUNTS: Json[] = [0, -1, 0.5, 1, 2, 64, 100_001, 1e9, 2 ** 53, 1e308, '3', null];

function extremeFor(original: Json | undefined, i: number, j: number, path: Path = []): Json {
  if (path[path.length - 1] === 'nodes') return pick(NODE_COUNTS, i);
  if (j % 3 === 0) return pick(EXTREMES, i);
  if (typeof original === 'number') return pick(EXTREMES_OF.number, i);
  if (typeof original === 'string') {
    if (/^[\d.]+\s*(us|µs|ms|s|m|min|h)$/.test(original)) return pick(EXTREMES_OF.duration, i);
    if (/\/s$|bps$/i.test(original)) return pick(EXTREMES_OF.rate, i);
    if (/^[\d.]+\s*[kmgt]?i?b$/i.test(original)) return pick(EXTREMES_OF.size, i);
  }
  return pick(EXTREMES, i);
}

/** Distributions with extreme parameters: `d` a duration-like value, `x` a number-like one (either may be of the wrong type). */
const LATENCY_TEMPLATES = (d: Json, x: Json): Json[] => [
  { dist: 'lognormal', median: '1ms', sigma: x },
  { dist: 'lognormal', median: d, sigma: 1 },
  { dist: 'normal', mean: '5ms', stddev: d },
  { dist: 'normal', mean: d, stddev: '1ms' },
  { dist: 'uniform', min: d, max: '2ms' },
  { dist: 'constant', value: d },
];

/** Faults with one extreme parameter (`d` duration-like, `x` number-like); `at` is early so they strike within the shortened run. */
const FAULT_TEMPLATES = (d: Json, x: Json): Json[] => [
  { kind: 'jitter', at: '1s', amount: d },
  { kind: 'latency_spike', at: '1s', multiply: x },
  { kind: 'latency_spike', at: '1s', add: d },
  { kind: 'reorder', at: '1s', probability: 0.5, delay: d },
  { kind: 'bandwidth_throttle', at: '1s', factor: x },
  { kind: 'disk_slow', at: '1s', node: '@first', bandwidth_divide: x },
  { kind: 'disk_slow', at: '1s', node: '@first', latency_multiply: x },
  { kind: 'brownout', at: '1s', node: '@first', factor: x },
  { kind: 'brownout', at: '1s', between: ['@first', '@last'], factor: x },
  { kind: 'clock_skew', at: '1s', node: '@first', drift_ppm: x },
  { kind: 'clock_skew', at: '1s', node: '@first', drift_ppm: -999000 },
  { kind: 'clock_skew', at: '1s', node: '@first', offset: d },
  { kind: 'link_flap', at: '1s', between: ['@first', '@last'], period: d, down: '1us' },
  { kind: 'link_flap', at: '1s', between: ['@first', '@last'], period: '1s', down: d },
  { kind: 'node_crash', at: d, node: '@first', restart_after: '1s' },
  { kind: 'node_crash', at: '1s', node: '@first', restart_after: d },
  { kind: 'node_pause', at: '1s', node: '@first', duration: d },
  { kind: 'partition', at: '1s', shape: 'halves', duration: d },
  { kind: 'disk_corruption', at: '1s', node: '@first', fraction: x },
  { kind: 'packet_loss', at: '1s', probability: x },
  { kind: 'duplicate', at: '1s', probability: x },
  // Clusters that change: a standby machine may or may not exist; a Raft group may or may not.
  { kind: 'node_drain', at: d, node: '@last' },
  { kind: 'node_decommission', at: d, node: '@last' },
  { kind: 'node_join', at: d, node: '@last' },
  { kind: 'node_loss', at: '1s', node: '@last', replace_after: d },
  { kind: 'disk_corruption', at: '1s', node: '@first', fraction: x, device: 'log' },
  { kind: 'raft_add_member', at: d, node: '@last' },
  { kind: 'raft_remove_member', at: d, node: '@first' },
  { kind: 'node_loss_random', at: '1s', count: x },
  { kind: 'node_loss_random', at: '1s', count: 1, replace_after: d },
];

/** Failure processes, drawn repairs, arrivals, stop conditions and detector refinements, each with one extreme parameter: [path, value]. */
const PROCESS_TEMPLATES = (d: Json, x: Json): Array<[Path, Json]> => [
  [['failures'], { nodes: { lifetime: { dist: 'exponential', mean: d } } }],
  [['failures'], { nodes: { lifetime: { dist: 'exponential', mean: '1h' }, permanent: x, replace_after: d } }],
  [['failures'], { disks: { lifetime: { dist: 'weibull', shape: x, scale: '1h' } } }],
  [['failures'], { disks: { lifetime: { dist: 'weibull', shape: 1, scale: d }, replace_after: '1s' } }],
  [['failures'], { racks: { every: { dist: 'exponential', mean: d }, downtime: '1m', lose: x } }],
  [['failures'], { nodes: { lifetime: { dist: 'lognormal', median: '1h', sigma: x } }, spare: ['@first'] }],
  [['repair', 'process'], { start_after: d, duration: '1s' }],
  [['repair', 'process'], { start_after: 0, duration: { dist: 'lognormal', median: d, sigma: x } }],
  [['repair', 'process'], { start_after: { dist: 'exponential', mean: d }, duration: { dist: 'uniform', min: '1s', max: d } }],
  [['pipeline', 'dataset', 'arrivals'], { every: { dist: 'exponential', mean: d } }],
  [['pipeline', 'dataset', 'arrivals'], { every: d }],
  [['pipeline', 'processing', 'service'], x],
  [['stop_when'], { chunks_lost: { gte: x } }],
  [['stop_when'], { lost_chunks: { gte: x } }],
  [['detector'], { kind: 'swim', swim: { lifeguard: { enabled: true, suspicion_multiplier: x } } }],
  [['detector'], { kind: 'swim', swim: { lifeguard: { enabled: true, max_health: x, max_multiplier: x } } }],
  [['raft', 'timer_noise'], x],
  // Geography: on the scenario's first region (see firstRegion).
  [['@region', 'location'], 'us-east-1'],
  [['@region', 'location'], 'us-east-3'],
  [['@region', 'location'], x],
  [['@region', 'location'], { lat: x, lon: 0 }],
  [['@region', 'location'], { lat: -33.9, lon: x }],
];

/** The path of the scenario's first region, for the geography templates. */
function firstRegion(doc: { [k: string]: Json }): Path {
  const clouds = valueAt(doc, ['topology', 'clouds']);
  const cloud = isObject(clouds) ? Object.keys(clouds)[0] : undefined;
  const regions = cloud === undefined ? undefined : valueAt(doc, ['topology', 'clouds', cloud, 'regions']);
  const region = isObject(regions) ? Object.keys(regions)[0] : undefined;
  // A mutation may have left no region to name: the default's first then (an input error or a new region, either a case).
  return cloud === undefined || region === undefined ? ['topology', 'clouds', 'aws', 'regions', 'aws-east'] : ['topology', 'clouds', cloud, 'regions', region];
}

const NEMESIS_TEMPLATES = (d: Json): Json[] => [
  { start: 0, stop: d, faults: { node_crash: { every: '1s', duration: '1s' } } },
  { start: 0, stop: '10s', faults: { node_pause: { every: d, duration: '10ms' } } },
  { start: 0, stop: '10s', faults: { latency_spike: { every: '1s', duration: d } } },
  { start: d, stop: '10s', faults: { partition: { every: '2s', duration: { min: '1s', max: d } } } },
  { start: 0, stop: '1000h', faults: { brownout: { every: d, duration: '1s' }, clock_skew: { every: '2s', duration: '1s' } } },
];

const isObject = (v: unknown): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths of every leaf (and, with `inner`, every inner node) under `v`. */
function paths(v: Json, prefix: Path = [], inner = false): Path[] {
  if (Array.isArray(v)) return [...(inner ? [prefix] : []), ...v.flatMap((x, i) => paths(x, [...prefix, i], inner))];
  if (isObject(v)) return [...(inner && prefix.length ? [prefix] : []), ...Object.entries(v).flatMap(([k, x]) => paths(x, [...prefix, k], inner))];
  return [prefix];
}

/** Every setting a scenario has: its own leaves, the core defaults' and those of the blocks it has. */
function settingsOf(doc: { [k: string]: Json }): Path[] {
  const all = [...paths(doc), ...paths(CORE_DEFAULTS)];
  for (const [block, fill] of Object.entries(BLOCK_DEFAULTS)) if (doc[block] !== undefined) all.push(...paths(fill, [block]));
  const seen = new Set<string>();
  return all.filter((p) => p.length > 0 && !seen.has(p.join('.')) && seen.add(p.join('.')));
}

function setIn(root: Json, path: Path, value: Json | undefined): void {
  let obj = root as { [k: string]: Json };
  for (const k of path.slice(0, -1)) {
    const next = (obj as Record<string | number, Json>)[k];
    if (!isObject(next) && !Array.isArray(next)) (obj as Record<string | number, Json>)[k] = {};
    obj = (obj as Record<string | number, Json>)[k] as { [k: string]: Json };
  }
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(obj)) obj.splice(Number(last), 1);
    else delete obj[last];
  } else (obj as Record<string | number, Json>)[last] = value;
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

const MUTATIONS = ['leaf', 'leaf', 'leaf', 'leaf', 'leaf', 'delete', 'unknown', 'duplicate', 'latency', 'latency', 'fault', 'fault', 'fault', 'nemesis', 'set', 'set', 'set', 'process', 'process'] as const;
type Mutation = { kind: (typeof MUTATIONS)[number]; at: number; value: number; other: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATIONS),
  at: fc.nat(),
  value: fc.nat(),
  other: fc.nat(),
});

/** A scenario, mutated: the text to load, the --set pairs, and what was done (for the failure message). */
function buildCase(scenario: number, mutations: Mutation[], seed: number): { c: FuzzCase; done: string[] } {
  const { file, doc: original } = pick(SCENARIOS, scenario);
  const doc = structuredClone(original);
  doc.duration = SHORT;
  const set: string[] = [];
  const done: string[] = [];
  let appended = '';
  const nodes = topologyNodes(doc);
  const named = (v: Json): Json => JSON.parse(JSON.stringify(v).replaceAll('"@first"', JSON.stringify(nodes[0])).replaceAll('"@last"', JSON.stringify(nodes[nodes.length - 1])));
  for (const m of mutations) {
    const v = pick(EXTREMES, m.value);
    switch (m.kind) {
      case 'leaf': {
        const path = pick(settingsOf(doc), m.at);
        const v = extremeFor(valueAt(doc, path) ?? valueAt(CORE_DEFAULTS, path) ?? valueAt(BLOCK_DEFAULTS, path), m.value, m.other, path);
        setIn(doc, path, v);
        done.push(`${path.join('.')} = ${JSON.stringify(v)}`);
        break;
      }
      case 'delete': {
        const own = paths(doc, [], true);
        const path = pick(own, m.at);
        setIn(doc, path, undefined);
        done.push(`delete ${path.join('.')}`);
        break;
      }
      case 'unknown': {
        const parents = paths(doc, [], true).filter((p) => isObject(valueAt(doc, p)));
        const path = [...(parents.length ? pick(parents, m.at) : []), 'bogus_setting'];
        setIn(doc, path, v);
        done.push(`add ${path.join('.')}`);
        break;
      }
      case 'duplicate': {
        const key = pick(Object.keys(doc), m.at);
        appended += `\n${key}: ${JSON.stringify(v)}\n`;
        done.push(`duplicate top-level key ${key}`);
        break;
      }
      case 'latency': {
        const path = pick([['network', 'same_region', 'latency'], ['network', 'same_cloud', 'latency'], ['network', 'cross_cloud', 'latency']], m.at);
        const dist = pick(LATENCY_TEMPLATES(extremeFor('1ms', m.value, m.other), extremeFor(1, m.value, m.other)), m.at >> 2);
        setIn(doc, path, dist);
        done.push(`${path.join('.')} = ${JSON.stringify(dist)}`);
        break;
      }
      case 'fault': {
        const fault = named(pick(FAULT_TEMPLATES(extremeFor('1ms', m.value, m.other), extremeFor(1, m.value, m.other)), m.at));
        doc.faults = [...(Array.isArray(doc.faults) ? doc.faults : []), fault];
        done.push(`add fault ${JSON.stringify(fault)}`);
        break;
      }
      case 'process': {
        const [template, value] = pick(PROCESS_TEMPLATES(extremeFor('1ms', m.value, m.other), extremeFor(1, m.value, m.other)), m.at);
        // topology.clouds is replaced whole when written: a scenario on the default topology gets a copy of it first.
        if (template[0] === '@region' && !isObject(valueAt(doc, ['topology', 'clouds']))) setIn(doc, ['topology', 'clouds'], structuredClone(valueAt(CORE_DEFAULTS, ['topology', 'clouds'])!));
        const path = template[0] === '@region' ? [...firstRegion(doc), ...template.slice(1)] : template;
        const v = named(value);
        setIn(doc, path, v);
        done.push(`${path.join('.')} = ${JSON.stringify(v)}`);
        break;
      }
      case 'nemesis': {
        const nemesis = pick(NEMESIS_TEMPLATES(extremeFor('1ms', m.value, m.other)), m.at);
        doc.nemesis = nemesis;
        done.push(`nemesis ${JSON.stringify(nemesis)}`);
        break;
      }
      case 'set': {
        const path = pick(settingsOf(doc), m.at);
        const v = extremeFor(valueAt(doc, path) ?? valueAt(CORE_DEFAULTS, path) ?? valueAt(BLOCK_DEFAULTS, path), m.value, m.other, path);
        const text = typeof v === 'string' ? v : Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : JSON.stringify(v);
        set.push(`${path.join('.')}=${text}`);
        done.push(`--set ${path.join('.')}=${text}`);
        break;
      }
    }
  }
  return { c: { file: `fuzz/${file}`, yaml: toYaml(doc) + appended, set, seed, maxRun: MAX_RUN }, done };
}

function valueAt(root: Json, path: Path): Json | undefined {
  let v: Json | undefined = root;
  for (const k of path) v = isObject(v) || Array.isArray(v) ? (v as Record<string | number, Json>)[k] : undefined;
  return v;
}

function topologyNodes(doc: { [k: string]: Json }): string[] {
  const clouds = (valueAt(doc, ['topology', 'clouds']) ?? valueAt(CORE_DEFAULTS, ['topology', 'clouds'])) as { [c: string]: { regions: { [r: string]: { nodes: number } } } };
  return Object.values(clouds).flatMap((c) => Object.entries(c.regions).flatMap(([r, spec]) => Array.from({ length: spec.nodes }, (_, i) => `${r}-${i + 1}`)));
}

/** A located, one-paragraph input error: what the CLI prints alone. */
const LOCATED = /^(fuzz\/[\w.-]+\.yml:\d+:\d+: |--set [^\n]+?: |\/\S*defaults\.yml:\d+:\d+: )/;

export function checkInputError(message: string): string | undefined {
  if (!LOCATED.test(message)) return `the message does not start with a location: ${message}`;
  if (/\n/.test(message.trimEnd())) return `the message is more than one paragraph: ${message}`;
  if (/\bat .+:\d+:\d+\)?$/m.test(message)) return `the message holds a stack trace: ${message}`;
  return undefined;
}

/** The child process cases run in; restarted after a case it had to be killed for. */
class CaseRunner {
  private child: ChildProcess | undefined;

  run(c: FuzzCase): Promise<FuzzOutcome | { outcome: 'hang' | 'died'; message: string }> {
    const child = (this.child ??= fork(join(ROOT, 'test', 'fuzz', 'fuzz-worker.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', '--max-old-space-size=1024', '--stack-size=2000'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    }));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()).slice(-2000));
    return new Promise((resolve) => {
      // The first case also pays for starting tsx.
      const started = performance.now();
      const timer = setTimeout(() => {
        this.stop();
        resolve({ outcome: 'hang', message: `no answer after ${Math.round(performance.now() - started)} ms` });
      }, CASE_TIMEOUT_MS + (this.fresh ? 20_000 : 0));
      const done = (r: FuzzOutcome | { outcome: 'hang' | 'died'; message: string }) => {
        clearTimeout(timer);
        child.removeAllListeners('message');
        child.removeAllListeners('exit');
        child.stderr!.removeAllListeners('data');
        this.fresh = false;
        resolve(r);
      };
      child.once('message', (m) => done(m as FuzzOutcome));
      child.once('exit', (code, signal) => {
        this.child = undefined;
        this.fresh = true;
        done({ outcome: 'died', message: `the process exited (${signal ?? code}): ${stderr.slice(-1500)}` });
      });
      child.send(c);
    });
  }

  private fresh = true;

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
    this.fresh = true;
  }
}

type Outcome = FuzzOutcome | { outcome: 'hang' | 'died'; message: string };
interface Stats { inputError: number; ran: number; slowest: number }

/** Throws unless the outcome keeps the contract. */
function judge(r: Outcome, c: FuzzCase, done: string[], stats: Stats): void {
  const what = `${c.file} seed ${c.seed}, ${done.join('; ')}${c.set.length ? ` (--set ${c.set.join(' --set ')})` : ''}`;
  switch (r.outcome) {
    case 'input-error': {
      stats.inputError++;
      if (process.env.LORENZ_FUZZ_VERBOSE) console.log(`${done.join('; ')} -> ${r.message}`);
      const bad = checkInputError(r.message);
      if (bad) throw new Error(`${what}: ${bad}`);
      return;
    }
    case 'ran':
      stats.ran++;
      stats.slowest = Math.max(stats.slowest, r.loadMs + r.runMs);
      if (r.loadMs + r.runMs > CASE_TIMEOUT_MS) throw new Error(`${what}: took ${Math.round(r.loadMs + r.runMs)} ms`);
      return;
    case 'crash':
      throw new Error(`${what}: ${r.phase} threw ${r.type}: ${r.message}\n${r.stack}`);
    default:
      throw new Error(`${what}: ${r.outcome}: ${r.message}`);
  }
}

/** LORENZ_FUZZ_COLLECT=1: list every failing case instead of stopping at the first (for hunting). */
const COLLECT = process.env.LORENZ_FUZZ_COLLECT !== undefined;

describe('scenario fuzzing: any mutation of a shipped scenario is an input error or a run that returns', () => {
  const runner = new CaseRunner();
  afterAll(() => runner.stop());

  it(`${RUNS} mutated scenarios (seed ${SEED})`, async () => {
    const stats: Stats = { inputError: 0, ran: 0, slowest: 0 };
    const found: string[] = [];
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 2 }), fc.nat(1000), async (scenario, mutations, seed) => {
        const { c, done } = buildCase(scenario, mutations, seed);
        const r = await runner.run(c);
        try {
          judge(r, c, done, stats);
        } catch (e) {
          if (!COLLECT) throw e;
          found.push((e as Error).message.split('\n')[0]!);
        }
      }),
      // No shrinking by default: a shrink step that hangs costs CASE_TIMEOUT_MS. LORENZ_FUZZ_SHRINK=1 to shrink.
      { numRuns: RUNS, seed: SEED, ...(PATH ? { path: PATH } : {}), endOnFailure: process.env.LORENZ_FUZZ_SHRINK === undefined },
    );
    console.log(`fuzz: ${RUNS} cases in ${Math.round(performance.now() - t0)} ms: ${stats.inputError} input errors, ${stats.ran} runs (slowest ${Math.round(stats.slowest)} ms)`);
    if (found.length) console.log(`${found.length} failing cases:\n${found.join('\n')}`);
    expect(found).toEqual([]);
  }, 600_000);
});

/**
 * Crash classes the fuzzing (and the hostile-user test) found, each now a
 * located input error naming the setting and the reason. `set` pairs are
 * applied over a short baseline (or the named shipped scenario).
 */
const REGRESSIONS: Array<{ name: string; scenario?: string; yaml?: string; set?: string[]; error: RegExp }> = [
  { name: 'lognormal sigma 1e6 (negative or fractional delay Infinity)', yaml: 'network:\n  same_region:\n    latency: { dist: lognormal, median: 1ms, sigma: 1000000 }\n', error: /^fuzz\/baseline\.yml:\d+:\d+: network\.same_region\.latency\.sigma: a draw can overflow; .*sigma may be at most 2\.13/ },
  { name: 'normal stddev of a day', yaml: 'network:\n  same_cloud:\n    latency: { dist: normal, mean: 5ms, stddev: 24h }\n', error: /network\.same_cloud\.latency\.stddev: a draw can reach 8\.57 days; .*stddev may be at most/ },
  { name: 'uniform with min over max', yaml: 'network:\n  same_region:\n    latency: { dist: uniform, min: 5ms, max: 1ms }\n', error: /network\.same_region\.latency\.min: must not exceed max \(1 ms\)/ },
  { name: 'a latency mapping with a bad field says so, not "expected string"', yaml: 'network:\n  same_region:\n    latency: { dist: normal, mean: 5ms, stddev: nope }\n', error: /latency\.stddev: expected a duration such as/ },
  { name: 'output_ratio 2^31 (a delay of 1e16 us)', set: ['pipeline.processing.output_ratio=2147483648'], error: /^--set pipeline\.processing\.output_ratio=2147483648: pipeline\.processing\.output_ratio: is over 1000/ },
  { name: 'processing jitter 42', set: ['pipeline.processing.jitter=42'], error: /pipeline\.processing\.jitter: the longest task, nominal 2 s x e\^\(8\.57 x jitter\), .*jitter may be at most 1\.64/ },
  { name: 'disk write 0MB/s (cannot schedule at Infinity)', set: ['topology.node_defaults.disk.write=0MB/s'], error: /topology\.node_defaults\.disk\.write: must be above 0, got "0MB\/s" \(a rate divides/ },
  { name: 'disk write 1e-9 B/s with no dataset (the coordinator wrote 64 bytes for 2000 years)', scenario: 'coordinator-failover.yml', set: ['topology.node_defaults.disk.write=1e-9'], error: /topology\.node_defaults\.disk\.write: at 1e-9B\/s moving 1MB .* takes .* years; one step must take under 30 days/ },
  { name: 'a link so slow a chunk takes years', set: ['network.cross_cloud.bandwidth=1B/s'], error: /network\.cross_cloud\.bandwidth: at 1B\/s moving 100MB .* takes 3\.17 years.*lower chunk_size/ },
  { name: 'chunk_size 1B (10^9 chunks)', set: ['pipeline.chunk_size=1B'], error: /pipeline\.chunk_size: a \S+ dataset in \S+ files of 1B chunks is \d{9,} chunks; at most 1000000 \(docs\/scenarios\.md, Limits\)/ },
  { name: 'file_size 0 (a loop that never ends)', set: ['pipeline.dataset.file_size=0'], error: /pipeline\.dataset\.file_size: must be above 0/ },
  { name: '10^9 nodes in one region', set: ['topology.clouds.aws.regions.aws-east.nodes=1000000000'], error: /nodes: a topology has at most 100000 nodes/ },
  { name: '60,000 nodes in each of two regions', set: ['topology.clouds.aws.regions.aws-east.nodes=60000', 'topology.clouds.aws.regions.aws-west.nodes=60000'], error: /aws-west\.nodes: the topology reaches 1\d{5} nodes here; at most 100000/ },
  { name: 'Raft election timeout of 1-2 us', scenario: 'raft-leader-crash.yml', set: ['raft.election_timeout={min: 1us, max: 2us}'], error: /raft\.election_timeout\.min: must be at least 1ms/ },
  { name: 'Raft heartbeat not under the election timeout', scenario: 'raft-leader-crash.yml', set: ['raft.heartbeat=200ms'], error: /raft\.heartbeat: must be shorter than election_timeout\.min \(150 ms\)/ },
  { name: 'Raft heartbeat of 0', scenario: 'raft-leader-crash.yml', set: ['raft.heartbeat=0'], error: /raft\.heartbeat: must be at least 1ms/ },
  { name: 'nemesis stop 1000h, a strike every millisecond', set: ['nemesis={start: 0, stop: 1000h, faults: {node_crash: {every: 1ms, duration: 1s}}}'], error: /nemesis\.faults\.node_crash\.every: one node_crash every 1 ms from start to stop is about 3600000000 strikes; at most 100000/ },
  { name: 'a duration over 100 years', set: ['duration=1000000h'], error: /duration: "1000000h" is over 100 years/ },
  { name: 'a timeout a brownout stretches past the clock', set: ['pipeline.processing.timeout=876000h', 'faults=[{kind: brownout, at: 1s, node: aws-east-1, factor: 1000}]'], error: /pipeline\.processing\.timeout: is over 30 days/ },
  { name: 'brownout factor 2^53 (negative or fractional delay 5e23)', set: ['faults=[{kind: brownout, at: 1s, node: aws-east-1, factor: 9007199254740992}]'], error: /faults\[0\]\.factor: is over 1000/ },
  { name: 'clock_skew drift of 2x real speed (a timer loop at one instant)', scenario: 'disk-exhaustion.yml', set: ['faults=[{kind: clock_skew, at: 1s, node: aws-east-1, drift_ppm: 1000001}]'], error: /faults\[0\]\.drift_ppm: is over 999000/ },
  { name: 'metrics bucket of 3.7us (5 million rows)', set: ['metrics.bucket=3.7us'], error: /metrics\.bucket: 4 us buckets over a 20 s run are 5000000 rows; at most 100000/ },
  { name: 'a detector heartbeat every microsecond', set: ['detector.heartbeat.interval=1us'], error: /detector\.heartbeat\.interval: must be at least 1ms/ },
  { name: 'link_flap every 2 microseconds', set: ['faults=[{kind: link_flap, at: 1s, between: [aws, gcp], period: 2us, down: 1us}]'], error: /faults\[0\]\.period: must be at least 1ms/ },
  { name: 'a jitter fault of 1000h per message', set: ['faults=[{kind: jitter, at: 1s, amount: 1000h}]'], error: /faults\[0\]\.amount: is over 1 day/ },
];

describe('scenario fuzzing: regressions (each was a crash, a hang or a memory blow-up)', () => {
  const text = (file: string) => readFileSync(join(ROOT, 'scenarios', file), 'utf8').replace(/^duration: .*$/m, '') + `\nduration: ${SHORT}\n`;
  it.each(REGRESSIONS)('$name', ({ scenario = 'baseline.yml', yaml = '', set = [], error }) => {
    let thrown: unknown;
    try {
      loadScenarioFromText(`fuzz/${scenario}`, text(scenario) + yaml, { set });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScenarioError);
    const message = (thrown as Error).message;
    expect(checkInputError(message)).toBeUndefined();
    expect(message).toMatch(error);
  });

  it('the edges of the bounds load and run: sigma, jitter, factors and drift at their limits', () => {
    const loaded = loadScenarioFromText('fuzz/baseline.yml', text('baseline.yml'), {
      set: [
        'network.same_region.latency={dist: lognormal, median: 1ms, sigma: 2.13}',
        'pipeline.processing.jitter=1.64',
        'faults=[{kind: brownout, at: 1s, duration: 2s, node: aws-east-1, factor: 1000}, {kind: latency_spike, at: 1s, duration: 2s, multiply: 1000, add: 24h}, {kind: clock_skew, at: 1s, node: aws-west-1, drift_ppm: -999000}, {kind: clock_skew, at: 1s, node: gcp-central-1, drift_ppm: 999000}, {kind: bandwidth_throttle, at: 1s, duration: 2s, factor: 0.001}]',
      ],
    });
    expect(runScenario(loaded, { seed: 1 }).summary).toBeDefined();
  });
});
