import { IntMap, type EventId, type SimTime, type Simulator } from '../kernel/index.js';
import type { TimerSet } from './runtime.js';
import type { TraceSink } from './trace.js';

/** What timers need of a node (a `SimNode`; named here so this file does not import node.ts, which imports it). */
export interface TimedNode {
  readonly index: number;
  readonly up: boolean;
  readonly incarnation: number;
  readonly paused: boolean;
  readonly held: Array<() => void>;
  readonly cpuSlowdown: number;
  readonly clock: { readonly driftPpm: number };
}

/** A delay on a node's local clock as simulated time: a drifting clock and a slowed CPU stretch it. */
export function localDelayInSim(node: TimedNode, delay: SimTime): SimTime {
  const simDelay = node.cpuSlowdown === 1 && node.clock.driftPpm === 0 ? delay : (delay * node.cpuSlowdown) / (1 + node.clock.driftPpm / 1e6);
  return Math.max(0, Math.round(simDelay));
}

/**
 * `NodeRuntime.timerSet`: timers named by integer keys, at most one per key,
 * kept in typed arrays of their own; the kernel holds only the earliest.
 * A component that holds thousands of timers at once (SWIM's suspicions:
 * after a partition into halves each node suspects every member on the
 * other side) pays 28 bytes a timer in the heap here (its arrays double
 * as they fill and halve once an eighth full, so a burst's memory comes
 * back), and its key's entry in an `IntMap`, instead of a closure, a pending-timer record, a
 * kernel slot and a `Map` entry.
 *
 * Sets pay where timers are many at once; for a timer or two re-armed every
 * period, `setTimer` is as cheap or cheaper (SWIM's period, ping timeouts
 * and relays' expiry in sets made its ten-minute run of 1,000 nodes slower:
 * docs/performance.md).
 *
 * Each timer runs when, and in the same-instant order in which, a
 * `setTimer` made at the moment of `arm` would have: its deadline is
 * stretched by the node's clock and CPU at arming, and its place in the
 * kernel's same-instant order is reserved at arming (`reservePlace`), so the
 * kernel runs it exactly where the plain timer would have run. Like plain
 * timers, it belongs to the node's life at creation (after a crash it does
 * nothing), waits while the node is paused and can be cancelled until it
 * runs. Cancelled timers stay in the heap until they reach its top, so the
 * kernel never sees them.
 */
export class KeyedTimers implements TimerSet {
  private times = new Float64Array(16);
  private places = new Float64Array(16);
  private keys = new Int32Array(16);
  private data = new Float64Array(16);
  private size = 0;
  /** The place of each key's armed timer: a heap entry is live only while its key maps to its place. */
  private readonly live = new IntMap();
  /** The kernel event for the heap's top, and its place (-1: none scheduled). */
  private headEvent: EventId = -1;
  private headPlace = -1;
  private readonly incarnation: number;

  constructor(
    private readonly sim: Simulator,
    private readonly node: TimedNode,
    private readonly trace: TraceSink,
    private readonly fire: (key: number, data: number) => void,
  ) {
    this.incarnation = node.incarnation;
  }

  arm(key: number, delay: SimTime, data = 0): void {
    const at = this.sim.now + localDelayInSim(this.node, delay);
    const place = this.sim.reservePlace();
    // The key's earlier timer, if any, is dead from here: its entry no longer matches the index.
    const replaced = this.live.replace(key, place);
    this.push(at, place, key, data);
    if (replaced !== undefined && replaced === this.headPlace && this.headEvent !== -1) this.dropCancelledTop();
    if (this.places[0] === this.headPlace && this.headEvent !== -1) return; // the kernel already holds the earliest
    if (this.headEvent !== -1) this.sim.cancel(this.headEvent);
    this.schedule();
  }

  cancel(key: number): void {
    const place = this.live.take(key);
    if (place === undefined) return;
    if (place !== this.headPlace || this.headEvent === -1) return;
    this.sim.cancel(this.headEvent);
    this.headEvent = -1;
    this.dropCancelledTop();
    this.schedule();
  }

  has(key: number): boolean {
    return this.live.has(key);
  }

  /** Hands the kernel the heap's top, if any. */
  private schedule(): void {
    if (this.size === 0) {
      this.headEvent = -1;
      this.headPlace = -1;
      return;
    }
    this.headPlace = this.places[0]!;
    this.headEvent = this.sim.atPlace(this.times[0]!, this.headPlace, runHead, this);
  }

  /** The kernel reached the top timer: the next one is handed over before this one runs, as the kernel would already hold it. */
  onHead(): void {
    const key = this.keys[0]!;
    const place = this.places[0]!;
    const data = this.data[0]!;
    this.pop();
    this.dropCancelledTop();
    this.schedule();
    this.run(key, place, data);
  }

  private run(key: number, place: number, data: number): void {
    const node = this.node;
    if (!node.up || node.incarnation !== this.incarnation) return;
    // Fell due while frozen: it waits for the resume, and can still be cancelled (or re-armed) until it runs.
    if (node.paused) return void node.held.push(() => this.run(key, place, data));
    if (this.live.get(key) !== place) return;
    this.live.delete(key);
    if (this.trace.tracer) this.trace.tracer('timer', node.index, '');
    this.fire(key, data);
  }

  private dropCancelledTop(): void {
    while (this.size > 0 && this.live.get(this.keys[0]!) !== this.places[0]) this.pop();
  }

  // --- the heap, ordered by (deadline, place) -------------------------------

  private before(i: number, time: number, place: number): boolean {
    const t = this.times[i]!;
    return t < time || (t === time && this.places[i]! < place);
  }

  private push(time: number, place: number, key: number, data: number): void {
    if (this.size === this.times.length) this.resize(this.times.length * 2);
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (this.before(parent, time, place)) break;
      this.move(parent, pos);
      pos = parent;
    }
    this.put(pos, time, place, key, data);
  }

  private pop(): void {
    const last = --this.size;
    // Give back what a burst of timers took (a partition's suspicions), once the set is an eighth full.
    if (last * 8 < this.times.length && this.times.length > 16) this.resize(this.times.length / 2);
    if (last === 0) return;
    const time = this.times[last]!, place = this.places[last]!, key = this.keys[last]!, data = this.data[last]!;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= last) break;
      if (child + 1 < last && this.before(child + 1, this.times[child]!, this.places[child]!)) child++;
      if (!this.before(child, time, place)) break;
      this.move(child, pos);
      pos = child;
    }
    this.put(pos, time, place, key, data);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.places[to] = this.places[from]!;
    this.keys[to] = this.keys[from]!;
    this.data[to] = this.data[from]!;
  }

  private put(pos: number, time: number, place: number, key: number, data: number): void {
    this.times[pos] = time;
    this.places[pos] = place;
    this.keys[pos] = key;
    this.data[pos] = data;
  }

  /** Copies the heap's entries (the first `size + 1`: pop shrinks before it moves the last entry) into arrays of `cap`. */
  private resize(cap: number): void {
    const n = Math.min(this.size + 1, cap);
    const t = new Float64Array(cap); t.set(this.times.subarray(0, n)); this.times = t;
    const p = new Float64Array(cap); p.set(this.places.subarray(0, n)); this.places = p;
    const k = new Int32Array(cap); k.set(this.keys.subarray(0, n)); this.keys = k;
    const d = new Float64Array(cap); d.set(this.data.subarray(0, n)); this.data = d;
  }
}

const runHead = (timers: KeyedTimers): void => timers.onHead();
