import type { Rng } from '../kernel/index.js';
import { sampleLatency } from './latency.js';
import type { LinkSpec } from './spec.js';

/** Two-state bursty loss (Gilbert-Elliott): per message, first move between states, then drop by the state's loss. */
export interface GilbertElliott {
  /** Probability of moving from the good state to the bad one, per message. */
  pGoodToBad: number;
  /** Probability of moving from the bad state back to good, per message. */
  pBadToGood: number;
  lossGood: number;
  lossBad: number;
}

/** A fault's change to a link while it lasts. Effects stack: multipliers multiply, additions add. */
export interface LinkEffect {
  latencyMultiply?: number;
  latencyAdd?: number;
  /** Extra delay drawn uniformly in [0, jitter) per message or transfer, microseconds. */
  jitter?: number;
  /** Extra drop probability for messages, combined with the base loss. */
  loss?: number;
  /** Bursty loss for messages (at most one such effect counts: the latest). */
  burstLoss?: GilbertElliott;
  /** Probability that a message is delivered twice. */
  duplicate?: number;
  /** Probability that a message is held back by `reorderDelay`, so later ones overtake it. */
  reorder?: number;
  reorderDelay?: number;
  /** Multiplies the link's bandwidth (0.1 = throttled to a tenth). */
  bandwidthMultiply?: number;
  /** Probability that a bulk transfer started on the link aborts partway (document 000's random replica-transfer failure). */
  transferFailure?: number;
}

/**
 * A directed link between two regions, with its own random stream. Faults add
 * effects; the combined effect is recomputed when they change, so a link with
 * no effects costs one flag test per message.
 */
export class Link {
  private readonly effects = new Map<number, LinkEffect>();
  /** True while no effect beyond latency scaling is active: the fast path. */
  plain = true;
  latencyMultiply = 1;
  latencyAdd = 0;
  jitter = 0;
  loss: number;
  burstLoss: GilbertElliott | undefined;
  /** Gilbert-Elliott state: in the bad state. */
  private bad = false;
  duplicate = 0;
  reorder = 0;
  reorderDelay = 0;
  bandwidthBytesPerS: number;
  /** Probability that a bulk transfer started now aborts partway. */
  transferFailure = 0;
  private failures: Rng | undefined;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly label: string,
    readonly spec: LinkSpec,
    readonly rng: Rng,
    /** The stream that decides which transfers fail, made when first needed (its own, so failures never shift latency draws). */
    private readonly failureStream: () => Rng = () => rng,
  ) {
    this.loss = spec.loss;
    this.bandwidthBytesPerS = spec.bandwidthBytesPerS;
  }

  /** One-way delay of the next message or transfer on this link. */
  delay(): number {
    const base = sampleLatency(this.spec.latency, this.rng);
    if (this.latencyMultiply === 1 && this.latencyAdd === 0 && this.jitter === 0) return base;
    const extra = this.jitter > 0 ? this.rng.uniform(0, this.jitter) : 0;
    return Math.max(0, Math.round(base * this.latencyMultiply + this.latencyAdd + extra));
  }

  /** Whether the next small message is lost (independent and bursty loss). */
  drops(): boolean {
    if (this.burstLoss) {
      const ge = this.burstLoss;
      this.bad = this.bad ? this.rng.float() >= ge.pBadToGood : this.rng.float() < ge.pGoodToBad;
      if (this.rng.float() < (this.bad ? ge.lossBad : ge.lossGood)) return true;
    }
    return this.loss > 0 && this.rng.float() < this.loss;
  }

  /** Whether a bulk transfer starting now will abort, and after what fraction of its bytes (-1: it will not). */
  transferAbortsAt(): number {
    if (this.transferFailure === 0) return -1;
    const rng = (this.failures ??= this.failureStream());
    return rng.float() < this.transferFailure ? rng.float() : -1;
  }

  addEffect(id: number, effect: LinkEffect): void {
    this.effects.set(id, effect);
    this.recompute();
  }

  removeEffect(id: number): boolean {
    const had = this.effects.delete(id);
    if (had) this.recompute();
    return had;
  }

  private recompute(): void {
    let mult = 1;
    let add = 0;
    let jitter = 0;
    let keep = 1 - this.spec.loss;
    let bw = this.spec.bandwidthBytesPerS;
    let burst: GilbertElliott | undefined;
    let noDup = 1;
    let noReorder = 1;
    let reorderDelay = 0;
    let noFailure = 1;
    for (const e of this.effects.values()) {
      noFailure *= 1 - (e.transferFailure ?? 0);
      mult *= e.latencyMultiply ?? 1;
      add += e.latencyAdd ?? 0;
      jitter += e.jitter ?? 0;
      keep *= 1 - (e.loss ?? 0);
      bw *= e.bandwidthMultiply ?? 1;
      burst = e.burstLoss ?? burst;
      noDup *= 1 - (e.duplicate ?? 0);
      noReorder *= 1 - (e.reorder ?? 0);
      reorderDelay = Math.max(reorderDelay, e.reorderDelay ?? 0);
    }
    this.latencyMultiply = mult;
    this.latencyAdd = add;
    this.jitter = jitter;
    this.loss = 1 - keep;
    this.bandwidthBytesPerS = bw;
    if (!burst) this.bad = false;
    this.burstLoss = burst;
    this.duplicate = 1 - noDup;
    this.reorder = 1 - noReorder;
    this.reorderDelay = reorderDelay;
    this.transferFailure = 1 - noFailure;
    this.plain = !burst && this.duplicate === 0 && this.reorder === 0;
  }
}
