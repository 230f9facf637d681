import type { SimTime } from '../kernel/index.js';

/**
 * What the software on every node is configured with, as a real deployment's
 * config file would tell it: the members, where they are, and the nominal
 * latency between places. It says nothing of which nodes are up.
 *
 * `members` is the address book of every machine the run may ever hold,
 * standby ones included (`initial` false): knowing where a standby machine
 * is does not make it a member. Who has joined or left is learned from
 * messages (NodeRegistry's roster), as real software learns it.
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
  /** In the configuration from the start; false: a standby machine that may join later. */
  initial: boolean;
}
