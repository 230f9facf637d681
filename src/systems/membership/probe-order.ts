import type { Rng } from '../../kernel/index.js';

/**
 * SWIM's random round-robin over the other members: each round visits every
 * other member once, in a uniformly random order. Fisher-Yates runs forwards
 * one step per probe (a uniformly drawn later member is swapped into this
 * slot), so a probe costs O(1): a full shuffle at each round's start cost a
 * draw per member, 100 million draws at boot for 10,000 nodes. The next
 * round shuffles on from this round's order, which is as random as from the
 * index order.
 *
 * Slots hold member + 1, and 0 is a slot never written, which holds its own
 * member (the i-th other member in index order): nothing is filled at boot.
 * Two bytes a slot below 65,535 members.
 */
/** The i-th member other than `self`, in index order. */
export const otherMember = (i: number, self: number): number => (i < self ? i : i + 1);

export class ProbeOrder {
  private readonly order: Uint16Array | Int32Array;
  private cursor = 0;

  /** `slots`: a zeroed table of at least size - 1 entries to shuffle in, when the caller has one (see MemberTables). */
  constructor(size: number, private readonly self: number, private readonly rng: Rng, slots?: Uint16Array) {
    const peers = Math.max(0, size - 1);
    this.order = peers < 0xffff ? (slots ?? new Uint16Array(peers)).subarray(0, peers) : new Int32Array(peers);
  }

  /** The next member to probe, skipping those `skip` rejects; undefined when every other member is skipped. */
  next(skip: (member: number) => boolean): number | undefined {
    const order = this.order;
    const peers = order.length;
    for (let tries = 0; tries < peers; tries++) {
      if (this.cursor >= peers) this.cursor = 0;
      const c = this.cursor++;
      const j = this.rng.int(c, peers - 1);
      const candidate = this.at(j);
      order[j] = this.at(c) + 1;
      order[c] = candidate + 1;
      if (!skip(candidate)) return candidate;
    }
    return undefined;
  }

  private at(slot: number): number {
    const v = this.order[slot]!;
    return v === 0 ? otherMember(slot, this.self) : v - 1;
  }
}

/**
 * A uniformly drawn other member every period (SWIM's analysis: each member
 * is a given prober's target with probability 1 / (n - 1) each period,
 * independently), skipping those `skip` rejects. Drawn by rejection; after
 * as many misses as there are members, the first acceptable member after the
 * last draw, so a cluster of mostly dead members still ends the search.
 */
export class RandomProbes {
  constructor(private readonly size: number, private readonly self: number, private readonly rng: Rng) {}

  next(skip: (member: number) => boolean): number | undefined {
    const peers = this.size - 1;
    if (peers <= 0) return undefined;
    let i = 0;
    for (let tries = 0; tries < peers; tries++) {
      i = this.rng.int(0, peers - 1);
      const candidate = otherMember(i, this.self);
      if (!skip(candidate)) return candidate;
    }
    for (let step = 1; step <= peers; step++) {
      const candidate = otherMember((i + step) % peers, this.self);
      if (!skip(candidate)) return candidate;
    }
    return undefined;
  }
}
