/**
 * Ceiling for the kernel benchmark: the same workload on a bare typed-array
 * binary min-heap keyed by (time, seq) — Float64Array times and sequence
 * numbers, no handlers, no payload slots, no id generations, no validation.
 *
 * Workload shape matches kernel.ts: PROCS initial entries, then EVENTS times
 * pop the minimum and push (popped time + round(exponential(1 s))). Pop and
 * push are kept separate (no replace-top shortcut), as the kernel does them.
 *
 * Two variants:
 *  - 'rng':         draws come from the same kind of Rng as the kernel uses,
 *                   so both sides pay for the random numbers;
 *  - 'precomputed': all draws are made into a Float64Array before the clock
 *                   starts, so the figure is the heap alone.
 */
import { performance } from 'node:perf_hooks';
import { RandomStreams } from '../src/kernel/random.js';

export interface CeilingOptions {
  procs?: number;
  events?: number;
  seed?: number;
}

export interface CeilingResult {
  events: number;
  wallMs: number;
  /** Time of the last popped entry, for a sanity check. */
  lastTime: number;
}

const MEAN_US = 1_000_000;

/** Minimal binary min-heap on (time, seq). */
export class BareHeap {
  private t: Float64Array;
  private s: Float64Array;
  size = 0;
  private nextSeq = 0;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.s = new Float64Array(capacity);
  }

  push(time: number): void {
    const t = this.t, s = this.s;
    const seq = this.nextSeq++;
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = t[parent]!;
      if (pt < time || (pt === time && s[parent]! < seq)) break;
      t[pos] = pt;
      s[pos] = s[parent]!;
      pos = parent;
    }
    t[pos] = time;
    s[pos] = seq;
  }

  /** Removes the minimum and returns its time (heap must be non-empty). */
  pop(): number {
    const t = this.t, s = this.s;
    const top = t[0]!;
    const n = --this.size;
    if (n > 0) {
      const time = t[n]!;
      const seq = s[n]!;
      let pos = 0;
      for (;;) {
        let child = 2 * pos + 1;
        if (child >= n) break;
        let ct = t[child]!;
        let cs = s[child]!;
        const right = child + 1;
        if (right < n) {
          const rt = t[right]!;
          const rs = s[right]!;
          if (rt < ct || (rt === ct && rs < cs)) {
            child = right;
            ct = rt;
            cs = rs;
          }
        }
        if (time < ct || (time === ct && seq < cs)) break;
        t[pos] = ct;
        s[pos] = cs;
        pos = child;
      }
      t[pos] = time;
      s[pos] = seq;
    }
    return top;
  }
}

/** Heap + live Rng draws. */
export function benchCeilingRng(opts: CeilingOptions = {}): CeilingResult {
  const procs = opts.procs ?? 1_000;
  const total = opts.events ?? 2_000_000;
  const rng = new RandomStreams(opts.seed ?? 1).get('bench/kernel');
  const heap = new BareHeap(procs + 1);

  const t0 = performance.now();
  for (let i = 0; i < procs; i++) heap.push(Math.round(rng.exponential(MEAN_US)));
  let now = 0;
  for (let k = 0; k < total; k++) {
    now = heap.pop();
    heap.push(now + Math.round(rng.exponential(MEAN_US)));
  }
  const wallMs = performance.now() - t0;
  return { events: total, wallMs, lastTime: now };
}

/** Heap only: every draw is made before the clock starts. */
export function benchCeilingPrecomputed(opts: CeilingOptions = {}): CeilingResult {
  const procs = opts.procs ?? 1_000;
  const total = opts.events ?? 2_000_000;
  const rng = new RandomStreams(opts.seed ?? 1).get('bench/kernel');
  const draws = new Float64Array(procs + total);
  for (let i = 0; i < draws.length; i++) draws[i] = Math.round(rng.exponential(MEAN_US));
  const heap = new BareHeap(procs + 1);

  const t0 = performance.now();
  for (let i = 0; i < procs; i++) heap.push(draws[i]!);
  let now = 0;
  for (let k = 0; k < total; k++) {
    now = heap.pop();
    heap.push(now + draws[procs + k]!);
  }
  const wallMs = performance.now() - t0;
  return { events: total, wallMs, lastTime: now };
}
