/** Sub-buckets per power of two: 64 bounds the relative error of a reported quantile by 1/128 (0.8 %). */
const SUB = 64;
/** Values below this are counted exactly. */
const EXACT = 2 * SUB;
/** Largest value counted apart (about 71 minutes in microseconds); longer ones share the last bucket. */
const MAX = 0xffff_ffff;
const BUCKETS = EXACT + 25 * SUB;

/**
 * Latencies in microseconds counted in log-linear buckets (as HdrHistogram
 * does): a fixed 14 KB whatever the number of samples, so a collector's
 * memory stays flat in simulated time. Quantiles are reported as the middle
 * of their bucket: exact below 128 µs, within 0.8 % above.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  private max = 0;

  add(micros: number): void {
    const v = Math.min(MAX, Math.max(0, Math.round(micros)));
    this.counts[indexOf(v)]!++;
    this.count++;
    if (v > this.max) this.max = v;
  }

  /** The nearest-rank `q` quantile in microseconds (the middle of its bucket, never above the largest value seen); null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, middleOf(i));
    }
    return this.max;
  }
}

function indexOf(v: number): number {
  if (v < EXACT) return v;
  const shift = 31 - Math.clz32(v) - 6;
  return EXACT + (shift - 1) * SUB + ((v >>> shift) - SUB);
}

function middleOf(i: number): number {
  if (i < EXACT) return i;
  const shift = Math.floor((i - EXACT) / SUB) + 1;
  const low = (SUB + ((i - EXACT) % SUB)) * 2 ** shift;
  return low + Math.floor((2 ** shift - 1) / 2);
}
