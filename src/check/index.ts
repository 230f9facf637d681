/**
 * check/ — invariants judged from ground truth, and the run's verdict.
 * - invariant.ts: a named invariant and its first violation.
 * - pipeline-checker.ts: the pipeline's acknowledgements against the disks.
 */
export * from './invariant.js';
export * from './pipeline-checker.js';
export * from './expectations.js';
export * from './raft-checker.js';
export * from './coordinator-checker.js';
