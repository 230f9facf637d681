import type { NodeRuntime } from '../../world/runtime.js';
import type { NodeRegistry } from '../registry.js';
import { DetectorPort, type Beat } from './messages.js';
import type { PhiAccrualOptions } from './options.js';
import { Beliefs, type Verdict } from './verdicts.js';

/**
 * phi = -log10(P(a heartbeat arrives later than `elapsed`)), with the
 * inter-arrival time taken as normal(mean + acceptablePause, max(stddev,
 * minStdDev)). The normal tail uses the logistic approximation that Akka and
 * Cassandra use, so figures can be compared with theirs.
 */
export function phi(elapsed: number, mean: number, stdDev: number): number {
  const y = (elapsed - mean) / stdDev;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  return elapsed > mean ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
}

/**
 * The exponential model Cassandra uses: P(a heartbeat arrives later than
 * `elapsed`) = e^(-elapsed / mean), so phi = elapsed / (mean × ln 10),
 * linear in the silence; the spread of the arrivals is not consulted.
 */
export const phiExponential = (elapsed: number, mean: number): number => elapsed / (mean * Math.LN10);

/** A bounded window of inter-arrival times with running sums, so mean and variance cost O(1). */
export class ArrivalWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;
  private sum = 0;
  private sumSquares = 0;

  constructor(readonly capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  add(interval: number): void {
    if (this.count === this.capacity) {
      const old = this.samples[this.next]!;
      this.sum -= old;
      this.sumSquares -= old * old;
    } else this.count++;
    this.samples[this.next] = interval;
    this.next = (this.next + 1) % this.capacity;
    this.sum += interval;
    this.sumSquares += interval * interval;
  }

  get size(): number {
    return this.count;
  }

  mean(): number {
    return this.sum / this.count;
  }

  stdDev(): number {
    const m = this.mean();
    return Math.sqrt(Math.max(0, this.sumSquares / this.count - m * m));
  }
}

/** The phi accrual failure detector (Hayashibara et al. 2004). */
export class PhiAccrualDetector {
  private readonly lastHeard: Float64Array;
  private readonly windows: ArrivalWindow[];
  private readonly heardAny: Uint8Array;
  private readonly beliefs: Beliefs;
  private readonly body: Beat = {};

  /** Only members are watched (the registry's roster); a heartbeat from a machine not yet known as one makes it one. */
  constructor(private readonly rt: NodeRuntime, private readonly peers: readonly number[], private readonly opts: PhiAccrualOptions, verdict: Verdict, size: number, private readonly registry: NodeRegistry) {
    this.beliefs = new Beliefs(registry, verdict);
    this.lastHeard = new Float64Array(size).fill(rt.monotonic());
    this.heardAny = new Uint8Array(size);
    this.windows = Array.from({ length: size }, () => new ArrivalWindow(opts.windowSize));
    rt.listen(DetectorPort.phiHeartbeat, (from) => {
      if (registry.present(from) || registry.admit(from)) this.heard(from);
    });
    // A joiner starts a fresh history, its silence measured from when it joined (its admission made it healthy).
    registry.onRosterChange((member, change) => {
      if (change !== 'joined') return;
      this.windows[member] = new ArrivalWindow(opts.windowSize);
      this.heardAny[member] = 0;
      this.lastHeard[member] = rt.monotonic();
    });
    this.beat();
    this.check();
  }

  /** Current phi of a peer (exposed for tests and reports). */
  phiOf(peer: number): number {
    const w = this.windows[peer]!;
    // Before any sample, assume the configured interval with a quarter of it as spread, as Akka does.
    const mean = (w.size > 0 ? w.mean() : this.opts.interval) + this.opts.acceptablePause;
    const elapsed = this.rt.monotonic() - this.lastHeard[peer]!;
    if (this.opts.model === 'exponential') return phiExponential(elapsed, mean);
    const std = Math.max(w.size > 1 ? w.stdDev() : this.opts.interval / 4, this.opts.minStdDev);
    return phi(elapsed, mean, std);
  }

  private heard(from: number): void {
    const now = this.rt.monotonic();
    // A peer back from the dead starts a fresh history: its outage is not an inter-arrival time.
    if (this.beliefs.get(from) === 'failed') this.windows[from] = new ArrivalWindow(this.opts.windowSize);
    else if (this.heardAny[from]) this.windows[from]!.add(now - this.lastHeard[from]!);
    this.heardAny[from] = 1;
    this.lastHeard[from] = now;
    this.beliefs.set(from, 'healthy');
  }

  private beat(): void {
    for (const peer of this.peers) if (this.registry.present(peer)) this.rt.send(peer, DetectorPort.phiHeartbeat, this.body);
    this.rt.setTimer(this.opts.interval, () => this.beat());
  }

  private check(): void {
    for (const peer of this.peers) {
      if (!this.registry.present(peer)) continue;
      const p = this.phiOf(peer);
      if (p >= this.opts.threshold) this.beliefs.set(peer, 'failed');
      else if (p >= this.opts.suspectThreshold && this.beliefs.get(peer) === 'healthy') this.beliefs.set(peer, 'suspected');
    }
    this.rt.setTimer(this.opts.checkInterval, () => this.check());
  }
}
