/**
 * PHOLD (Fujimoto, 1990), the standard benchmark of discrete-event
 * simulators, on Lorenz's kernel: LPS logical processes start with
 * POPULATION events each; every event, on arriving at its process, counts
 * itself there and schedules one new event to a process drawn uniformly at
 * random, after LOOKAHEAD plus an exponential delay (mean MEAN). The pending
 * set stays at LPS x POPULATION events, so the figure is the cost of one
 * event in a queue of that size with a random draw and a little state per
 * event: comparable with published PHOLD rates of other simulators when the
 * parameters match (these are printed with the result).
 */
import { performance } from 'node:perf_hooks';
import { RandomStreams } from '../src/kernel/random.js';
import { Simulator } from '../src/kernel/simulator.js';

export interface PholdOptions {
  lps?: number;
  population?: number;
  events?: number;
  /** Microseconds. */
  lookahead?: number;
  mean?: number;
  seed?: number;
}

export interface PholdResult {
  events: number;
  wallMs: number;
  /** Sum over processes of events received: equals `events` (a sanity check). */
  received: number;
  params: Required<Omit<PholdOptions, 'seed'>>;
}

export function benchPhold(opts: PholdOptions = {}): PholdResult {
  const params = { lps: opts.lps ?? 10_000, population: opts.population ?? 10, events: opts.events ?? 2_000_000, lookahead: opts.lookahead ?? 100_000, mean: opts.mean ?? 1_000_000 };
  const rng = new RandomStreams(opts.seed ?? 1).get('bench/phold');
  const sim = new Simulator();
  const received = new Float64Array(params.lps);
  let fired = 0;
  const next = (): number => params.lookahead + Math.round(rng.exponential(params.mean));
  const arrive = (lp: number): void => {
    received[lp]!++;
    sim.after(next(), arrive, rng.int(0, params.lps - 1));
    if (++fired >= params.events) sim.stop();
  };
  const t0 = performance.now();
  for (let lp = 0; lp < params.lps; lp++) for (let k = 0; k < params.population; k++) sim.after(next(), arrive, rng.int(0, params.lps - 1));
  sim.run();
  const wallMs = performance.now() - t0;
  return { events: sim.eventsRun, wallMs, received: received.reduce((a, b) => a + b, 0), params };
}
