/**
 * metrics/ — collectors and CSV writers. Nothing here prints or touches files:
 * collectors return CSV text; the CLI writes it.
 * - throughput.ts: throughput.csv (per bucket and stage) and per-stage busy time.
 * - durability.ts: durability.csv, sampled from the world's disks (ground truth).
 * - utilisation.ts: utilisation.csv, worker slots, disks and links busy per bucket.
 * - faults-csv.ts: faults.csv. csv.ts: number formatting and CSV rendering.
 */
export * from './csv.js';
export * from './throughput.js';
export * from './durability.js';
export * from './utilisation.js';
export * from './faults-csv.js';
export * from './detector.js';
export * from './membership.js';
export * from './checkpoint.js';
export * from './consensus.js';
export { QueueTimesCollector, type QueueTimesSummary } from './queue-times.js';
