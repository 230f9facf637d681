/**
 * Kernel benchmark: PROCS processes, each re-arming an exponential(mean 1 s)
 * timer, until EVENTS events have fired on the real Simulator.
 *
 * Each process is the same stable handler with its index as the argument, so
 * scheduling allocates no closure per event. Every fired event re-arms its
 * process (the last one too), so the queue sees exactly EVENTS pops and
 * PROCS + EVENTS pushes — the same shape as the ceiling in heap-ceiling.ts.
 */
import { performance } from 'node:perf_hooks';
import { RandomStreams } from '../src/kernel/random.js';
import { Simulator } from '../src/kernel/simulator.js';

export interface KernelOptions {
  procs?: number;
  events?: number;
  seed?: number;
}

export interface KernelResult {
  events: number;
  wallMs: number;
  /** Simulated time reached, for a determinism sanity check across runs. */
  simTime: number;
}

const MEAN_US = 1_000_000;

export function benchKernel(opts: KernelOptions = {}): KernelResult {
  const procs = opts.procs ?? 1_000;
  const total = opts.events ?? 2_000_000;
  const rng = new RandomStreams(opts.seed ?? 1).get('bench/kernel');
  const sim = new Simulator();
  let fired = 0;

  const handler = (proc: number): void => {
    sim.after(Math.round(rng.exponential(MEAN_US)), handler, proc);
    if (++fired >= total) sim.stop();
  };

  const t0 = performance.now();
  for (let i = 0; i < procs; i++) sim.after(Math.round(rng.exponential(MEAN_US)), handler, i);
  sim.run();
  const wallMs = performance.now() - t0;
  return { events: sim.eventsRun, wallMs, simTime: sim.now };
}
