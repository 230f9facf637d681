import type { Rng } from '../../kernel/index.js';

/** Most chunks the access model ranks: its table takes 8 bytes a chunk. */
export const MAX_RANKED_CHUNKS = 16_000_000;

/**
 * Document 002's access model: chunk popularity follows Zipf's law with
 * exponent `skew` (the k-th most read chunk is read in proportion to
 * 1 / k^skew). Which chunk is k-th is a fixed shuffle of the chunk ids, so
 * hot data is spread over the dataset rather than being its first chunks.
 *
 * Built once per run and shared read-only by every node: the popularity of
 * the data is the workload's, not any node's state. Draws use the caller's
 * stream.
 */
export class Popularity {
  /** Cumulative weight of ranks 0..k, normalised so the last is 1. */
  private readonly cdf: Float64Array;
  /** Chunk id = (rank x stride) mod count: a bijection since gcd(stride, count) = 1. */
  private readonly stride: number;

  constructor(readonly chunks: number, readonly skew: number) {
    if (chunks > MAX_RANKED_CHUNKS) throw new Error(`the access model ranks at most ${MAX_RANKED_CHUNKS} chunks, the dataset has ${chunks}`);
    this.cdf = new Float64Array(chunks);
    let total = 0;
    for (let k = 0; k < chunks; k++) this.cdf[k] = total += Math.pow(k + 1, -skew);
    for (let k = 0; k < chunks; k++) this.cdf[k]! /= total;
    let stride = Math.max(1, Math.floor(chunks * 0.6180339887));
    while (gcd(stride, chunks) !== 1) stride++;
    this.stride = stride;
  }

  /** A chunk drawn by popularity; -1 when there is no data. */
  draw(rng: Rng): number {
    if (this.chunks === 0) return -1;
    const u = rng.float();
    // First rank whose cumulative weight exceeds u.
    let lo = 0;
    let hi = this.chunks - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return this.chunkAt(lo);
  }

  /** The chunk of popularity rank `rank` (0: the most read). */
  chunkAt(rank: number): number {
    // rank x stride stays below 2^48 (both under MAX_RANKED_CHUNKS): exact in a double.
    return (rank * this.stride) % this.chunks;
  }

  /** Every chunk's rank, indexed by chunk id (for judging what was moved). */
  ranks(): Int32Array {
    const out = new Int32Array(this.chunks);
    for (let r = 0; r < this.chunks; r++) out[this.chunkAt(r)] = r;
    return out;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
