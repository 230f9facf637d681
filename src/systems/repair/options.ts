import type { SimTime } from '../../kernel/index.js';
import type { DelaySpec } from '../../units/delay.js';

/** Re-replication of chunks that lost replicas (document 002). */
export interface RepairOptions {
  enabled: boolean;
  /** Average bytes per second repair may use, all repairs together. */
  bandwidthBytesPerS: number;
  /** Repairs in flight at once. */
  maxConcurrent: number;
  /** A repair with no answer after this long is given up and retried, microseconds. */
  timeout: SimTime;
  /** Time between scrub passes on every node, microseconds; 0 disables scrubbing. */
  scrubInterval: SimTime;
  /** Delete replicas the catalog does not want (over-replicated chunks, leftovers). */
  collectGarbage: boolean;
  /**
   * Repair as a drawn process (a Markov model's repair) instead of a paced
   * copy: each repair waits `startAfter` and then `duration`, drawn per
   * repair, before its copy is made; no bandwidth pacing. Omitted: repairs
   * start as the bandwidth budget allows and last as long as the copy.
   */
  process?: { startAfter: DelaySpec; duration: DelaySpec };
}
