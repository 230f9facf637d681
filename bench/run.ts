/**
 * `npm run bench`: runs each benchmark after one warm-up, REPS times, and
 * prints the median (and every run) plus ratios of medians from this same
 * invocation. Prints figures only; it asserts nothing.
 *
 * Benchmarks are interleaved round by round (kernel, ceilings, network, then
 * again), so slow drift of the machine affects all of them alike.
 *
 * Options: --reps=N (default 5), --only=kernel,ceiling,network,sweep,at-rest,soak,scale,flat
 * (at-rest, the memory each stored chunk costs, runs --at-rest-runs times
 * (default 3, some 15 s each, each in a process of its own) and prints the
 * median; soak, a simulated week advanced day by day with the heap after
 * each day, scale, the whole system from 100 to 1,000 nodes and 10 to
 * 40 simulated minutes, and flat, one load for 1, 6 and 24 simulated hours
 * with each process's peak RSS, run only when named: they take minutes; --scale-grid=full runs
 * the 100 / 1,000 / 10,000 nodes by 1 / 6 / 24 hours grid, which takes hours)
 *
 * The sweep section (npm run sweep against a shell loop of npm run sim) runs
 * once, after the others: it takes minutes and measures whole processes.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCeilingPrecomputed, benchCeilingRng } from './heap-ceiling.js';
import { benchKernel } from './kernel.js';
import { benchNetwork } from './network.js';
import { benchPhold } from './phold.js';
import { benchScalePoint, growthExponent, SCALE_GRIDS, stepExponents, type ScalePoint } from './scale.js';
import { benchSoak } from './soak.js';
import { benchFlatPoint } from './flat.js';
import type { AtRestResult } from './at-rest.js';
import { benchSweep } from './sweep.js';
import { paceGarbageCollection } from '../src/cli/heap-policy.js';

interface Sample {
  count: number;
  wallMs: number;
  /** Simulator events, when they differ from `count`. */
  events?: number;
}

interface Bench {
  key: string;
  group: string;
  label: string;
  unit: string;
  run: () => Sample;
  /** Printed when a run's count differs from what the workload implies. */
  check?: (s: Sample) => string | undefined;
}

/** `--reps=2` or `--reps 2`, `--only=a,b` or `--only a,b`. */
// The bench measures what the commands run: with their garbage-collection pacing.
paceGarbageCollection();
/** A flag the bench cannot use: a one-line message naming it, exit 2 (no stack trace). */
function badFlag(message: string): never {
  console.error(`npm run bench: ${message}`);
  process.exit(2);
}
const args = (() => {
  try {
    return parseArgs({ args: process.argv.slice(2), options: { reps: { type: 'string' }, only: { type: 'string' }, 'scale-grid': { type: 'string' }, 'at-rest-runs': { type: 'string' } } }).values;
  } catch (e) {
    return badFlag(`${(e as Error).message} (flags: --reps=N, --only=a,b, --scale-grid=quick|full, --at-rest-runs=N)`);
  }
})();
/** A count flag: a whole number of at least 1. */
function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) badFlag(`--${flag} must be a whole number of at least 1, got '${value}'`);
  return n;
}
const REPS = count('reps', args.reps, 5);
const AT_REST_RUNS = count('at-rest-runs', args['at-rest-runs'], 3);
const only = args.only?.split(',');
if (args['scale-grid'] !== undefined && args['scale-grid'] !== 'quick' && args['scale-grid'] !== 'full') badFlag(`--scale-grid must be quick or full, got '${args['scale-grid']}'`);

const KERNEL_EVENTS = 2_000_000;
const PROCS = 1_000;
let networkExpected = 0;

const benches: Bench[] = [
  {
    key: 'kernel',
    group: 'kernel',
    label: `kernel (${PROCS} procs, ${KERNEL_EVENTS / 1e6}M events)`,
    unit: 'events/s',
    run: () => {
      const r = benchKernel({ procs: PROCS, events: KERNEL_EVENTS });
      return { count: r.events, wallMs: r.wallMs };
    },
    check: (s) => (s.count === KERNEL_EVENTS ? undefined : `ran ${s.count} events, expected ${KERNEL_EVENTS}`),
  },
  {
    key: 'ceilRng',
    group: 'ceiling',
    label: 'ceiling: bare heap + rng',
    unit: 'ops/s',
    run: () => {
      const r = benchCeilingRng({ procs: PROCS, events: KERNEL_EVENTS });
      return { count: r.events, wallMs: r.wallMs };
    },
  },
  {
    key: 'ceilPre',
    group: 'ceiling',
    label: 'ceiling: bare heap, precomputed draws',
    unit: 'ops/s',
    run: () => {
      const r = benchCeilingPrecomputed({ procs: PROCS, events: KERNEL_EVENTS });
      return { count: r.events, wallMs: r.wallMs };
    },
  },
  {
    key: 'phold',
    group: 'kernel',
    label: 'PHOLD (10k LPs x 10 events, 2M events)',
    unit: 'events/s',
    run: () => {
      const r = benchPhold();
      return { count: r.events, wallMs: r.wallMs };
    },
    check: (s) => (s.count === KERNEL_EVENTS ? undefined : `ran ${s.count} events, expected ${KERNEL_EVENTS}`),
  },
  {
    key: 'network',
    group: 'network',
    label: 'network (200 nodes, 60 s, 2.39M msgs)',
    unit: 'msgs/s',
    run: () => {
      const r = benchNetwork();
      networkExpected = r.expected;
      return { count: r.messages, wallMs: r.wallMs, events: r.events };
    },
    check: (s) => (s.count === networkExpected ? undefined : `delivered ${s.count} messages, expected ${networkExpected}`),
  },
];

const selected = benches.filter((b) => !only || only.includes(b.group) || only.includes(b.key));
const known = [...new Set([...benches.flatMap((b) => [b.group, b.key]), 'sweep', 'at-rest', 'soak', 'scale', 'flat'])];
for (const name of only ?? []) if (!known.includes(name)) badFlag(`--only: no benchmark '${name}' (known: ${known.join(', ')})`);
const withSweep = !only || only.includes('sweep');
const withSoak = only?.includes('soak') ?? false;
const withScale = only?.includes('scale') ?? false;
const withFlat = only?.includes('flat') ?? false;
const withAtRest = !only || only.includes('at-rest');

const median = (xs: number[]): number => {
  const a = [...xs].sort((x, y) => x - y);
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
};
const fmtRate = (r: number): string => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(1)} k`);
const fmtM = (r: number): string => (r / 1e6).toFixed(2);

console.log(`Lorenz bench — node ${process.version} (${process.platform}/${process.arch}), ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}`);
console.log(`figures are medians of ${REPS} runs after 1 warm-up (benchmarks interleaved round by round); rates per wall-clock second; M = 10^6`);
console.log('');

const samples = new Map<string, Sample[]>(selected.map((b) => [b.key, []]));
const warnings: string[] = [];
const started = performance.now();

for (let round = 0; round <= REPS; round++) {
  for (const b of selected) {
    const s = b.run();
    const problem = b.check?.(s);
    if (problem) warnings.push(`${b.key} round ${round}: ${problem}`);
    if (round > 0) samples.get(b.key)!.push(s); // round 0 is the warm-up
  }
}

const rates = new Map<string, number>();
const SWEEP_LABEL_WIDTH = 44;
const width = Math.max(withSweep || withSoak || withScale || withFlat ? SWEEP_LABEL_WIDTH : 0, ...selected.map((b) => b.label.length)) + 2;
const line = (label: string, value: string, rest = ''): void => console.log(`  ${label.padEnd(width)}${value.padStart(17)}  ${rest}`);
for (const b of selected) {
  const ss = samples.get(b.key)!;
  const runRates = ss.map((s) => s.count / (s.wallMs / 1000));
  const med = median(runRates);
  rates.set(b.key, med);
  const ms = median(ss.map((s) => s.wallMs));
  line(b.label, `${fmtRate(med)} ${b.unit.padEnd(8)}`, `${ms.toFixed(0).padStart(4)} ms/run   (runs, M/s: ${runRates.map(fmtM).join(' ')})`);
  if (ss[0]?.events !== undefined) {
    const evRates = ss.map((s) => s.events! / (s.wallMs / 1000));
    const evMed = median(evRates);
    rates.set(`${b.key}Events`, evMed);
    line('  same runs, simulator events', `${fmtRate(evMed)} ${'events/s'.padEnd(8)}`, `${ss[0].events} events per run (deliveries + timer ticks)`);
  }
}

/** Ratio of medians, and the median of the per-round ratios (robust to load that hits one round). */
const ratio = (a: string, b: string, label: string, note = ''): void => {
  const x = rates.get(a);
  const y = rates.get(b);
  if (x === undefined || y === undefined) return;
  const sa = samples.get(a)!;
  const sb = samples.get(b)!;
  const perRound = median(sa.map((s, i) => (s.count / s.wallMs) / (sb[i]!.count / sb[i]!.wallMs)));
  line(label, (x / y).toFixed(2) + ' '.repeat(9), `per-round median ${perRound.toFixed(2)}${note ? `; ${note}` : ''}`);
};
if (selected.length > 0) {
  console.log('');
  console.log('  ratios (of the medians above)');
  ratio('kernel', 'ceilRng', 'kernel / ceiling(heap + rng)', 'target >= 0.8');
  ratio('kernel', 'ceilPre', 'kernel / ceiling(heap only)', 'kernel still pays for its draws here');
  ratio('ceilRng', 'ceilPre', 'ceiling(heap + rng) / (heap only)', 'cost of the rng on the ceiling');
  ratio('phold', 'kernel', 'PHOLD / kernel', 'a 100k-event queue and a random target per event');
  const net = samples.get('network');
  const kern = samples.get('kernel');
  if (net?.length && kern?.length) {
    // The floor under any event of the whole system: a message sent through the world's network to a handler that only counts it.
    const perRound = median(net.map((s, i) => (s.events! / s.wallMs) / (kern[i]!.count / kern[i]!.wallMs)));
    line('network events / kernel', (rates.get('networkEvents')! / rates.get('kernel')!).toFixed(2) + ' '.repeat(9), `per-round median ${perRound.toFixed(2)}; a delivery to a handler that only counts it`);
  }
  if (rates.has('network')) {
    const r = rates.get('network')!;
    line('network msgs/s / 1.0 M target', (r / 1e6).toFixed(2) + ' '.repeat(9), r >= 1e6 ? 'target met' : 'target NOT met');
  }
}
if (withSweep) {
  const o = { scenario: 'scenarios/raft-leader-crash.yml', set: ['duration=60s'], seeds: 200, workers: 2, simSamples: 5, simulatedS: 60 };
  const r = benchSweep(o);
  const simEach = median(r.simWallS);
  console.log('');
  console.log(`  sweep (once): ${o.seeds} seeds of ${o.scenario} --set ${o.set.join(' --set ')}, ${o.workers} workers`);
  line('npm run sweep, seeds', `${(o.seeds / r.sweepWallS).toFixed(2)} seeds/s `, `${r.sweepWallS.toFixed(1)} s wall for ${o.seeds} seeds`);
  line('npm run sweep, simulated time', `${((o.seeds * o.simulatedS) / r.sweepWallS).toFixed(0)} sim-s/s  `, `${o.simulatedS} s simulated per seed`);
  line(`shell loop of npm run sim (est. from ${o.simSamples})`, `${(1 / simEach).toFixed(2)} seeds/s `,
    `median ${simEach.toFixed(2)} s per invocation (runs: ${r.simWallS.map((x) => x.toFixed(2)).join(' ')}); ${o.seeds} seeds ~ ${(o.seeds * simEach).toFixed(0)} s one at a time, ~ ${((o.seeds * simEach) / o.workers).toFixed(0)} s ${o.workers} at a time`);
  line('sweep / shell loop', `${((o.seeds * simEach) / r.sweepWallS).toFixed(2)}${' '.repeat(9)}`, `against ${o.workers} loops side by side: ${((o.seeds * simEach) / o.workers / r.sweepWallS).toFixed(2)}`);
}
if (withSoak) {
  const r = benchSoak(7);
  const first = r.heapMiB[0]!;
  const last = r.heapMiB[r.heapMiB.length - 1]!;
  console.log('');
  console.log(`  soak (once): scenarios/nemesis-soak.yml for 7 simulated days of chaos, ${(r.events / 1e6).toFixed(1)} M events in ${r.wallS.toFixed(1)} s${r.gcExposed ? '' : ' (no --expose-gc: heap figures include garbage)'}`);
  line('heap after each simulated day, MiB', r.heapMiB.map((h) => h.toFixed(1)).join(' '));
  line('heap, last day / first day', `${(last / first).toFixed(2)}${' '.repeat(9)}`, last / first <= 1.2 ? 'flat within 20 %: target met' : 'grows more than 20 %: target NOT met');
}
if (withFlat) {
  const points = [1, 6, 24].map((h) => benchFlatPoint(h));
  const [hour, , day] = points;
  console.log('');
  console.log('  memory in simulated time (once each): bench/fixed-load.yml, 300 nodes at a fixed load, seed 42, one npm run sim process per point');
  for (const p of points) line(`${p.hours} simulated h: peak RSS, CPU`, `${p.peakRssMiB.toFixed(0)} MiB   `, `${p.cpuS.toFixed(1)} s CPU, ${p.wallS.toFixed(1)} s wall`);
  const ratio = day!.peakRssMiB / hour!.peakRssMiB;
  line('peak RSS, day / hour', `${ratio.toFixed(2)}${' '.repeat(9)}`, ratio <= 1.5 ? 'within 1.5x: target met' : 'more than 1.5x: target NOT met');
}
if (withAtRest) {
  // Several runs, the median printed: the figure is a difference of two heap measurements that vary by about
  // 1 MiB from run to run of the same code, some 90 bytes a chunk. Each run in a fresh process (at-rest-child.ts),
  // with this one's flags (tsx's loader, --expose-gc).
  const child = fileURLToPath(new URL('./at-rest-child.ts', import.meta.url));
  const atRest = (): AtRestResult => JSON.parse(execFileSync(process.execPath, [...process.execArgv, child], { encoding: 'utf8' })) as AtRestResult;
  const runs = Array.from({ length: AT_REST_RUNS }, atRest);
  const byChunk = (i: number): number => runs[i]!.bytesPerChunk;
  const mid = [...runs.keys()].sort((a, b) => byChunk(a) - byChunk(b))[(runs.length - 1) >> 1]!;
  const r = runs[mid]!;
  console.log('');
  console.log(`  data at rest (median of ${runs.length} runs): 100 nodes, 10 TB in 100 MB chunks, 3 replicas; live heap + array buffers after a full GC${r.gcExposed ? '' : ' (no --expose-gc: figures include garbage)'}`);
  line('live memory at 1 h and 2 h, MiB', `${r.liveMiB[0].toFixed(1)} ${r.liveMiB[1].toFixed(1)}`, `${r.chunks} chunks acknowledged in the second hour`);
  line('memory per chunk stored', `${r.bytesPerChunk.toFixed(0)} bytes  `, `a million chunks (100 TB): ~${((r.bytesPerChunk * 1e6) / 2 ** 20).toFixed(0)} MiB; runs: ${runs.map((x) => x.bytesPerChunk.toFixed(0)).join(' ')}`);
  const cpu = (h: 0 | 1): number => median(runs.map((x) => x.cpuS[h]));
  line('CPU of the first and the second hour', `${cpu(0).toFixed(1)} ${cpu(1).toFixed(1)} s`, `second / first ${(cpu(1) / cpu(0)).toFixed(2)} (it holds twice the data)`);
}
if (withScale) {
  const gridName = (args['scale-grid'] ?? 'quick') as keyof typeof SCALE_GRIDS;
  const grid = SCALE_GRIDS[gridName];
  console.log('');
  console.log(`  scale (once each, ${gridName} grid): scenarios/scale-1k-day.yml resized, seed 42`);
  const show = (p: ScalePoint): void =>
    line(`${p.nodes} nodes x ${p.simulatedS / 60} min`, `${fmtRate(p.events / p.cpuS)} events/s`,
      `${p.wallS.toFixed(1)} s wall, ${p.cpuS.toFixed(1)} s CPU, ${(p.simulatedS / p.wallS).toFixed(1)} sim-s/s, ${((p.cpuS * 3600 * 1000) / (p.nodes * p.simulatedS)).toFixed(2)} CPU ms per node-hour, ${(p.events / p.nodes / p.simulatedS).toFixed(2)} events per node-s, peak heap + buffers ${p.peakMemMiB.toFixed(0)} MiB`);
  // A point run and thrown away first: the first point measured cold cost nearly twice what it did warm.
  benchScalePoint(grid.nodes[0], 120);
  const byNodes = grid.nodes.map((n) => benchScalePoint(n, grid.nodesAtS));
  byNodes.forEach(show);
  const byTime = grid.hours.map((t) => benchScalePoint(grid.hoursAtNodes, t));
  byTime.forEach(show);
  const exponent = (label: string, xs: number[], ys: number[], target: string): void => {
    const steps = stepExponents(xs, ys).map((e) => e.toFixed(2)).join(', ');
    line(label, `${growthExponent(xs, ys).toFixed(2)}${' '.repeat(9)}`, `${target}; step by step ${steps}`);
  };
  exponent('growth exponent of CPU time in nodes', byNodes.map((p) => p.nodes), byNodes.map((p) => p.cpuS), 'target 1.0 - 1.2');
  exponent('growth exponent of CPU time in sim. time', byTime.map((p) => p.simulatedS), byTime.map((p) => p.cpuS), 'target 1.0 - 1.2');
  exponent('growth exponent of peak memory in sim. time', byTime.map((p) => p.simulatedS), byTime.map((p) => p.peakMemMiB), 'flat memory: 0');
  const kernel = rates.get('kernel');
  const biggest = byNodes[byNodes.length - 1]!;
  if (kernel) line('whole system / kernel events/s', `${(biggest.events / biggest.cpuS / kernel).toFixed(2)}${' '.repeat(9)}`, `at ${biggest.nodes} nodes; target >= 0.5`);
  const floor = rates.get('networkEvents');
  if (floor) {
    line('whole system / network events/s', `${(biggest.events / biggest.cpuS / floor).toFixed(2)}${' '.repeat(9)}`, `at ${biggest.nodes} nodes; what protocol work costs on top of delivering a message`);
  }
}
console.log('');
for (const w of warnings) console.log(`  warning: ${w}`);
console.log(`  total bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
