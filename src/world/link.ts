import type { Rng } from '../kernel/index.js';
import { sampleLatency } from './latency.js';
import type { LinkSpec } from './spec.js';

/** A fault's change to a link while it lasts. Effects stack: multipliers multiply, additions add. */
export interface LinkEffect {
  latencyMultiply?: number;
  latencyAdd?: number;
  /** Extra drop probability for messages, combined with the base loss. */
  loss?: number;
  /** Multiplies the link's bandwidth (0.1 = throttled to a tenth). */
  bandwidthMultiply?: number;
}

/** A directed link between two regions, with its own random stream. */
export class Link {
  private readonly effects = new Map<number, LinkEffect>();
  latencyMultiply = 1;
  latencyAdd = 0;
  loss: number;
  bandwidthBytesPerS: number;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly label: string,
    readonly spec: LinkSpec,
    readonly rng: Rng,
  ) {
    this.loss = spec.loss;
    this.bandwidthBytesPerS = spec.bandwidthBytesPerS;
  }

  /** One-way delay of the next message or transfer on this link. */
  delay(): number {
    const base = sampleLatency(this.spec.latency, this.rng);
    if (this.latencyMultiply === 1 && this.latencyAdd === 0) return base;
    return Math.max(0, Math.round(base * this.latencyMultiply + this.latencyAdd));
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
    let keep = 1 - this.spec.loss;
    let bw = this.spec.bandwidthBytesPerS;
    for (const e of this.effects.values()) {
      mult *= e.latencyMultiply ?? 1;
      add += e.latencyAdd ?? 0;
      keep *= 1 - (e.loss ?? 0);
      bw *= e.bandwidthMultiply ?? 1;
    }
    this.latencyMultiply = mult;
    this.latencyAdd = add;
    this.loss = 1 - keep;
    this.bandwidthBytesPerS = bw;
  }
}
