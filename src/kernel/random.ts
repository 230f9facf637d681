import seedrandom from 'seedrandom';

/**
 * Seeded random streams, forked by name from the run seed. A stream's values
 * depend only on (run seed, stream name), so adding a component, or drawing
 * more from one stream, never shifts any other stream. Names follow a path
 * convention: `faults`, `net/aws-east->gcp-central`, `node/aws-east-2/processing`.
 */
export class Rng {
  private readonly next: () => number;

  constructor(readonly name: string, seedText: string) {
    // Alea: fast, 2^116 period, and seedrandom's recommended non-crypto choice.
    const prng = seedrandom.alea(seedText);
    this.next = () => prng.double();
    // double() gives 53 bits, which float draws below rely on.
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Normal by Box-Muller (one draw of the pair is discarded to keep the stream stateless). */
  normal(mean: number, stddev: number): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return mean + stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal with the given median and shape sigma (of the underlying normal). */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`pick from an empty list (stream ${this.name})`);
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }
}

export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  }

  /** The stream called `name`, created on first use; the same object thereafter. */
  get(name: string): Rng {
    let rng = this.streams.get(name);
    if (!rng) {
      rng = new Rng(name, `lorenz:${this.seed}:${name}`);
      this.streams.set(name, rng);
    }
    return rng;
  }
}
