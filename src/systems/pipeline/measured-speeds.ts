import type { SimTime } from '../../kernel/index.js';

/** Weight of the newest sample in a member's running rate. */
const NEWEST_WEIGHT = 0.5;
/** A member is flagged slow when its rate falls under this fraction of the median... */
export const SLOW_FRACTION = 0.5;
/** ...and unflagged only once it is back above this one: between the two it keeps its state, so it does not oscillate. */
export const RECOVERED_FRACTION = 0.8;
/** A flagged member's rate is forgotten after this long, so it is tried again with fresh work (it may have recovered). */
export const PROBATION: SimTime = 30_000_000;
/** The median is recomputed at most this often: at 10,000 members a sort per sample would dominate. */
const MEDIAN_REFRESH: SimTime = 1_000_000;

/**
 * The dynamic load balancer's measurements (document 004, Sprint 3): how
 * fast each member has really served this node's requests, in bytes per
 * second, from the times the members report for their own work. Never read
 * from the world: a member that runs slow (a brownout, an overloaded disk)
 * shows it only by taking longer.
 *
 * A member whose running rate falls under half the median of the measured
 * members is flagged slow and gets no new work while others can take it;
 * it is unflagged at 0.8 of the median, and a flag that has stood for
 * PROBATION is dropped with the member's rate, so one fresh sample decides
 * again.
 */
export class MeasuredSpeeds {
  private readonly rate: Float64Array;
  /** When each member was flagged, -1 when it is not. */
  private readonly flaggedAt: Float64Array;
  private median = 0;
  private medianAt = -Infinity;
  private medianStale = true;
  /** Members flagged so far (a member flagged twice counts twice). */
  flags = 0;

  constructor(
    members: number,
    private readonly clock: () => SimTime,
    private readonly onFlag: (member: number) => void = () => {},
    /** Flag under this fraction of the median (SLOW_FRACTION unless told); unflag at RECOVERED_FRACTION of it, or at twice this if that is higher. */
    private readonly slowFraction = SLOW_FRACTION,
  ) {
    this.rate = new Float64Array(members);
    this.flaggedAt = new Float64Array(members).fill(-1);
  }

  /** `member` served `bytes` in `micros` of its own time. */
  record(member: number, bytes: number, micros: number): void {
    if (bytes <= 0) return;
    const sample = (bytes * 1e6) / Math.max(1, micros);
    const before = this.rate[member]!;
    this.rate[member] = before === 0 ? sample : before + NEWEST_WEIGHT * (sample - before);
    this.medianStale = true;
    const median = this.medianRate();
    if (median === 0) return;
    const rate = this.rate[member]!;
    if (this.flaggedAt[member]! < 0 && rate < this.slowFraction * median) {
      this.flaggedAt[member] = this.clock();
      this.flags++;
      this.onFlag(member);
    } else if (this.flaggedAt[member]! >= 0 && rate >= Math.min(RECOVERED_FRACTION, 2 * this.slowFraction) * median) {
      this.flaggedAt[member] = -1;
    }
  }

  /** Whether `member` is flagged slow now (a flag past its probation is dropped here). */
  slow(member: number): boolean {
    const at = this.flaggedAt[member]!;
    if (at < 0) return false;
    if (this.clock() - at < PROBATION) return true;
    this.flaggedAt[member] = -1;
    this.rate[member] = 0;
    this.medianStale = true;
    return false;
  }

  /** `member`'s rate over the median's; 1 while either is unmeasured (an unmeasured member is assumed typical). */
  relative(member: number): number {
    const rate = this.rate[member]!;
    const median = this.medianRate();
    return rate === 0 || median === 0 ? 1 : rate / median;
  }

  /** The running rate, bytes/s; 0 when unmeasured. */
  rateOf(member: number): number {
    return this.rate[member]!;
  }

  private medianRate(): number {
    const now = this.clock();
    if (this.medianStale && (now - this.medianAt >= MEDIAN_REFRESH || this.median === 0)) {
      const measured = this.rate.filter((r) => r > 0).sort();
      this.median = measured.length === 0 ? 0 : measured[measured.length >> 1]!;
      this.medianAt = now;
      this.medianStale = false;
    }
    return this.median;
  }
}
