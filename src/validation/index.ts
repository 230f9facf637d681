/**
 * validation/ — experiments held to closed forms (docs/validation.md):
 * - formulas.ts: the closed forms (combinatorics of k nodes lost at once, ...);
 * - experiments.ts: each experiment's scenario, settings, measure, closed form and seed counts;
 * - measure.ts: runs one over its seeds and judges it by the 95 % interval; the docs' table.
 */
export * from './formulas.js';
export * from './experiments.js';
export * from './measure.js';
