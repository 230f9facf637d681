import type { SimTime } from '../kernel/index.js';

/**
 * Plain descriptions of the infrastructure, as the scenario layer resolves
 * them. Units are in the names: bytes, bytes per second, microseconds.
 */

/** One-way latency of a link, drawn per message or transfer. */
export type LatencyDist =
  | { kind: 'constant'; value: SimTime }
  | { kind: 'uniform'; min: SimTime; max: SimTime }
  /** Normal, clipped below at `floor` (a wire has a minimum delay). */
  | { kind: 'normal'; mean: SimTime; stddev: SimTime; floor: SimTime }
  /** Log-normal: long right tail, as measured WAN latencies have. */
  | { kind: 'lognormal'; median: SimTime; sigma: number; floor: SimTime };

export interface LinkSpec {
  /** One-way latency of each message or transfer. */
  latency: LatencyDist;
  /** Capacity shared fairly by concurrent bulk transfers, bytes/s. */
  bandwidthBytesPerS: number;
  /** Probability that a small message is dropped (bulk transfers are reliable streams). */
  loss: number;
}

export interface DiskSpec {
  capacityBytes: number;
  readBytesPerS: number;
  writeBytesPerS: number;
  /** Fixed cost of every operation (seek, fsync), microseconds. */
  opLatency: SimTime;
  /**
   * Writes reach stable storage at the next multiple of this, microseconds;
   * a crash that loses unsynced writes reverts the ones after the last sync.
   * 0: every write is synced before it completes.
   */
  syncInterval: SimTime;
}

export interface NodeSpec {
  name: string;
  cloud: string;
  region: string;
  /** Rack (zone) within the region, if the topology has racks. */
  rack?: string;
  /** Worker slots for processing tasks. */
  slots: number;
  disk: DiskSpec;
  /** A second device for logs (Raft's state), so they do not queue behind bulk data; absent: logs share `disk`. */
  logDisk?: DiskSpec;
  /** A standby machine: powered off and in no one's configuration until a join or a replacement brings it in. */
  standby?: boolean;
}

export interface RegionSpec {
  name: string;
  cloud: string;
}

export interface TopologySpec {
  clouds: string[];
  regions: RegionSpec[];
  nodes: NodeSpec[];
  /** The link from region `from` to region `to` (also used when from === to). */
  link(from: RegionSpec, to: RegionSpec): LinkSpec;
}
