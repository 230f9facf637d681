/**
 * world/ — the simulated infrastructure.
 * - spec.ts: plain descriptions (topology, links, disks) in explicit units.
 * - ground-truth.ts: the read-only view metrics and checkers get (GroundTruth).
 * - world.ts: assembles nodes, links and disks; fault verbs; ground truth of stored objects.
 * - node.ts: a machine and the runtime its software sees (NodeHost).
 * - runtime.ts: the NodeRuntime interface, the only door systems/ may use.
 * - network.ts: small messages (latency, loss, partitions). transfers.ts: bulk flows sharing link bandwidth.
 * - link.ts, partitions.ts, latency.ts, disk.ts: the parts.
 */
export * from './spec.js';
export * from './runtime.js';
export * from './latency.js';
export * from './link.js';
export * from './partitions.js';
export * from './disk.js';
export * from './node.js';
export * from './network.js';
export * from './transfers.js';
export * from './world.js';
export * from './trace.js';
export * from './ground-truth.js';
