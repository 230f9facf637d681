/**
 * kernel/ — the deterministic core, knowing nothing of clouds or pipelines.
 * - time.ts: SimTime (integer microseconds), unit helpers and duration parsing.
 * - event-queue.ts: typed-array binary heap keyed by (time, insertion sequence).
 * - simulator.ts: the virtual clock; schedule, cancel, step, run.
 * - random.ts: seeded random streams forked by name from the run seed.
 * - columns.ts: numbers kept per item for a whole run, in typed-array pages.
 * - slot-sets.ts: a small set of integers per item, in columns.
 * - int-map.ts: integer keys to numbers, open-addressed in typed arrays.
 */
export * from './time.js';
export * from './event-queue.js';
export * from './simulator.js';
export * from './random.js';
export * from './columns.js';
export * from './slot-sets.js';
export * from './int-map.js';
