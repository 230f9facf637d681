/**
 * systems/ — the software under test. It reaches the world only through
 * `NodeRuntime` (world/runtime.ts): messages, transfers, timers, disk, clock.
 * - cluster.ts: static configuration every node is deployed with.
 * - registry.ts: a node's belief about who is healthy.
 * - telemetry.ts: the progress events systems export for metrics.
 * - pipeline/: ingestion -> processing -> distribution -> storage.
 */
export * from './cluster.js';
export * from './registry.js';
export * from './telemetry.js';
export * from './pipeline/index.js';
