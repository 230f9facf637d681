import type { SimTime } from '../kernel/index.js';

/**
 * What the software on every node is configured with, as a real deployment's
 * config file would tell it: the members, where they are, and the nominal
 * latency between places. It says nothing of which nodes are up.
 */
export interface ClusterConfig {
  members: readonly MemberInfo[];
  /** Nominal one-way latency between two members' regions, for placement. */
  nominalLatency(a: number, b: number): SimTime;
}

export interface MemberInfo {
  index: number;
  name: string;
  cloud: string;
  region: string;
  /** Rack (zone) within the region; the region's name when the topology has no racks there (the region is one rack). */
  rack: string;
  /** Processing worker slots. */
  slots: number;
  diskCapacityBytes: number;
}
