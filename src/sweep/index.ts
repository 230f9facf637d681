/**
 * sweep/ — many seeds of one scenario (npm run sweep). Pure: seed ranges and
 * shards, grids, the per-seed task a worker (thread or queue) runs, the row
 * format, and the statistics of aggregate.csv and paired.csv. Files and
 * threads are cli/'s.
 */
export * from './seeds.js';
export * from './grid.js';
export * from './task.js';
export * from './rows.js';
export * from './stats.js';
export * from './aggregate.js';
export * from './manifest.js';
export * from './outputs.js';
