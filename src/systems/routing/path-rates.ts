/** Weight of the newest sample in a running rate. */
const NEWEST_WEIGHT = 0.5;

/**
 * What one node has measured of the paths it sends bulk data over: the rate
 * its own transfers achieved to each region (bytes/s, a running average),
 * and what relays through a region reported of their second hop. Only this
 * node's own traffic feeds it; nothing is read from the world.
 */
export class PathRates {
  /** Direct rate to each region; 0: not measured. */
  private readonly direct: Float64Array;
  /** The best running direct rate each region has had: what its path gives when healthy. */
  private readonly peak: Float64Array;
  /** Second-hop rate a relay in region `via` reported to region `to`, at via x regions + to; 0: not reported. */
  private readonly onward: Float64Array;

  constructor(private readonly regions: number) {
    this.direct = new Float64Array(regions);
    this.peak = new Float64Array(regions);
    this.onward = new Float64Array(regions * regions);
  }

  recordDirect(region: number, rate: number): void {
    this.direct[region] = blend(this.direct[region]!, rate);
    this.peak[region] = Math.max(this.peak[region]!, this.direct[region]!);
  }

  recordOnward(via: number, to: number, rate: number): void {
    this.onward[via * this.regions + to] = blend(this.onward[via * this.regions + to]!, rate);
  }

  directRate(region: number): number {
    return this.direct[region]!;
  }

  /**
   * The rate expected through a relay in `via`: the slower of the hop there
   * (measured) and the hop on, as relays there reported it. While no relay
   * has, the hop on is assumed as good as this node's own path to `to` was
   * at its best, times `unknownShare` (the caller's guess of how likely that
   * hop shares the trouble). 0 when the first hop is unmeasured.
   */
  relayRate(via: number, to: number, unknownShare = 1): number {
    const first = this.direct[via]!;
    if (first === 0) return 0;
    const second = this.onward[via * this.regions + to]!;
    return Math.min(first, second === 0 ? this.peak[to]! * unknownShare : second);
  }
}

function blend(before: number, sample: number): number {
  return before === 0 ? sample : before + NEWEST_WEIGHT * (sample - before);
}
