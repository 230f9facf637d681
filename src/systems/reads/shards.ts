import type { NodeRegistry } from '../registry.js';

/** A 32-bit mix of two integers (murmur3's finaliser over their combination): stable, spread, the same everywhere. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The metadata shard of a chunk: a hash of its id over `shards` (document 002's consistent hashing). */
export const shardOf = (chunk: number, shards: number): number => mix(chunk, 0x5eed) % shards;

/**
 * Who owns each metadata shard, as one node's membership view sees it:
 * rendezvous hashing (the member with the highest hash of shard and member
 * among those not believed failed), so a member's failure moves only its
 * own shards, and every node that agrees on who is up agrees on owners.
 * Recomputed lazily after a membership change.
 */
export class ShardOwners {
  private readonly owners: Int32Array;
  private stale = true;

  constructor(private readonly registry: NodeRegistry, readonly shards: number) {
    this.owners = new Int32Array(shards).fill(-1);
    registry.onStateChange(() => { this.stale = true; });
    registry.onRosterChange(() => { this.stale = true; });
  }

  /** The owner of `shard`; -1 when every member is believed failed. */
  of(shard: number): number {
    if (this.stale) this.recompute();
    return this.owners[shard]!;
  }

  private recompute(): void {
    this.stale = false;
    const live = this.registry.members.filter((m) => this.registry.state(m.index) !== 'failed').map((m) => m.index);
    for (let s = 0; s < this.shards; s++) {
      let best = -1;
      let bestHash = -1;
      for (const n of live) {
        const h = mix(s, n);
        if (h > bestHash) [best, bestHash] = [n, h];
      }
      this.owners[s] = best;
    }
  }
}
