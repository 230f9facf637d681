import { z } from 'zod';
import type { FaultKind } from './fault.js';
import { diskCorruption, diskFail, diskSlow } from './faults/disk.js';
import { bandwidthThrottle, duplicate, jitter, latencySpike, packetLoss, reorder, transferFailure } from './faults/link-faults.js';
import { nodeCrash } from './faults/node-crash.js';
import { brownout, clockSkew, cloudOutage, diskFull, nodePause, rackFailure, regionOutage } from './faults/node-faults.js';
import { nodeDecommission, nodeDrain, nodeJoin } from './faults/lifecycle.js';
import { nodeLoss } from './faults/node-loss.js';
import { nodeLossRandom } from './faults/node-loss-random.js';
import { raftAddMember, raftRemoveMember } from './faults/raft-membership.js';
import { linkFlap, partition } from './faults/partition.js';

/**
 * The fault catalog: every fault kind Lorenz can inject, one entry each.
 * Scenarios, faults.csv and docs/faults.md use exactly these names.
 */
export const FAULT_CATALOG = [
  // nodes
  nodeCrash, nodeLoss, nodeLossRandom, nodePause, clockSkew,
  // network
  partition, latencySpike, jitter, packetLoss, duplicate, reorder, bandwidthThrottle, transferFailure, linkFlap,
  // disks
  diskFail, diskFull, diskSlow, diskCorruption,
  // correlated
  regionOutage, cloudOutage, rackFailure,
  // gray
  brownout,
  // membership (an operator's changes)
  nodeJoin, nodeDrain, nodeDecommission, raftAddMember, raftRemoveMember,
] as const;

export type FaultSpec = z.output<(typeof FAULT_CATALOG)[number]['schema']>;
export type FaultKindName = FaultSpec['kind'];

export const FAULT_KINDS: readonly string[] = FAULT_CATALOG.map((f) => f.kind);

export const faultSchema = z.discriminatedUnion(
  'kind',
  FAULT_CATALOG.map((f) => f.schema) as unknown as [(typeof FAULT_CATALOG)[number]['schema'], ...(typeof FAULT_CATALOG)[number]['schema'][]],
);

export function faultKind(kind: string): FaultKind | undefined {
  return (FAULT_CATALOG as readonly FaultKind[]).find((f) => f.kind === kind);
}
