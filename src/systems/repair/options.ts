import type { SimTime } from '../../kernel/index.js';

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
}
