/**
 * The whole system at scale: scenarios/scale-1k-day.yml (SWIM at 1 s, a
 * 5-member Raft group with a client, the pipeline, nemesis chaos) resized to
 * N nodes (every region scaled alike) and cut to a simulated horizon, run in
 * this process. Each point reports whole-system events/s, simulated seconds
 * per wall second, the CPU time per simulated node-hour and the peak memory
 * (the JS heap plus array buffers, sampled every simulated minute, garbage
 * included: the membership tables, the columns and the event queue are typed
 * arrays, outside the JS heap). The curve's growth
 * exponents (least squares on log-log) say whether the cost is linear in
 * nodes and in simulated time: 1.0 is linear. The exponents use CPU time,
 * which other load on the machine disturbs far less than wall time.
 *
 * The load is the scenario's own (10 TB offered at the pipeline's 400 MB/s,
 * so the pipeline is busy the whole time at any size), with its chaos from
 * the first minute to the end; only nodes and the horizon change.
 */
import { performance } from 'node:perf_hooks';
import { loadScenario, ScenarioRun } from '../src/run/index.js';

const SCENARIO = 'scenarios/scale-1k-day.yml';
/** The scenario's regions and their sizes at 1,000 nodes. */
const REGIONS: Array<[cloud: string, region: string, nodes: number]> = [
  ['aws', 'aws-east', 200], ['aws', 'aws-west', 150], ['gcp', 'gcp-central', 200], ['gcp', 'gcp-west', 100], ['azure', 'azure-east', 200], ['azure', 'azure-west', 150],
];

export interface ScalePoint {
  nodes: number;
  simulatedS: number;
  events: number;
  wallS: number;
  /** CPU time of this process over the run: robust to other load on the machine, unlike wall time. */
  cpuS: number;
  /** JS heap plus array buffers: most of the state at scale is typed arrays, which the heap figure alone leaves out. */
  peakMemMiB: number;
}

export function benchScalePoint(nodes: number, simulatedS: number, seed = 42): ScalePoint {
  const set = REGIONS.map(([cloud, region, n]) => `topology.clouds.${cloud}.regions.${region}.nodes=${Math.max(3, Math.round((n * nodes) / 1000))}`);
  // Chaos from the first minute to the end, so every point has the same share of it (the scenario's own quiet first minutes and last hour would not scale with the horizon).
  set.push(`duration=${simulatedS}s`, 'nemesis.start=60s', `nemesis.stop=${simulatedS}s`);
  // The previous point's garbage is not this point's memory (it showed as 268 MiB of heap for a 1,000-node hour after the 10,000-node one, 89 before it).
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const run = new ScenarioRun(loadScenario(SCENARIO, { set }), { seed });
  let peak = 0;
  for (let t = 60; ; t = Math.min(simulatedS, t + 60)) {
    run.advance(t * 1e6);
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
    if (t >= simulatedS) break;
  }
  run.finish();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const actualNodes = set.slice(0, REGIONS.length).reduce((sum, s) => sum + Number(s.split('=')[1]), 0);
  return { nodes: actualNodes, simulatedS, events: run.events, wallS, cpuS, peakMemMiB: peak / 2 ** 20 };
}

/** The slope of log(y) on log(x) between each pair of neighbouring points: where the growth is, which one fit over the grid hides. */
export function stepExponents(xs: number[], ys: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < xs.length; i++) out.push(Math.log(ys[i]! / ys[i - 1]!) / Math.log(xs[i]! / xs[i - 1]!));
  return out;
}

/** Least-squares slope of log(y) on log(x): the growth exponent. */
export function growthExponent(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}

/** The grids: `quick` fits a bench run (a few minutes); `full` is the grid (hours). */
export const SCALE_GRIDS = {
  quick: { nodes: [100, 300, 1000], nodesAtS: 600, hours: [600, 1200, 2400], hoursAtNodes: 300 },
  full: { nodes: [100, 1000, 10_000], nodesAtS: 3600, hours: [3600, 6 * 3600, 24 * 3600], hoursAtNodes: 1000 },
} as const;
