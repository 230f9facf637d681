/**
 * systems/ — the software under test. It reaches the world only through
 * `NodeRuntime` (world/runtime.ts): messages, transfers, timers, disk, clock.
 * - cluster.ts: static configuration every node is deployed with.
 * - registry.ts: a node's belief about who is healthy.
 * - telemetry.ts: the progress events systems export for metrics.
 * - pipeline/: ingestion -> processing -> distribution (orchestrator, workers, placement).
 * - storage/: the replica store on every node (write, verify, copy, scrub).
 * - membership/: failure detectors (heartbeat, phi accrual, SWIM).
 * - repair/: the catalog of replicas and the repairer.
 * - <system>/boot.ts: what boots on each node; <system>/module.ts: the system's module (modules/ layer).
 */
export * from './cluster.js';
export * from './registry.js';
export * from './telemetry.js';
export * from './pipeline/index.js';
export * from './membership/index.js';
export * from './storage/messages.js';
export { ReplicaStore } from './storage/replica-store.js';
export * from './repair/options.js';
export { ReplicaCatalog } from './repair/catalog.js';
export { Repairer } from './repair/repairer.js';
export { Rebalancer, type RebalanceOptions } from './repair/rebalancer.js';
export * from './raft/index.js';
export * from './coordinator/index.js';
